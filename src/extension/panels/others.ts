/** Host side of the Language neurons, Features and Compare panels. */
import type { CompareResult } from '../../shared/compare';
import type { FeatureAnalysis } from '../../shared/features';
import type { LapeResult } from '../../shared/lape';
import type { ReportSection } from '../../shared/report/sections';
import { toWire } from '../../shared/wire';
import type { PanelProvenance } from '../../shared/protocol';
import { LensPanel, type PanelHost } from './lensPanel';
import { panelTitle } from './titles';

export async function showLanguageNeuronsPanel(ctx: PanelHost, lape: LapeResult, source?: string, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'languageNeurons', { type: 'languageNeurons/show', lape: toWire(lape) }, panelTitle('languageNeurons', source, lape.model.name), provenance);
}

export async function showFeaturePanel(ctx: PanelHost, features: FeatureAnalysis, source?: string, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'features', { type: 'features/show', features: toWire(features) }, panelTitle('features', source, features.model.name), provenance);
}

export async function showComparePanel(ctx: PanelHost, compare: CompareResult, source?: string, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'compare', { type: 'compare/show', compare: toWire(compare) }, panelTitle('compare', source, `${compare.a.label} vs ${compare.b.label}`), provenance);
}

/** Study results (Compare Instructions, Measure Numeric Bias): report sections, drawn as report.html draws them. */
export async function showStudiesPanel(ctx: PanelHost, title: string, sections: ReportSection[], provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'studies', { type: 'studies/show', title, sections: toWire(sections) }, title, provenance);
}

/** Evaluation results (Evaluate): the results table, sortable, with CSV/LaTeX export, and a bar chart per task. */
export async function showResultsPanel(ctx: PanelHost, title: string, sections: ReportSection[], source: string | undefined, models: string, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'results', { type: 'results/show', title, sections: toWire(sections) }, panelTitle('results', source, models), provenance);
}
