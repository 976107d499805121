/**
 * Paired bootstrap resampling between two systems scored on the same items (Koehn 2004). Draw
 * `resamples` sets of n item indices with replacement (the same sets for both systems); in each,
 * re-score both systems from their summed per-item statistics. From the same draws:
 *
 * - **two-sided** p, as sacreBLEU 2.x computes it (significance.py, paired_bs): with
 *   d_i = |score_A − score_B| on resample i and d on all items,
 *   p = (#{i : d_i − mean(d) > d} + 1) / (resamples + 1);
 * - **one-sided** p that B is better than A (Kim et al.'s †) and that B is worse: with the gain
 *   g = score_B − score_A oriented by the metric (negated where lower is better), g_i on
 *   resample i and g on all items,
 *   p_better = (#{i : g_i − mean(g) > g} + 1) / (resamples + 1) when g > 0, else 1;
 *   p_worse  = (#{i : g_i − mean(g) < g} + 1) / (resamples + 1) when g < 0, else 1;
 * - 95 % percentile confidence intervals of score_A, score_B and score_B − score_A (quantiles
 *   2.5 % and 97.5 % of the resampled values, linear between order statistics as numpy's default).
 *
 * One departure from sacreBLEU: when the two systems score exactly the same on all items, every
 * p is 1 (its formula gives 1/(R+1) there, which would mark a system as significantly different
 * from itself). Resamples whose score is undefined (NaN) count as no exceedance.
 *
 * Every metric here is a function of summed per-item statistics (chrF, BLEU, pooled perplexity,
 * accuracy, macro-F1), so the corpus-level metric is recomputed on each resample rather than
 * averaging sentence scores. Indices come from the engine's seeded PRNG (mulberry32): index =
 * floor(u · n), drawn resample by resample, item by item.
 *
 * An average over languages (the tables' Avg. column) is tested with a stratified bootstrap: one
 * PRNG stream draws, resample by resample and language by language in column order, n_ℓ indices
 * of language ℓ; the resample's value is the mean of the languages' re-scored metrics.
 */
import { mulberry32 } from '../../random';

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 12345;
/** Two-sided confidence level of the intervals. */
export const CI_LEVEL = 0.95;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

export type Interval = [number, number];

/** The resample index sets: resamples × n indices in [0, n). */
export function bootstrapIndices(n: number, o: BootstrapOptions = {}): Uint32Array[] {
  const rng = mulberry32(o.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const out: Uint32Array[] = [];
  for (let r = 0; r < (o.resamples ?? DEFAULT_RESAMPLES); r++) {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rng() * n);
    out.push(idx);
  }
  return out;
}

/** Stratified index sets: sets[r][s] holds n_s indices of stratum s, drawn from one stream (resample by resample, stratum by stratum). */
export function stratifiedIndices(sizes: readonly number[], o: BootstrapOptions = {}): Uint32Array[][] {
  const rng = mulberry32(o.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const out: Uint32Array[][] = [];
  for (let r = 0; r < (o.resamples ?? DEFAULT_RESAMPLES); r++) {
    out.push(sizes.map((n) => {
      const idx = new Uint32Array(n);
      for (let i = 0; i < n; i++) idx[i] = Math.floor(rng() * n);
      return idx;
    }));
  }
  return out;
}

function summed(stats: readonly (readonly number[])[], idx: Uint32Array): number[] {
  const width = stats[0]!.length;
  const s = new Array<number>(width).fill(0);
  for (const i of idx) {
    const row = stats[i]!;
    for (let k = 0; k < width; k++) s[k]! += row[k]!;
  }
  return s;
}

export function allSummed(stats: readonly (readonly number[])[]): number[] {
  return summed(stats, Uint32Array.from(stats.keys()));
}

/** The metric re-scored on every index set. */
export function resampledScores(stats: readonly (readonly number[])[], score: (summedStats: number[]) => number, sets: readonly Uint32Array[]): Float64Array {
  return Float64Array.from(sets, (idx) => score(summed(stats, idx)));
}

/** The quantile q of the finite values (linear between order statistics: numpy's default); NaN when none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < v.length ? v[lo]! + (h - lo) * (v[lo + 1]! - v[lo]!) : v[lo]!;
}

export function percentileInterval(values: ArrayLike<number>, level = CI_LEVEL): Interval {
  return [quantile(values, (1 - level) / 2), quantile(values, 1 - (1 - level) / 2)];
}

export interface PairedTest {
  /** Two-sided p (sacreBLEU's paired_bs). */
  p: number;
  /** One-sided p that B is better than A (by the metric's direction). */
  pBetter: number;
  /** One-sided p that B is worse than A. */
  pWorse: number;
  /** score_B − score_A on all items. */
  delta: number;
  ciA: Interval;
  ciB: Interval;
  /** Of score_B − score_A. */
  ciDelta: Interval;
}

