/** Latent language panel: host side. */
import type { LatentLanguageResult } from '../../shared/lens';
import { toWire } from '../../shared/wire';
import type { PanelProvenance } from '../../shared/protocol';
import { LensPanel, type PanelHost } from './lensPanel';
import { panelTitle } from './titles';

/** Shows (or replaces) a lens result in the Latent language panel. */
export async function showLatentLanguagePanel(ctx: PanelHost, result: LatentLanguageResult, source?: string, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'latentLanguage', { type: 'latentLanguage/show', result: toWire(result) }, panelTitle('latentLanguage', source, result.model.name, provenance?.variant), provenance);
}

/** Selects a token in an open Latent language panel (the editor cursor moved onto it). */
export function revealTokenInLatentLanguage(panel: LensPanel, pos: number | null): void {
  panel.post({ type: 'latentLanguage/revealToken', pos });
}
