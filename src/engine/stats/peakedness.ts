/**
 * Peakedness of a set of scores that is defined for every non-empty set (methods.md §7): excess
 * kurtosis is undefined exactly in the most peaked case, when every answer is the same score
 * (m2 = 0), so the numeric-bias tables also give the share of the modal score and the entropy of
 * the scores' histogram.
 */

/** Counts per distinct value, in ascending value order. */
export function histogram(x: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < x.length; i++) counts.set(x[i]!, (counts.get(x[i]!) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

/** The most frequent value (the lowest on a tie) and its share of the items; null for no items. */
export function modal(x: ArrayLike<number>): { value: number; share: number } | null {
  if (x.length === 0) return null;
  let best: [number, number] | undefined;
  for (const [v, c] of histogram(x)) if (!best || c > best[1]) best = [v, c];
  return { value: best![0], share: best![1] / x.length };
}

/** Share of the items holding the modal value: 1 when every answer is the same score; NaN for no items. */
export function modeShare(x: ArrayLike<number>): number {
  return modal(x)?.share ?? NaN;
}

/** Shannon entropy (bits) of the values' histogram: 0 when every answer is the same score; NaN for no items. */
export function histogramEntropy(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let h = 0;
  for (const c of histogram(x).values()) {
    const p = c / x.length;
    h -= p * Math.log2(p);
  }
  return h === 0 ? 0 : h;
}

/** The one value of a constant set (the case where kurtosis is undefined), else null. */
export function constantValue(x: ArrayLike<number>): number | null {
  if (x.length === 0) return null;
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return null;
  return x[0]!;
}
