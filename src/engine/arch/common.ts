/**
 * Building blocks shared by decoder architectures: RMSNorm, LayerNorm, GELU variants, learned or
 * ALiBi positions, and grouped-query attention (rotary by default).
 * Rows are tokens: activations are [N, width] with N = B·T, reshaped to heads only for attention.
 */
import type { GraphBuilder } from '../onnx/graph';
import { DType } from '../onnx/proto';
import type { ArchAdapter, ArchConfig, ForwardEmitter } from './types';

/** x / sqrt(mean(x²) + eps) · w, over the last axis. */
export function rmsNorm(g: GraphBuilder, x: string, w: string, eps: number): string {
  const ms = g.op('ReduceMean', [g.mul(x, x), g.ints([-1])], { keepdims: 1 });
  const inv = g.op('Reciprocal', [g.op('Sqrt', [g.add(ms, g.scalar(eps))])]);
  return g.mul(g.mul(x, inv), w);
}

/** torch.nn.LayerNorm over the last axis (biased variance), as ONNX LayerNormalization (opset 17+). */
export function layerNorm(g: GraphBuilder, x: string, w: string, b: string, eps: number): string {
  return g.op('LayerNormalization', [x, w, b], { axis: -1, epsilon: { float: eps } });
}

/**
 * GELU as the checkpoints' configs name it: `erf` is the exact form (torch's nn.GELU, HF "gelu");
 * `tanh` is 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (HF gelu_new / gelu_pytorch_tanh / gelu_fast,
 * BLOOM's bloom_gelu_forward: the same function up to the constant's printed digits).
 */
export type GeluKind = 'erf' | 'tanh';
export function gelu(g: GraphBuilder, x: string, kind: GeluKind): string {
  const half = g.mul(x, g.scalar(0.5));
  if (kind === 'erf') return g.mul(half, g.add(g.scalar(1), g.op('Erf', [g.mul(x, g.scalar(Math.SQRT1_2))])));
  const cube = g.mul(g.mul(x, x), x);
  const inner = g.mul(g.add(x, g.mul(cube, g.scalar(0.044715))), g.scalar(Math.sqrt(2 / Math.PI)));
  return g.mul(half, g.add(g.scalar(1), g.op('Tanh', [inner])));
}

/**
 * Absolute positions of the T new tokens, past..past+T-1 as int64 [T], read off the mask's shape
 * [T, S] (S = past + T), so learned or sinusoidal position tables need no extra graph input.
 */
export function newPositions(e: ForwardEmitter): string {
  const { g } = e;
  const [T, S] = maskDims(e);
  return range(g, g.op('Sub', [S, T]), S); // [T]
}

/** T and S of the mask [T, S], each as an int64 [1]. */
function maskDims(e: ForwardEmitter): [string, string] {
  const { g } = e;
  const shape = g.op('Shape', [e.inputs.mask]);
  return [g.op('Slice', [shape, g.ints([0]), g.ints([1])]), g.op('Slice', [shape, g.ints([1]), g.ints([2])])];
}

/** start..end-1 as int64, from two int64 [1] tensors. */
function range(g: GraphBuilder, start: string, end: string): string {
  const scalar = (v: string): string => g.op('Squeeze', [v, g.ints([0])]);
  return g.op('Range', [scalar(start), scalar(end), scalar(g.ints([1]))]);
}

/** Token rows [N, w] plus one row per position [T, w] (the same for every sequence of the batch). */
export function addPerPosition(e: ForwardEmitter, x: string, perPos: string, width: number): string {
  const { g } = e;
  const rows = g.op('Reshape', [x, g.op('Concat', [e.shapeBT, g.ints([width])], { axis: 0 })]); // [B, T, w]
  return g.reshape(g.add(rows, perPos), [-1, width]); // [N, w]
}

/**
 * ALiBi slopes as Hugging Face's build_alibi_tensor computes them: a geometric sequence for the
 * largest power of two ≤ heads, then every other slope of the next power of two for the rest.
 */
export function alibiSlopes(nHeads: number): number[] {
  const p = 2 ** Math.floor(Math.log2(nHeads));
  const base = Math.fround(2 ** -(2 ** -(Math.log2(p) - 3)));
  const slopes = Array.from({ length: p }, (_, i) => Math.fround(base ** (i + 1)));
  if (p !== nHeads) {
    const extra = Math.fround(2 ** -(2 ** -(Math.log2(2 * p) - 3)));
    const rest = Math.min(p, nHeads - p);
    for (let i = 0; i < rest; i++) slopes.push(Math.fround(extra ** (2 * i + 1)));
  }
  return slopes;
}

/**
 * ALiBi score bias slope_h · s for key position s, [H, 1, 1, S] against scores [B, H, 1, T, S].
 * HF adds slope·(key position) rather than slope·(s − t): softmax is shift-invariant per query row.
 */
export function alibiBias(e: ForwardEmitter, nHeads: number): string {
  const { g } = e;
  const keys = g.op('Cast', [range(g, g.ints([0]), maskDims(e)[1])], { to: DType.FLOAT }); // [S]
  return g.mul(g.floats(alibiSlopes(nHeads), [nHeads, 1, 1, 1]), keys); // [H, 1, 1, S]
}

/**
 * The end of every forward pass: the final norm on the residual rows x [N, D] (hook
 * ln_final.hook_normalized), then the adapter's unembedding on every row, or on the last row only
 * when generating (hook logits). The lens head (model/lensHead.ts) calls the same two adapter functions.
 */
