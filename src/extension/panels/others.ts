/** Host side of the Language neurons, Features and Compare panels. */
import type { CompareResult } from '../../shared/compare';
import type { FeatureAnalysis } from '../../shared/features';
import type { LapeResult } from '../../shared/lape';
import { toWire } from '../../shared/wire';
import { LensPanel, type PanelHost } from './lensPanel';

export async function showLanguageNeuronsPanel(ctx: PanelHost, lape: LapeResult): Promise<LensPanel> {
  return LensPanel.show(ctx, 'languageNeurons', { type: 'languageNeurons/show', lape: toWire(lape) }, `Language neurons: ${lape.model.name}`);
}

export async function showFeaturePanel(ctx: PanelHost, features: FeatureAnalysis): Promise<LensPanel> {
  return LensPanel.show(ctx, 'features', { type: 'features/show', features: toWire(features) }, `Translation features: ${features.model.name}`);
}

export async function showComparePanel(ctx: PanelHost, compare: CompareResult): Promise<LensPanel> {
  return LensPanel.show(ctx, 'compare', { type: 'compare/show', compare: toWire(compare) }, `Compare: ${compare.a.label} vs ${compare.b.label}`);
}
