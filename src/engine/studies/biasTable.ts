/**
 * The numeric-bias study's table as Sato et al. print it (methods.md §7): one row per group
 * (language pair `en-de`, language, or all items) × model × range, the reference model's ("pre",
 * the first of --models: e.g. the base model before alignment) peakedness and τ beside each other
 * model's ("post") and gold's own kurtosis; and 95 % bootstrap intervals of the post − pre
 * differences of τ-b, kurtosis and the modal share, resampling the items (the same index sets for
 * both models, so the difference is paired).
 */
import { bootstrapIndices, DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES, percentileInterval } from '../eval/metrics/bootstrap';
import { excessKurtosis, kendallTauB } from '../stats/correlation';
import { modeShare } from '../stats/peakedness';
import { biasMetrics, rangeLabel, undefinedMetrics, type BiasItem, type BiasRun } from './bias';
import type { LongRow } from './longCsv';

/** One model's figures in a row; `why` holds the words for each undefined one. */
export interface BiasSide {
  model: string;
  kurtosis: number;
  modeShare: number;
  entropy: number;
  tau: number;
  spearman: number;
  why: Record<string, string>;
}

export interface DeltaInterval {
  /** post − pre on all items (NaN when either is undefined). */
  value: number;
  /** 2.5 % and 97.5 % percentiles over the resamples where both are defined. */
  ci: [number, number];
  /** Resamples where both were defined, of `resamples`. */
  defined: number;
  resamples: number;
}

export interface BiasRow {
  group: string;
  range: string;
  n: number;
  pre: BiasSide;
  post: BiasSide | null;
  gold: { kurtosis: number; modeShare: number; entropy: number; why: Record<string, string> } | null;
  delta: { tau: DeltaInterval; kurtosis: DeltaInterval; modeShare: DeltaInterval } | null;
}

export interface BiasTableOptions {
  resamples?: number;
  seed?: number;
}

/** Groups in table order: each `lang` value present (pairs or languages, first-seen order), then all items. */
export function biasGroups(items: readonly BiasItem[]): string[] {
  return [...new Set(items.map((i) => i.lang).filter((l): l is string => l !== null)), 'all'];
}

function side(model: string, items: readonly BiasItem[]): BiasSide {
  const m = biasMetrics(items);
  const why = undefinedMetrics(items);
  return { model, kurtosis: m.kurtosis!, modeShare: m.mode_share!, entropy: m.entropy!, tau: m.kendall_tau_b ?? NaN, spearman: m.spearman ?? NaN, why };
}

function interval(value: number, draws: number[], resamples: number): DeltaInterval {
  return { value, ci: percentileInterval(draws), defined: draws.filter(Number.isFinite).length, resamples };
}

/** Paired bootstrap of post − pre for τ-b (items with gold), kurtosis and the modal share of the argmax predictions. */
export function deltaIntervals(pre: readonly BiasItem[], post: readonly BiasItem[], o: BiasTableOptions = {}): NonNullable<BiasRow['delta']> {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const sets = bootstrapIndices(pre.length, { resamples, seed: o.seed ?? DEFAULT_BOOTSTRAP_SEED });
  const a = pre.map((i) => i.argmax);
  const b = post.map((i) => i.argmax);
  const gold = pre.map((i) => i.gold);
  const pick = (xs: readonly number[], idx: ArrayLike<number>): number[] => Array.from(idx, (k) => xs[k]!);
  const tauOf = (xs: readonly number[], idx: ArrayLike<number>): number => {
    const keep = Array.from(idx).filter((k) => gold[k] !== null);
    return keep.length ? kendallTauB(pick(xs, keep), keep.map((k) => gold[k]!)) : NaN;
  };
  const all = Uint32Array.from(pre.keys());
  const draws = { tau: [] as number[], kurtosis: [] as number[], modeShare: [] as number[] };
  for (const idx of sets) {
    draws.tau.push(tauOf(b, idx) - tauOf(a, idx));
    draws.kurtosis.push(excessKurtosis(pick(b, idx)) - excessKurtosis(pick(a, idx)));
    draws.modeShare.push(modeShare(pick(b, idx)) - modeShare(pick(a, idx)));
  }
  return {
    tau: interval(tauOf(b, all) - tauOf(a, all), draws.tau, resamples),
    kurtosis: interval(excessKurtosis(b) - excessKurtosis(a), draws.kurtosis, resamples),
    modeShare: interval(modeShare(b) - modeShare(a), draws.modeShare, resamples),
  };
}

/**
 * The table's rows: per range, per group, the first model (pre) alone when it is the only one,
 * else one row per other model (post) beside it. Runs must cover the same items in the same order.
 */
export function biasTable(runs: readonly BiasRun[], o: BiasTableOptions = {}): BiasRow[] {
  const rows: BiasRow[] = [];
  const ranges = [...new Map(runs.map((r) => [rangeLabel(r.range), r.range])).keys()];
  for (const range of ranges) {
    const mine = runs.filter((r) => rangeLabel(r.range) === range);
    const [ref, ...others] = mine;
    if (!ref) continue;
    for (const group of biasGroups(ref.items)) {
      const inGroup = (items: readonly BiasItem[]): BiasItem[] => (group === 'all' ? [...items] : items.filter((i) => i.lang === group));
      const pre = inGroup(ref.items);
      const goldItems = pre.filter((i) => i.gold !== null);
      const m = biasMetrics(pre);
      const gold = goldItems.length ? { kurtosis: m.gold_kurtosis!, modeShare: m.gold_mode_share!, entropy: m.gold_entropy!, why: Object.fromEntries(Object.entries(undefinedMetrics(pre)).filter(([k]) => k.startsWith('gold_'))) } : null;
      const preSide = side(ref.model, pre);
      if (others.length === 0) rows.push({ group, range, n: pre.length, pre: preSide, post: null, gold, delta: null });
      for (const other of others) {
        const post = inGroup(other.items);
        rows.push({ group, range, n: pre.length, pre: preSide, post: side(other.model, post), gold, delta: deltaIntervals(pre, post, o) });
      }
    }
  }
  return rows;
}

/** results.csv rows of the differences: model = the post model, language = the group, task NAME:RANGE. */
export function deltaRows(task: string, rows: readonly BiasRow[]): LongRow[] {
  const out: LongRow[] = [];
  for (const r of rows) {
    if (!r.delta || !r.post) continue;
    for (const [metric, d] of [['kendall_tau_b', r.delta.tau], ['kurtosis', r.delta.kurtosis], ['mode_share', r.delta.modeShare]] as const) {
      const at = { model: r.post.model, task: `${task}:${r.range}`, language: r.group };
      out.push({ ...at, metric: `delta_${metric}`, value: d.value }, { ...at, metric: `delta_${metric}_ci_low`, value: d.ci[0] }, { ...at, metric: `delta_${metric}_ci_high`, value: d.ci[1] });
    }
  }
  return out;
}