export function emitHead(a: Pick<ArchAdapter, 'finalNorm' | 'unembed'>, c: ArchConfig, e: ForwardEmitter, x: string): void {
  const { g } = e;
  if (!e.needs('ln_final.hook_normalized')) return;
  const hf = e.hook('ln_final.hook_normalized', a.finalNorm(c, e, x)); // [N, D]
  if (!e.needs('logits')) return;
  const rows = e.lastPositionOnly ? g.op('Slice', [hf, g.ints([-1]), g.ints([2 ** 31 - 1]), g.ints([0])]) : hf; // [N or 1, D]
  e.hook('logits', a.unembed(c, e, rows)); // [N or 1, vocab]
}

/** cap·tanh(x / cap): Gemma 2's attention-score and final-logit soft-capping. */
export function softcap(g: GraphBuilder, x: string, cap: number): string {
  return g.mul(g.op('Tanh', [g.op('Div', [x, g.scalar(cap)])]), g.scalar(cap));
}

/** HF rotate_half RoPE: x·cos + rotate_half(x)·sin, with x [B, heads, T, hd] and cos/sin [T, hd]. */
function rope(g: GraphBuilder, x: string, cos: string, sin: string, hd: number): string {
  const half = hd / 2;
  const x1 = g.op('Slice', [x, g.ints([0]), g.ints([half]), g.ints([-1])]);
  const x2 = g.op('Slice', [x, g.ints([half]), g.ints([hd]), g.ints([-1])]);
  const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
  return g.add(g.mul(x, cos), g.mul(rotated, sin));
}

/** [N, heads·hd] → [B, heads, T, hd] */
function toHeads(g: GraphBuilder, e: ForwardEmitter, x: string, heads: number, hd: number): string {
  const shape = g.op('Concat', [e.shapeBT, g.ints([heads, hd])], { axis: 0 });
  return g.transpose(g.op('Reshape', [x, shape]), [0, 2, 1, 3]);
}

export interface AttentionOptions {
  /** Rotary position embeddings on q and k (default true; false for learned, sinusoidal or ALiBi positions). */
  rope?: boolean;
  /** Multiplier of q·k (default 1/√d_head). */
  scale?: number;
  /** Added to the scores before the mask, broadcast against [B, KV, rep, T, S] (ALiBi). */
  scoreBias?: string;
  /** Gemma 2: scores ← cap·tanh(scores / cap) after scaling, before the mask. */
  softcap?: number;
  /** Additive mask [T, S] replacing inputs.mask (Gemma 2's sliding-window layers). */
  mask?: string;
}

/**
 * Causal (optionally sliding-window, through the mask input) grouped-query attention. Query
 * heads are grouped as [B, KV, rep, T, hd] so each KV head broadcasts over its `rep` query heads
 * without copying K and V (HF's repeat_kv: query head h uses KV head h // rep).
 * Returns hook_z, the input of o_proj: [N, H·hd].
 */
export function attention(c: ArchConfig, e: ForwardEmitter, layer: number, q: string, k: string, v: string, o: AttentionOptions = {}): string {
  const { g } = e;
  const hd = c.dHead;
  const rep = c.nHeads / c.nKvHeads;
  const { mask } = e.inputs;
  // cos/sin are read only when used: reading them declares the rotary graph inputs.
  const rot = (x: string): string => (o.rope === false ? x : rope(g, x, e.inputs.cos, e.inputs.sin, hd));
  const qh = rot(toHeads(g, e, q, c.nHeads, hd)); // [B, H, T, hd]
  let kh = rot(toHeads(g, e, k, c.nKvHeads, hd)); // [B, KV, T, hd]
  let vh = toHeads(g, e, v, c.nKvHeads, hd); // [B, KV, T, hd]
  if (e.kv) {
    const past = e.kv.past(layer); // [B, KV, P, hd]
    kh = g.op('Concat', [past.k, kh], { axis: 2 }); // [B, KV, S, hd]
    vh = g.op('Concat', [past.v, vh], { axis: 2 });
    e.kv.present(layer, kh, vh);
  }
  const qg = g.reshape(g.mul(qh, g.scalar(o.scale ?? 1 / Math.sqrt(hd))), [0, c.nKvHeads, rep, -1, hd]); // [B, KV, rep, T, hd]
  const kt = g.transpose(g.reshape(kh, [0, 0, 1, -1, hd]), [0, 1, 2, 4, 3]); // [B, KV, 1, hd, S]
  const qk = g.matmul(qg, kt); // [B, KV, rep, T, S]
  const biased = o.scoreBias ? g.add(qk, o.scoreBias) : qk;
  const capped = o.softcap ? softcap(g, biased, o.softcap) : biased;
  const scores = g.add(capped, o.mask ?? mask); // [B, KV, rep, T, S]
  const probs = g.op('Softmax', [scores], { axis: -1 });
  const ctx = g.matmul(probs, g.reshape(vh, [0, 0, 1, -1, hd])); // [B, KV, rep, T, hd]
  const merged = g.transpose(g.reshape(ctx, [0, c.nHeads, -1, hd]), [0, 2, 1, 3]); // [B, T, H, hd]
  return g.reshape(merged, [-1, c.nHeads * hd]); // [N, H·hd]
}
