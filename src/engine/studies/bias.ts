/**
 * Numeric bias (methods.md §7; Sato et al.): a scoring prompt over a dataset, per model and
 * range: each item's distribution over the range (scoreRange.ts), the argmax and expected
 * scores, and over items the excess kurtosis of the predictions (peakiness) and their Kendall
 * τ-b, Pearson and Spearman correlation with gold — for the argmax predictions and, with the
 * suffix `_expected`, for the expected scores.
 */
import type { JobOptions } from '../api';
import { throwIfAborted, UserError } from '../errors';
import type { EvalSubject } from '../eval/types';
import { excessKurtosis, kendallTauB, pearson, spearman } from '../stats/correlation';
import { constantValue, histogramEntropy, modeShare } from '../stats/peakedness';
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

/** Every item's distribution over `range` under one model entry (a checkpoint, or a pruning / LRP2 variant of one). */
export async function scoreItems(subject: EvalSubject, prompt: Pick<TaskVariant, 'doc' | 'partials' | 'file'>, items: DatasetItem[], range: ScoreRange, o: JobOptions = {}): Promise<BiasRun> {
  const out: BiasItem[] = [];
  const { model, name } = subject;
  for (const item of items) {
    throwIfAborted(o.signal);
    const text = renderScoringPrompt(prompt, item, range);
    const d = await scoreDistribution(model, text, range, { signal: o.signal, variant: subject.variant, deactivate: subject.deactivate, shifts: subject.shifts });
    out.push({ model: name, index: item.index, prompt: text, scores: d.scores, distribution: d.distribution, argmax: d.argmax, expected: d.expected, gold: item.gold ?? null, lang: item.lang ?? null });
    o.onProgress?.({ fraction: out.length / items.length, message: `${name} ${rangeLabel(range)}: item ${out.length}/${items.length}` });
  }
  return { model: name, range, items: out };
}

/**
 * The metrics of a set of scored items: peakedness of the argmax (and, suffix `_expected`, the
 * expected) predictions — excess kurtosis (NaN when every prediction is the same score), the
 * modal score's share and the histogram entropy (always defined) — and, over items with gold,
 * Kendall τ-b, Pearson and Spearman against gold plus gold's own kurtosis, modal share and entropy.
 */
export function biasMetrics(items: readonly BiasItem[]): Record<string, number> {
  const m: Record<string, number> = {};
  const withGold = items.filter((i) => i.gold !== null);
  const y = withGold.map((i) => i.gold!);
  for (const [suffix, pick] of [['', (i: BiasItem) => i.argmax], ['_expected', (i: BiasItem) => i.expected]] as const) {
    const all = items.map(pick);
    m[`kurtosis${suffix}`] = excessKurtosis(all);
    if (suffix === '') {
      m.mode_share = modeShare(all);
      m.entropy = histogramEntropy(all);
    }
    if (withGold.length === 0) continue;
    const x = withGold.map(pick);
    m[`kendall_tau_b${suffix}`] = kendallTauB(x, y);
    m[`pearson${suffix}`] = pearson(x, y);
    m[`spearman${suffix}`] = spearman(x, y);
  }
  if (withGold.length) {
    m.gold_kurtosis = excessKurtosis(y);
    m.gold_mode_share = modeShare(y);
    m.gold_entropy = histogramEntropy(y);
  }
  return m;
}

/**
 * Why a statistic of these values is undefined, in words (the tables, the histogram legend and
 * the CLI's JSON say this instead of NaN or null): every value the same, or too few.
 */
export function undefinedBecause(values: readonly number[], what = 'answer'): string {
  if (values.length < 2) return `undefined: ${values.length} ${what}${values.length === 1 ? '' : 's'}`;
  const c = constantValue(values);
  return c !== null ? `undefined: every ${what} is ${Number(c.toPrecision(6))}` : 'undefined';
}

/** The words for each undefined metric of `biasMetrics(items)`, by metric name. */
export function undefinedMetrics(items: readonly BiasItem[]): Record<string, string> {
  const m = biasMetrics(items);
  const withGold = items.filter((i) => i.gold !== null);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (!Number.isNaN(v)) continue;
    const expected = k.endsWith('_expected');
    const preds = (expected ? items : k.startsWith('kurtosis') ? items : withGold).map((i) => (expected ? i.expected : i.argmax));
    const gold = withGold.map((i) => i.gold!);
    if (k.startsWith('gold_')) out[k] = undefinedBecause(gold, 'gold score');
    else if (k.startsWith('kurtosis') || constantValue(preds) !== null || preds.length < 2) out[k] = undefinedBecause(preds, expected ? 'expected score' : 'answer');
    else out[k] = undefinedBecause(gold, 'gold score');
  }
  return out;
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
