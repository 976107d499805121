/**
 * Per-row mask selection, the hot loop of pruning (a 110M-parameter model has ~85M linear
 * weights): typed arrays only, one Float64Array row of scores reused across rows, and a
 * quickselect instead of a sort, so each row costs O(d_in).
 *
 * Scores are computed in F64 (|W| is exact in F64, and `factor` is F64), so the ranking matches a
 * plain-JS reference that multiplies the same numbers.
 *
 * Ties: among equal scores, the weight with the LOWER input index is pruned first. Unstructured
 * rows zero exactly k = ⌊d_in·sparsity⌋ weights (⌊⌋ of the F64 product, as the reference's
 * `int(W.shape[1]*sparsity)`). N:M zeroes exactly N per group.
 */
import type { NM } from './types';

export type RowRule = { kind: 'unstructured'; k: number } | { kind: 'nm'; n: number; m: number };

export function unstructuredRule(cols: number, sparsity: number): RowRule {
  return { kind: 'unstructured', k: Math.floor(cols * sparsity) };
}

export function nmRule(nm: NM): RowRule {
  return { kind: 'nm', n: nm.n, m: nm.m };
}

/**
 * Keep mask (1 = keep) for a [rows, cols] weight scored S[r,j] = |W[r,j]|·factor[j]
 * (factor = sqrt(s) for Wanda, undefined for magnitude). A zero weight scores 0 even when
 * factor[j] is +∞ (prog with a feature never seen in code), so 0·∞ never yields NaN.
 */
export function maskLinear(w: Float32Array, rows: number, cols: number, factor: Float64Array | undefined, rule: RowRule): Uint8Array {
  const mask = new Uint8Array(rows * cols).fill(1);
  const score = new Float64Array(cols);
  const work = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    if (factor) {
      for (let j = 0; j < cols; j++) {
        const a = Math.abs(w[base + j]!);
        const v = a === 0 ? 0 : a * factor[j]!;
        score[j] = v >= 0 ? v : 0; // NaN weights (corrupt checkpoints) rank as 0: pruned first
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const a = Math.abs(w[base + j]!);
        score[j] = a >= 0 ? a : 0;
      }
    }
    if (rule.kind === 'unstructured') pruneLowest(score, work, rule.k, mask, base);
    else pruneGroups(score, rule.n, rule.m, mask, base);
  }
  return mask;
}

/** Zeroes the k lowest scores of the row (ties: lower index first). */
export function pruneLowest(score: Float64Array, work: Float64Array, k: number, mask: Uint8Array, base: number): void {
  const n = score.length;
  if (k <= 0) return;
  if (k >= n) {
    mask.fill(0, base, base + n);
    return;
  }
  work.set(score);
  const t = kthSmallest(work, k - 1);
  let less = 0;
  for (let j = 0; j < n; j++) {
    if (score[j]! < t) {
      mask[base + j] = 0;
      less++;
    }
  }
  // The remaining k − less come from the scores equal to the threshold, lowest index first.
  let ties = k - less;
  for (let j = 0; j < n && ties > 0; j++) {
    if (score[j] === t) {
      mask[base + j] = 0;
      ties--;
    }
  }
}

/** In each group of m consecutive scores, zeroes the n lowest (ties: lower index first). */
function pruneGroups(score: Float64Array, n: number, m: number, mask: Uint8Array, base: number): void {
  for (let g = 0; g < score.length; g += m) {
    for (let t = 0; t < n; t++) {
      let best = -1;
      for (let j = g; j < g + m; j++) {
        if (mask[base + j] === 0) continue;
        if (best < 0 || score[j]! < score[best]!) best = j; // strict <: the lower index wins ties
      }
      mask[base + best] = 0;
    }
  }
}

/**
 * The k-th smallest value (0-based) of `a`, reordering `a` in place: Hoare partitioning around a
 * median-of-three pivot (Wirth's selection loop), linear on average and safe with many equal
 * values (both scans stop on equality).
 */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = median3(a[lo]!, a[mid]!, a[hi]!);
    let i = lo;
    let j = hi;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return a[k]!;
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/** `random`: each weight zeroed independently when its draw is < sparsity (see prng.ts). */
export function randomMask(size: number, sparsity: number, next: () => number): Uint8Array {
  const mask = new Uint8Array(size);
  for (let i = 0; i < size; i++) mask[i] = next() < sparsity ? 0 : 1;
  return mask;
}

export function countZeros(mask: Uint8Array): number {
  let z = 0;
  for (let i = 0; i < mask.length; i++) z += 1 - mask[i]!;
  return z;
}
