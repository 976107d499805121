/**
 * Paired bootstrap resampling between two systems scored on the same items (Koehn 2004), with
 * the p-value as sacreBLEU 2.x computes it (significance.py, paired_bs): draw `resamples` sets
 * of n item indices with replacement (the same sets for both systems); in each, re-score both
 * systems from their summed per-item statistics; with d_i = |score_A − score_B| on resample i
 * and d = |score_A − score_B| on all items,
 *
 *   p = (#{i : d_i − mean(d) > d} + 1) / (resamples + 1).
 *
 * One departure: when the two systems score exactly the same on all items, p = 1 (sacreBLEU's
 * formula gives 1/(R+1) there, which would mark a system as significantly different from itself).
 *
 * Every metric here is a function of summed per-item statistics (chrF, BLEU, pooled perplexity,
 * accuracy, macro-F1), so the corpus-level metric is recomputed on each resample rather than
 * averaging sentence scores. Indices come from the engine's seeded PRNG (mulberry32): index =
 * floor(u · n), drawn resample by resample, item by item.
 */
import { mulberry32 } from '../../random';

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 12345;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** Confidence level of the intervals (default CONFIDENCE_LEVEL). */
  level?: number;
}

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

function summed(stats: readonly (readonly number[])[], idx: Uint32Array): number[] {
  const width = stats[0]!.length;
  const s = new Array<number>(width).fill(0);
  for (const i of idx) {
    const row = stats[i]!;
    for (let k = 0; k < width; k++) s[k]! += row[k]!;
  }
  return s;
}

function allSummed(stats: readonly (readonly number[])[]): number[] {
  return summed(stats, Uint32Array.from(stats.keys()));
}

/** p-value of the difference between systems A and B (per-item statistics, same items, same order). */
export function pairedBootstrap(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  score: (summedStats: number[]) => number,
  o: BootstrapOptions = {},
): number {
  return pairedBootstrapTest(a, b, score, o).p;
}

/** Confidence level of the bootstrap intervals in results.json. */
export const CONFIDENCE_LEVEL = 0.95;

/**
 * The percentile interval of bootstrap replicates at `level`: with the R finite replicates sorted,
 * the ⌊R(1−level)/2⌋-th and the (⌈R(1+level)/2⌉−1)-th (0-based; R = 1000: the 25th and 974th);
 * [NaN, NaN] when no replicate is finite.
 */
export function percentileInterval(values: readonly number[], level = CONFIDENCE_LEVEL): [number, number] {
  const v = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (v.length === 0) return [NaN, NaN];
  const lo = Math.floor((v.length * (1 - level)) / 2);
  const hi = Math.ceil((v.length * (1 + level)) / 2) - 1;
  return [v[Math.min(lo, v.length - 1)]!, v[Math.max(0, Math.min(hi, v.length - 1))]!];
}

export interface PairedTest {
  /** As pairedBootstrap. */
  p: number;
  /** score_B − score_A on all items. */
  difference: number;
  /** Percentile interval of score_B − score_A over the same resamples. */
  low: number;
  high: number;
}

/** pairedBootstrap's p-value and, from the same resamples, an interval for the difference B − A. */
export function pairedBootstrapTest(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  score: (summedStats: number[]) => number,
  o: BootstrapOptions = {},
): PairedTest {
  if (a.length !== b.length) throw new Error(`paired bootstrap needs the same items (${a.length} vs ${b.length})`);
  if (a.length === 0) return { p: 1, difference: NaN, low: NaN, high: NaN };
  const difference = score(allSummed(b)) - score(allSummed(a));
  const real = Math.abs(difference);
  const sets = bootstrapIndices(a.length, o);
  const deltas = sets.map((idx) => score(summed(b, idx)) - score(summed(a, idx)));
  const [low, high] = percentileInterval(deltas, o.level);
  if (real === 0) return { p: 1, difference, low, high };
  const diffs = deltas.map((d) => Math.abs(d));
  const mean = diffs.reduce((x, y) => x + y, 0) / diffs.length;
  const above = diffs.filter((d) => d - mean > real).length;
  return { p: (above + 1) / (sets.length + 1), difference, low, high };
}

/** Percentile interval of one system's corpus-level score over the resamples (the same index sets as the tests). */
export function bootstrapInterval(stats: readonly (readonly number[])[], score: (summedStats: number[]) => number, o: BootstrapOptions = {}): [number, number] {
  if (stats.length === 0) return [NaN, NaN];
  return percentileInterval(bootstrapIndices(stats.length, o).map((idx) => score(summed(stats, idx))), o.level);
}
