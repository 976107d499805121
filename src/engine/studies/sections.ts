/**
 * The report sections of the two studies, built once for the CLI's report.html and the editor's
 * Studies panel (same data, same views).
 */
import type { ReportSection } from '../../shared/report/sections';
import { excessKurtosis } from '../stats/correlation';
import { biasMetrics, rangeLabel, scoreHistogram, undefinedMetrics, type BiasRun } from './bias';
import { biasGroups, biasTable, type BiasRow, type BiasSide, type BiasTableOptions, type DeltaInterval } from './biasTable';
import type { InstructionComparison } from './instructions';
import type { ScoreRange } from './scoreRange';

export const round4 = (v: number | null | undefined): number | null => (v === null || v === undefined || Number.isNaN(v) ? null : Math.round(v * 10000) / 10000);

/** A table cell: the number rounded, or the words saying why it is undefined (never NaN, null or empty). */
export function statCell(v: number, why: string | undefined, digits = 2): string {
  return Number.isFinite(v) ? v.toFixed(digits) : why ?? 'undefined';
}

function deltaCell(d: DeltaInterval, digits = 2): string {
  if (!Number.isFinite(d.value)) return 'undefined (one side undefined)';
  const ci = d.defined ? ` [${d.ci[0].toFixed(digits)}, ${d.ci[1].toFixed(digits)}]` : ' [no resample defined]';
  const partial = d.defined < d.resamples ? ` (${d.defined}/${d.resamples} resamples defined)` : '';
  const sign = d.value > 0 ? '+' : '';
  return `${sign}${d.value.toFixed(digits)}${ci}${partial}`;
}

/** The gold histogram beside the models' when every gold score is a score of the range. */
function goldSeries(run: BiasRun): { model: string; scores: number[]; argmaxShare: number[]; meanProbability: number[]; kurtosis: number; gold: true } | null {
  const gold = run.items.map((i) => i.gold).filter((g): g is number => g !== null);
  const scores = run.items[0]?.scores ?? [];
  if (gold.length === 0 || gold.some((g) => !scores.includes(g))) return null;
  return { model: 'gold', scores, argmaxShare: scores.map((s) => gold.filter((g) => g === s).length / gold.length), meanProbability: [], kurtosis: excessKurtosis(gold), gold: true };
}

/** The paper's table: one row per group (pair or language) × model × range, pre beside post and gold. */
export function biasTableSection(rows: readonly BiasRow[]): ReportSection {
  const paired = rows.some((r) => r.post !== null);
  const grouping = rows.some((r) => r.group.includes('-')) ? 'pair' : 'language';
  const s = (x: BiasSide, k: 'kurtosis' | 'modeShare' | 'tau'): string => statCell(x[k], x.why[{ kurtosis: 'kurtosis', modeShare: 'mode_share', tau: 'kendall_tau_b' }[k]]);
  const g = (r: BiasRow, k: 'kurtosis' | 'modeShare'): string => (r.gold ? statCell(r.gold[k], r.gold.why[k === 'kurtosis' ? 'gold_kurtosis' : 'gold_mode_share']) : 'no gold');
  if (!paired) {
    return {
      kind: 'table',
      title: `Numeric bias by ${grouping}, model and range (argmax answers; gold = the human scores)`,
      data: {
        columns: [grouping, 'model', 'range', 'items', 'kurtosis', 'kurtosis gold', 'modal share', 'modal share gold', 'Kendall τ-b', 'Spearman'],
        rows: rows.map((r) => [r.group, r.pre.model, r.range, r.n, s(r.pre, 'kurtosis'), g(r, 'kurtosis'), s(r.pre, 'modeShare'), g(r, 'modeShare'), s(r.pre, 'tau'), statCell(r.pre.spearman, r.pre.why.spearman)]),
      },
    };
  }
  const d = rows.find((r) => r.delta)?.delta;
  return {
    kind: 'table',
    title: `Numeric bias by ${grouping}, model and range: pre = ${rows[0]!.pre.model} (the first model), post = each other model; gold = the human scores; Δ = post − pre with 95 % paired-bootstrap intervals (${d?.tau.resamples ?? 0} resamples of the items)`,
    data: {
      columns: [grouping, 'post model', 'range', 'items', 'kurtosis pre', 'kurtosis post', 'kurtosis gold', 'modal share pre', 'modal share post', 'τ-b pre', 'τ-b post', 'Δτ-b [95% CI]', 'Δkurtosis [95% CI]', 'Δmodal share [95% CI]'],
      rows: rows.map((r) => [r.group, r.post!.model, r.range, r.n, s(r.pre, 'kurtosis'), s(r.post!, 'kurtosis'), g(r, 'kurtosis'), s(r.pre, 'modeShare'), s(r.post!, 'modeShare'), s(r.pre, 'tau'), s(r.post!, 'tau'), deltaCell(r.delta!.tau), deltaCell(r.delta!.kurtosis), deltaCell(r.delta!.modeShare)]),
    },
  };
}

const METRIC_COLUMNS: [string, string][] = [['kurtosis', 'kurtosis'], ['mode_share', 'modal share'], ['entropy', 'entropy (bits)'], ['kendall_tau_b', 'τ-b'], ['pearson', 'Pearson'], ['spearman', 'Spearman'], ['kendall_tau_b_expected', 'τ-b (expected)'], ['spearman_expected', 'Spearman (expected)']];

export function biasSections(runs: readonly BiasRun[], ranges: readonly ScoreRange[], o: BiasTableOptions = {}): ReportSection[] {
  const sections: ReportSection[] = ranges.map((range) => {
    const mine = runs.filter((r) => r.range === range);
    const gold = mine[0] ? goldSeries(mine[0]) : null;
    return {
      kind: 'scoreHistograms',
      title: `Score distribution, range ${rangeLabel(range)}`,
      data: { series: [...mine.map((r) => ({ model: r.model, ...scoreHistogram(r), kurtosis: biasMetrics(r.items).kurtosis! })), ...(gold ? [gold] : [])] },
    };
  });
  sections.push(biasTableSection(biasTable(runs, o)));
  sections.push({
    kind: 'table',
    title: 'Every metric per model, range and group (argmax answers unless "expected"; entropy of the answers\' histogram)',
    data: {
      columns: ['model', 'range', 'group', 'items', ...METRIC_COLUMNS.map(([, c]) => c)],
      rows: runs.flatMap((r) =>
        biasGroups(r.items).map((group) => {
          const items = group === 'all' ? r.items : r.items.filter((i) => i.lang === group);
          const m = biasMetrics(items);
          const why = undefinedMetrics(items);
          return [r.model, rangeLabel(r.range), group, items.length, ...METRIC_COLUMNS.map(([k]) => (m[k] === undefined ? 'no gold' : statCell(m[k]!, why[k], 3)))];
        }),
      ),
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
