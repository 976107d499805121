/** Quadrants of the feature scatter (methods.md §4): boundaries at 0 on both z-scored axes. */
export type Quadrant = 'I' | 'II' | 'III' | 'IV';

/** x = translation z-score, y = monolingual z-score. Points on an axis (x or y exactly 0) or NaN belong to none. */
export function quadrantOf(x: number, y: number): Quadrant | null {
  if (!(x !== 0 && y !== 0) || Number.isNaN(x) || Number.isNaN(y)) return null;
  if (x > 0) return y > 0 ? 'I' : 'IV';
  return y > 0 ? 'II' : 'III';
}

/** Counts per quadrant of paired arrays. */
export function quadrantCounts(xs: ArrayLike<number>, ys: ArrayLike<number>): Record<Quadrant, number> {
  const c: Record<Quadrant, number> = { I: 0, II: 0, III: 0, IV: 0 };
  for (let i = 0; i < xs.length; i++) {
    const q = quadrantOf(xs[i]!, ys[i]!);
    if (q) c[q]++;
  }
  return c;
}
