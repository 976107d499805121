/**
 * Seeded randomness for calibration sampling: the same seed gives the same calibration set on
 * every machine (methods.md asks for explicit seeds). mulberry32: a tiny, well-mixed 32-bit
 * generator — statistical quality is ample for choosing sentences.
 */
import { mulberry32, type Rng } from '../random';

export { mulberry32, type Rng };

/**
 * Uniform sample of up to `k` items from a stream (reservoir sampling, Algorithm R), returned in
 * stream order. Memory is O(k) whatever the stream length.
 */
export async function reservoir<T>(items: AsyncIterable<T>, k: number, rng: Rng): Promise<T[]> {
  const kept: { i: number; v: T }[] = [];
  let i = 0;
  for await (const v of items) {
    if (kept.length < k) kept.push({ i, v });
    else {
      const r = Math.floor(rng() * (i + 1));
      if (r < k) kept[r] = { i, v };
    }
    i++;
  }
  return kept.sort((a, b) => a.i - b.i).map((x) => x.v);
}

/** `n` distinct indices below `size` (all of them, shuffled, when n ≥ size). */
export function distinctIndices(size: number, n: number, rng: Rng): number[] {
  const idx = Array.from({ length: size }, (_, i) => i);
  const m = Math.min(n, size);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (size - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m);
}
