/**
 * Order statistics as the reference scripts take them (RUCAIBox/Language-Specific-Neurons
 * `identify.py`, hwichan0720/pruning_for_multilinguality `overlap_analysis.py`): a count is
 * `round(n·q)` with Python's round (ties to even), and a threshold is the k-th smallest value,
 * 1-based (torch `kthvalue(k)`), not an interpolated quantile.
 */

/** Python's round(): nearest integer, halves to the even neighbour (round(2.5) = 2, round(3.5) = 4). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The k-th smallest of `values` (1-based, k clamped to [1, n]); NaN for an empty input. */
export function kthValue(values: ArrayLike<number>, k: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const v = Float64Array.from(values).sort();
  return v[Math.min(n, Math.max(1, k)) - 1]!;
}

/** kthvalue(round(n·q)): the order statistic identify.py uses for its activation bar. */
export function orderStatistic(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} is outside [0, 1]`);
  return kthValue(values, roundHalfEven(values.length * q));
}
