/**
 * The report sections of the two studies, built once for the CLI's report.html and the editor's
 * Studies panel (same data, same views).
 */
import type { ReportSection } from '../../shared/report/sections';
import { biasMetrics, rangeLabel, scoreHistogram, type BiasRun } from './bias';
import type { InstructionComparison } from './instructions';
import type { ScoreRange } from './scoreRange';

const METRICS = ['kurtosis', 'kendall_tau_b', 'pearson', 'spearman'];

export const round4 = (v: number | null | undefined): number | null => (v === null || v === undefined || Number.isNaN(v) ? null : Math.round(v * 10000) / 10000);

export function biasSections(runs: readonly BiasRun[], ranges: readonly ScoreRange[]): ReportSection[] {
  const sections: ReportSection[] = ranges.map((range) => ({
    kind: 'scoreHistograms',
    title: `Score distribution, range ${rangeLabel(range)}`,
    data: { series: runs.filter((r) => r.range === range).map((r) => ({ model: r.model, ...scoreHistogram(r), kurtosis: biasMetrics(r.items).kurtosis! })) },
  }));
  sections.push({
    kind: 'table',
    title: 'Numeric bias (argmax predictions; expected scores in brackets)',
    data: {
      columns: ['model', 'range', 'items', ...METRICS],
      rows: runs.map((r) => {
        const m = biasMetrics(r.items);
        // An undefined statistic (kurtosis of constant predictions) reads "n/a", not "null".
        const show = (v: number | null | undefined): string => String(round4(v) ?? 'n/a');
        return [r.model, rangeLabel(r.range), r.items.length, ...METRICS.map((k) => (m[k] === undefined ? null : `${show(m[k])} (${show(m[`${k}_expected`])})`))];
      }),
    },
  });
  return sections;
}

export function instructionSections(r: InstructionComparison, model: string): ReportSection[] {
  const sections: ReportSection[] = [
    {
      kind: 'instructionResults',
      title: `Instruction variants of ${r.task} on ${model}`,
      data: { model, task: r.task, summaries: r.summaries, outputs: r.outputs },
    },
  ];
  if (r.neurons) sections.push({ kind: 'languageNeurons', title: 'Neurons active under only one instruction variant (LAPE, variants in place of languages)', data: r.neurons.result });
  return sections;
}
