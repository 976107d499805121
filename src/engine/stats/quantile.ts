/**
 * Quantile with linear interpolation between order statistics — numpy's default ("linear",
 * Hyndman–Fan type 7) and torch.quantile's default: for sorted v of length n,
 * h = (n − 1)·q, result = v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]).
 */
export function quantileLinear(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} is outside [0, 1]`);
  const n = values.length;
  if (n === 0) return NaN;
  const v = Float64Array.from(values).sort();
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return v[lo]! + (h - lo) * (v[hi]! - v[lo]!);
}
