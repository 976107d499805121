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
  const scratch = rowScratch(cols);
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
    if (rule.kind === 'unstructured') pruneLowest(score, rule.k, mask, base, scratch);
    else pruneGroups(score, rule.n, rule.m, mask, base);
  }
  return mask;
}

/**
 * Magnitude pruning with ONE threshold per matrix (the reference's prune_magnitude sorts the whole
 * flattened matrix): zeroes the ⌊rows·cols·sparsity⌋ weights of smallest |W| (ties: lower flat
 * index first), so rows end up unevenly sparse. `referenceRule` applies the reference's exact
 * test instead, |W| ≤ sorted(|W|)[⌊N·s⌋] (0-based), which zeroes one more weight and every tie.
 */
export function maskMatrixMagnitude(w: Float32Array, sparsity: number, referenceRule = false): Uint8Array {
  const n = w.length;
  const mask = new Uint8Array(n).fill(1);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(w[i]!);
    score[i] = a >= 0 ? a : 0; // NaN ranks as 0: pruned first
  }
  const k = Math.floor(n * sparsity);
  if (!referenceRule) {
    pruneLowest(score, k, mask, 0, rowScratch(n));
    return mask;
  }
  if (k >= n) return mask.fill(0);
  const t = rowThreshold(score, k, rowScratch(n));
  for (let i = 0; i < n; i++) mask[i] = score[i]! <= t ? 0 : 1;
  return mask;
}

/** Scratch buffers for one row length, reused across rows. */
export interface RowScratch {
  work: Float64Array;
  eq: Int32Array;
  sample: Float64Array;
}

export function rowScratch(cols: number): RowScratch {
  return { work: new Float64Array(cols), eq: new Int32Array(cols), sample: new Float64Array(SAMPLE) };
}

/**
 * Zeroes the k lowest scores of the row (ties: lower index first). The threshold pass is written
 * without a data-dependent branch (`+(v < t)`): with ~half the row below the threshold a branch
 * mispredicts constantly, and that tripled this loop's cost in measurements.
 */
export function pruneLowest(score: Float64Array, k: number, mask: Uint8Array, base: number, s: RowScratch): void {
  const n = score.length;
  if (k <= 0) return;
  if (k >= n) {
    mask.fill(0, base, base + n);
    return;
  }
  const t = rowThreshold(score, k - 1, s);
  let less = 0;
  let nEq = 0;
  for (let j = 0; j < n; j++) {
    const v = score[j]!;
    const lt = +(v < t);
    mask[base + j] = 1 - lt;
    less += lt;
    if (v === t) s.eq[nEq++] = j; // rare: a predictable branch
  }
  // The remaining k − less come from the scores equal to the threshold, lowest index first.
  for (let i = 0; i < k - less; i++) mask[base + s.eq[i]!] = 0;
}

/**
 * Sample size and rank slack of the Floyd–Rivest-style step in rowThreshold. 64 evenly spaced
 * samples put the k-th value between sample ranks r ± 10 in ~99% of rows measured (rank sd ≈ 4
 * at the median), and the candidates between those two samples are ~1/3 of the row, so the
 * exact selection runs on a third of the data. Rows shorter than 4·SAMPLE skip the step.
 */
const SAMPLE = 64;
const SLACK = 10;

/**
 * The k-th smallest score (0-based), exact. Brackets it between two sample values, keeps only
 * the candidates inside the bracket (one branch-free pass), and selects among those; when the
 * bracket misses (rare) it selects over the whole row.
 */
export function rowThreshold(score: Float64Array, k: number, s: RowScratch): number {
  const n = score.length;
  const { work, sample } = s;
  if (n >= 4 * SAMPLE) {
    for (let i = 0; i < SAMPLE; i++) sample[i] = score[Math.floor(((i + 0.5) * n) / SAMPLE)]!;
    sample.sort();
    const r = Math.floor((k * SAMPLE) / n);
    const lo = r - SLACK >= 0 ? sample[r - SLACK]! : -Infinity;
    const hi = r + SLACK < SAMPLE ? sample[r + SLACK]! : Infinity;
    let below = 0;
    let nc = 0;
    for (let j = 0; j < n; j++) {
      const v = score[j]!;
      below += +(v < lo);
      work[nc] = v;
      nc += +(v >= lo) & +(v <= hi);
    }
    if (below <= k && k < below + nc) return kthSmallest(work, k - below, nc);
  }
  work.set(score);
  return kthSmallest(work, k, n);
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
 * The k-th smallest value (0-based) of a[0..len), reordering it in place: Hoare partitioning around a
 * median-of-three pivot (Wirth's selection loop), linear on average and safe with many equal
 * values (both scans stop on equality).
 */
export function kthSmallest(a: Float64Array, k: number, len = a.length): number {
  let lo = 0;
  let hi = len - 1;
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

/**
 * `random`: each weight zeroed independently when its draw is < sparsity (see prng.ts). The
 * mulberry32 step is inlined and the comparison done on the raw uint32 (x < sparsity·2^32 is the
 * same test as x/2^32 < sparsity, both exact in F64), because this loop runs once per weight.
 */
export function randomMask(size: number, sparsity: number, seed: number): Uint8Array {
  const mask = new Uint8Array(size);
  const limit = sparsity * 4294967296;
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    mask[i] = ((t ^ (t >>> 14)) >>> 0) < limit ? 0 : 1;
  }
  return mask;
}

export function countZeros(mask: Uint8Array): number {
  let z = 0;
  for (let i = 0; i < mask.length; i++) z += 1 - mask[i]!;
  return z;
}
