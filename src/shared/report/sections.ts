/**
 * What a CLI HTML report contains: a list of sections, each rendered by the same view code as
 * the corresponding panel (webview/entries/report.ts).
 */
import type { ActivationAnalysis } from '../analysis';
import type { CompareResult } from '../compare';
import type { FeatureAnalysis } from '../features';
import type { LapeResult } from '../lape';
import type { LatentLanguageResult, LensDatasetSummary } from '../lens';
import type { ResultRow } from '../results/rows';
import type { SignificanceTest } from '../results/table';
import type { InstructionOutput, VariantSummary } from '../studies';

export type ReportSection =
  | { kind: 'activations'; title: string; data: ActivationAnalysis }
  | { kind: 'languageNeurons'; title: string; data: LapeResult }
  | { kind: 'features'; title: string; data: FeatureAnalysis }
  | { kind: 'compare'; title: string; data: CompareResult }
  /** A plain table (evaluation scores, run settings). */
  | { kind: 'table'; title: string; data: { columns: string[]; rows: (string | number | null)[][] } }
  /**
   * Evaluation results (results.csv rows; `metrics`: the table metric by task when not the primary
   * one; `labels`/`groups`: row names and model groups; `significance`: the test behind † / ‡,
   * default one-sided): the results table and a bar chart per task.
   */
  | { kind: 'results'; title: string; data: { rows: ResultRow[]; metrics?: Record<string, string>; labels?: Record<string, string>; groups?: Record<string, string>; significance?: SignificanceTest } }
  /** Numeric-bias score histograms, models side by side (one section per range). */
  | { kind: 'scoreHistograms'; title: string; data: { series: { model: string; scores: number[]; argmaxShare: number[]; meanProbability: number[]; kurtosis: number; gold?: boolean }[] } }
  /** Instruction variants (methods.md §6): rates per variant and language; a row opens its failing outputs. */
  | { kind: 'instructionResults'; title: string; data: { model: string; task: string; summaries: VariantSummary[]; outputs: InstructionOutput[] } }
  /** The latent-language lens on one prompt (methods.md §8): the Latent language panel's view. */
  | { kind: 'latentLanguage'; title: string; data: LatentLanguageResult }
  /** The lens over a dataset (Wendler et al.): answer probability and language mass per layer with intervals. */
  | { kind: 'lensDataset'; title: string; data: LensDatasetSummary }
  /** A paragraph of plain text (not HTML); `command` (a shell line) and `editor` (an editor action) say how to run the section's job at full size. */
  | { kind: 'text'; title: string; data: { text: string; command?: string; editor?: string } };

export type ReportSectionKind = ReportSection['kind'];
