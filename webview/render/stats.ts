/**
 * Small numeric helpers shared by the renderers. NaN inputs are skipped where noted. Quantiles are
 * d3-array's; mean/std stay here because d3.deviation is the sample (n−1) std and the feature
 * z-scores (methods.md §4) use the population std.
 */
import { quantile as d3quantile } from 'd3';

/** Mean and population standard deviation over the finite values. */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number; n: number } {
  let n = 0, sum = 0;
  for (let i = 0; i < xs.length; i++) { const v = xs[i]!; if (Number.isFinite(v)) { n++; sum += v; } }
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) { const v = xs[i]!; if (Number.isFinite(v)) ss += (v - mean) ** 2; }
  return { mean, std: Math.sqrt(ss / n), n };
}

/** z-scores; non-finite inputs stay NaN; a constant input (std 0) gives all zeros. */
export function zScores(xs: ArrayLike<number>): Float32Array {
  const { mean, std } = meanStd(xs);
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    out[i] = !Number.isFinite(v) ? NaN : std > 0 ? (v - mean) / std : 0;
  }
  return out;
}

/** Natural log, with x ≤ 0 mapped to NaN (an importance of exactly 0 has no log; such features are not plotted). */
export function logPositive(xs: ArrayLike<number>): Float32Array {
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) { const v = xs[i]!; out[i] = v > 0 ? Math.log(v) : NaN; }
  return out;
}

/**
 * Linear-interpolated quantile (type 7, as numpy's default) of the finite values; NaN if none.
 * d3.quantile skips NaN itself (and selects in O(n) rather than sorting); ±Infinity is dropped here.
 */
export function quantile(xs: Iterable<number>, q: number): number {
  return d3quantile(xs, q, (v) => (Number.isFinite(v) ? v : NaN)) ?? NaN;
}

export function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) { const a = Math.abs(xs[i]!); if (a > m) m = a; }
  return m;
}

/** |x| values, for robust scale domains. */
export function absValues(xs: ArrayLike<number>): Float32Array {
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = Math.abs(xs[i]!);
  return out;
}
