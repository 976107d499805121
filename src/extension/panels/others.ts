/** Host side of the Language neurons, Features and Compare panels. */
import type { CompareResult } from '../../shared/compare';
import type { FeatureAnalysis } from '../../shared/features';
import type { LapeResult } from '../../shared/lape';
import type { ReportSection } from '../../shared/report/sections';
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

/** Study results (Compare Instructions, Measure Numeric Bias): report sections, drawn as report.html draws them. */
export async function showStudiesPanel(ctx: PanelHost, title: string, sections: ReportSection[]): Promise<LensPanel> {
  return LensPanel.show(ctx, 'studies', { type: 'studies/show', title, sections: toWire(sections) }, title);
}
