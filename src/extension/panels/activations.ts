/** Activations panel: host side. */
import type { ActivationAnalysis } from '../../shared/analysis';
import { toWire } from '../../shared/wire';
import type { PanelProvenance } from '../../shared/protocol';
import { LensPanel, type PanelHost } from './lensPanel';
import { panelTitle } from './titles';

/** Shows (or replaces) the analysis in the Activations panel; resolves once the data is posted or queued. */
export async function showActivationsPanel(ctx: PanelHost, analysis: ActivationAnalysis, source?: string, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'activations', { type: 'activations/show', analysis: toWire(analysis) }, panelTitle('activations', source, analysis.model.name, provenance?.variant), provenance);
}

/** Selects a token in an open Activations panel (e.g. the editor cursor moved onto it). */
export function revealTokenInPanel(panel: LensPanel, pos: number | null): void {
  panel.post({ type: 'activations/revealToken', pos });
}
