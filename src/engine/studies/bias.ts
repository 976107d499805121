/**
 * Numeric bias (methods.md §7; Sato et al.): a scoring prompt over a dataset, per model and
 * range: each item's distribution over the range (scoreRange.ts), the argmax and expected
 * scores, and over items the excess kurtosis of the predictions (peakiness) and their Kendall
 * τ-b, Pearson and Spearman correlation with gold — for the argmax predictions and, with the
 * suffix `_expected`, for the expected scores.
 */
import type { JobOptions } from '../api';
import { throwIfAborted, UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import { excessKurtosis, kendallTauB, pearson, spearman } from '../stats/correlation';
import { renderPrompt, PromptRenderError } from '../../shared/prompt';
import type { DatasetItem } from './dataset';
import type { LongRow } from './longCsv';
import { scoreDistribution, type ScoreRange } from './scoreRange';
import type { TaskVariant } from './taskPrompt';

/** One line of items.jsonl (the contract in docs/cli.md). */
export interface BiasItem {
  model: string;
  index: number;
  prompt: string;
  scores: number[];
  distribution: number[];
  argmax: number;
  expected: number;
  gold: number | null;
  lang: string | null;
}

export interface BiasRun {
  model: string;
  range: ScoreRange;
  items: BiasItem[];
}

export const BIAS_METRICS = ['kurtosis', 'kendall_tau_b', 'pearson', 'spearman'] as const;

export function rangeLabel(r: ScoreRange): string {
  return `${r.min}-${r.max}`;
}

/** Parses "1-5,0-9,1-100". */
export function parseRanges(spec: string, subject: string): ScoreRange[] {
  return spec.split(',').map((part) => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (!m) throw new UserError(subject, `"${part}" is not a range like 1-5`);
    return { min: Number(m[1]), max: Number(m[2]) };
  });
}

export function renderScoringPrompt(v: Pick<TaskVariant, 'doc' | 'partials' | 'file'>, item: DatasetItem, range: ScoreRange): string {
  try {
    return renderPrompt(v.doc, v.partials, { ...item.fields, scoreMin: range.min, scoreMax: range.max }).text;
  } catch (e) {
    if (e instanceof PromptRenderError) throw new UserError(v.file, `item ${item.index + 1}: ${e.message}`);
    throw e;
  }
}

export async function scoreItems(model: LoadedModel, modelLabel: string, prompt: Pick<TaskVariant, 'doc' | 'partials' | 'file'>, items: DatasetItem[], range: ScoreRange, o: JobOptions = {}): Promise<BiasRun> {
  const out: BiasItem[] = [];
  for (const item of items) {
    throwIfAborted(o.signal);
    const text = renderScoringPrompt(prompt, item, range);
    const d = await scoreDistribution(model, text, range, { signal: o.signal });
    out.push({ model: modelLabel, index: item.index, prompt: text, scores: d.scores, distribution: d.distribution, argmax: d.argmax, expected: d.expected, gold: item.gold ?? null, lang: item.lang ?? null });
    o.onProgress?.({ fraction: out.length / items.length, message: `${modelLabel} ${rangeLabel(range)}: item ${out.length}/${items.length}` });
  }
  return { model: modelLabel, range, items: out };
}

/** The metrics of a set of scored items; correlations only over items with gold. */
export function biasMetrics(items: readonly BiasItem[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const [suffix, pick] of [['', (i: BiasItem) => i.argmax], ['_expected', (i: BiasItem) => i.expected]] as const) {
    m[`kurtosis${suffix}`] = excessKurtosis(items.map(pick));
    const withGold = items.filter((i) => i.gold !== null);
    if (withGold.length === 0) continue;
    const x = withGold.map(pick);
    const y = withGold.map((i) => i.gold!);
    m[`kendall_tau_b${suffix}`] = kendallTauB(x, y);
    m[`pearson${suffix}`] = pearson(x, y);
    m[`spearman${suffix}`] = spearman(x, y);
  }
  return m;
}

/** results.csv rows: per run, language "all" and each item language present. */
export function biasRows(task: string, runs: readonly BiasRun[]): LongRow[] {
  const rows: LongRow[] = [];
  for (const run of runs) {
    const langs = [...new Set(run.items.map((i) => i.lang).filter((l): l is string => l !== null))];
    for (const language of ['all', ...langs]) {
      const items = language === 'all' ? run.items : run.items.filter((i) => i.lang === language);
      for (const [metric, value] of Object.entries(biasMetrics(items))) rows.push({ model: run.model, task: `${task}:${rangeLabel(run.range)}`, language, metric, value });
    }
  }
  return rows;
}

/** Share of items whose argmax is each score, and the mean distribution: the histogram the report draws. */
export function scoreHistogram(run: BiasRun): { scores: number[]; argmaxShare: number[]; meanProbability: number[] } {
  const scores = run.items[0]?.scores ?? [];
  const argmaxShare = scores.map((s) => run.items.filter((i) => i.argmax === s).length / Math.max(1, run.items.length));
  const meanProbability = scores.map((_, k) => run.items.reduce((a, i) => a + i.distribution[k]!, 0) / Math.max(1, run.items.length));
  return { scores, argmaxShare, meanProbability };
}
