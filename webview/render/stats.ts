/** Small numeric helpers shared by the renderers. NaN inputs are skipped where noted. */

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

/** Linear-interpolated quantile (type 7, as numpy's default) of the finite values; NaN if none. */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const v: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]!)) v.push(xs[i]!);
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  return v[lo]! + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)]!) - v[lo]!);
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
