/**
 * A deliberately plain reference of methods.md §3, independent of src/engine/pruning: s[j] summed
 * in JS over activations captured per sequence (captureHooks), scores in plain numbers, each row
 * sorted by (score, index) and the first k (or the N lowest of each group of M) zeroed.
 */
import { captureHooks } from '../../src/engine/capture';
import type { LoadedModel, Variant } from '../../src/engine/model/model';

/** llama2.c's stories260K, committed as a test fixture (helpers/shared.ts). */
export { STORIES260K as STORIES } from '../helpers/shared';

export const TEXTS = [
  'Once upon a time, there was a little girl named Lily. She loved to play outside.',
  'The cat sat on the mat and looked at the big red ball.',
  'Tom and Sue went to the park. They saw a dog and a bird.',
];
export const CODE_TEXTS = ['for (let i = 0; i < n; i++) { x[i] = 0; }', 'def f(x):\n    return x * 2\n'];

export interface RefLinear {
  name: string;
  layer: number;
  rows: number;
  cols: number;
  hook: string;
}

export function refLinears(model: LoadedModel): RefLinear[] {
  return model.specs
    .filter((s) => s.linear)
    .map((s) => ({ name: s.name, layer: s.linear!.layer, rows: s.shape[0]!, cols: s.shape[1]!, hook: s.linear!.inputHook }));
}

/** s[j] = Σ over every position of every sequence of x_j², one capture per sequence (no padding at all). */
export async function refSumSq(model: LoadedModel, seqs: number[][], hooks: string[], variant?: Variant): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const ids of seqs) {
    const cap = await captureHooks(model, { ids, hooks: [...new Set(hooks)], variant });
    for (const [h, t] of Object.entries(cap)) {
      const w = t.dims[1]!;
      const acc = out.get(h) ?? new Array<number>(w).fill(0);
      for (let p = 0; p < t.dims[0]!; p++) for (let j = 0; j < w; j++) acc[j] += t.data[p * w + j]! ** 2;
      out.set(h, acc);
    }
  }
  return out;
}

export type Rule = { k: number } | { n: number; m: number };

/** Keep mask of one weight from per-input factors (undefined = magnitude). */
export function refMask(w: Float32Array, rows: number, cols: number, factor: number[] | undefined, rule: Rule): Uint8Array {
  const mask = new Uint8Array(rows * cols).fill(1);
  for (let r = 0; r < rows; r++) {
    const score = (j: number): number => {
      const a = Math.abs(w[r * cols + j]!);
      return factor === undefined || a === 0 ? a : a * factor[j]!;
    };
    const pruneLowest = (js: number[], k: number): void => {
      const order = js.map((j) => ({ j, s: score(j) })).sort((x, y) => x.s - y.s || x.j - y.j);
      for (const { j } of order.slice(0, k)) mask[r * cols + j] = 0;
    };
    if ('k' in rule) pruneLowest([...Array(cols).keys()], rule.k);
    else for (let g = 0; g < cols; g += rule.m) pruneLowest([...Array(rule.m).keys()].map((i) => g + i), rule.n);
  }
  return mask;
}

const ruleFor = (l: RefLinear, sparsity: number, nm?: { n: number; m: number }): Rule => nm ?? { k: Math.floor(l.cols * sparsity) };

/** Wanda or prog masks, sequential (re-capturing on the partially pruned model per block) or oneshot. */
export async function refCalibrated(
  model: LoadedModel,
  o: { sets: number[][][]; combine: (s: number[]) => number; sparsity: number; mode: 'sequential' | 'oneshot'; nm?: { n: number; m: number } },
): Promise<Map<string, Uint8Array>> {
  const linears = refLinears(model);
  const masks = new Map<string, Uint8Array>();
  const layers = o.mode === 'oneshot' ? [linears.map((l) => l.layer)] : [...new Set(linears.map((l) => l.layer))].map((l) => [l]);
  for (const group of layers) {
    const these = linears.filter((l) => group.includes(l.layer));
    const variant = o.mode === 'sequential' && masks.size ? new Map(masks) : undefined;
    const stats = [];
    for (const seqs of o.sets) stats.push(await refSumSq(model, seqs, these.map((l) => l.hook), variant));
    for (const l of these) {
      const per = stats.map((s) => s.get(l.hook)!);
      const factor = per[0]!.map((_, j) => o.combine(per.map((p) => p[j]!)));
      masks.set(l.name, refMask(model.weights.get(l.name)!, l.rows, l.cols, factor, ruleFor(l, o.sparsity, o.nm)));
    }
  }
  return masks;
}

/** Wanda: f = sqrt(s). */
export const wandaCombine = (s: number[]): number => Math.sqrt(s[0]!);
/** prog: f = sqrt(s_mt² / s_code), 0 when s_mt = 0. */
export const progCombine = (s: number[]): number => (s[0] === 0 ? 0 : Math.sqrt(s[0]! ** 2 / s[1]!));

export function diffCount(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}