/**
 * The test from the two systems' full-data scores and their scores on the same resamples
 * (`drawsA[i]`, `drawsB[i]` from index set i). `identical`: the per-item statistics are equal.
 */
export function testFromDraws(realA: number, realB: number, drawsA: ArrayLike<number>, drawsB: ArrayLike<number>, higherIsBetter: boolean, identical = false): PairedTest {
  const R = drawsA.length;
  const sign = higherIsBetter ? 1 : -1;
  const delta = realB - realA;
  const deltas = Float64Array.from({ length: R }, (_, i) => drawsB[i]! - drawsA[i]!);
  const ci = { ciA: percentileInterval(drawsA), ciB: percentileInterval(drawsB), ciDelta: percentileInterval(deltas) };
  if (identical || delta === 0 || R === 0) return { p: 1, pBetter: 1, pWorse: 1, delta, ...ci };
  const mean = (xs: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[i]!;
    return s / xs.length;
  };
  const abs = Float64Array.from(deltas, Math.abs);
  const real = Math.abs(delta);
  const absMean = mean(abs);
  let above = 0;
  for (const d of abs) if (d - absMean > real) above++;
  const gains = Float64Array.from(deltas, (d) => sign * d);
  const g = sign * delta;
  const gMean = mean(gains);
  let higher = 0, lower = 0;
  for (const x of gains) {
    if (x - gMean > g) higher++;
    if (x - gMean < g) lower++;
  }
  return {
    p: (above + 1) / (R + 1),
    pBetter: g > 0 ? (higher + 1) / (R + 1) : 1,
    pWorse: g < 0 ? (lower + 1) / (R + 1) : 1,
    delta,
    ...ci,
  };
}

function sameStats(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  return a.every((row, i) => row.every((v, k) => v === b[i]![k]));
}

/** The paired test of systems A and B (per-item statistics, same items, same order). */
export function pairedBootstrapTest(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  score: (summedStats: number[]) => number,
  higherIsBetter: boolean,
  o: BootstrapOptions = {},
): PairedTest {
  if (a.length !== b.length) throw new Error(`paired bootstrap needs the same items (${a.length} vs ${b.length})`);
  if (a.length === 0) return { p: 1, pBetter: 1, pWorse: 1, delta: 0, ciA: [NaN, NaN], ciB: [NaN, NaN], ciDelta: [NaN, NaN] };
  const sets = bootstrapIndices(a.length, o);
  return testFromDraws(score(allSummed(a)), score(allSummed(b)), resampledScores(a, score, sets), resampledScores(b, score, sets), higherIsBetter, sameStats(a, b));
}

/** Two-sided p-value of the difference between systems A and B (per-item statistics, same items, same order). */
export function pairedBootstrap(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  score: (summedStats: number[]) => number,
  o: BootstrapOptions = {},
): number {
  return pairedBootstrapTest(a, b, score, true, o).p;
}

/** The mean over strata of the metric, on all items and on every stratified resample. */
export function stratifiedMeanDraws(strata: readonly (readonly (readonly number[])[])[], score: (summedStats: number[]) => number, sets: readonly Uint32Array[][]): { real: number; draws: Float64Array } {
  const real = strata.reduce((s, st) => s + score(allSummed(st)), 0) / strata.length;
  const draws = Float64Array.from(sets, (perStratum) => strata.reduce((s, st, k) => s + score(summed(st, perStratum[k]!)), 0) / strata.length);
  return { real, draws };
}
