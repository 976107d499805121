/**
 * Building blocks shared by decoder architectures: RMSNorm and rotary grouped-query attention.
 * Rows are tokens: activations are [N, width] with N = B·T, reshaped to heads only for attention.
 */
import type { GraphBuilder } from '../onnx/graph';
import type { ArchConfig, ForwardEmitter } from './types';

/** x / sqrt(mean(x²) + eps) · w, over the last axis. */
export function rmsNorm(g: GraphBuilder, x: string, w: string, eps: number): string {
  const ms = g.op('ReduceMean', [g.mul(x, x), g.ints([-1])], { keepdims: 1 });
  const inv = g.op('Reciprocal', [g.op('Sqrt', [g.add(ms, g.scalar(eps))])]);
  return g.mul(g.mul(x, inv), w);
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

/**
 * Causal (optionally sliding-window, through the mask input) grouped-query attention. Query
 * heads are grouped as [B, KV, rep, T, hd] so each KV head broadcasts over its `rep` query heads
 * without copying K and V (HF's repeat_kv: query head h uses KV head h // rep).
 * Returns hook_z, the input of o_proj: [N, H·hd].
 */
export function attention(c: ArchConfig, e: ForwardEmitter, layer: number, q: string, k: string, v: string): string {
  const { g } = e;
  const hd = c.dHead;
  const rep = c.nHeads / c.nKvHeads;
  const { cos, sin, mask } = e.inputs;
  const qh = rope(g, toHeads(g, e, q, c.nHeads, hd), cos, sin, hd); // [B, H, T, hd]
  let kh = rope(g, toHeads(g, e, k, c.nKvHeads, hd), cos, sin, hd); // [B, KV, T, hd]
  let vh = toHeads(g, e, v, c.nKvHeads, hd); // [B, KV, T, hd]
  if (e.kv) {
    const past = e.kv.past(layer); // [B, KV, P, hd]
    kh = g.op('Concat', [past.k, kh], { axis: 2 }); // [B, KV, S, hd]
    vh = g.op('Concat', [past.v, vh], { axis: 2 });
    e.kv.present(layer, kh, vh);
  }
  const qg = g.reshape(g.mul(qh, g.scalar(1 / Math.sqrt(hd))), [0, c.nKvHeads, rep, -1, hd]); // [B, KV, rep, T, hd]
  const kt = g.transpose(g.reshape(kh, [0, 0, 1, -1, hd]), [0, 1, 2, 4, 3]); // [B, KV, 1, hd, S]
  const scores = g.add(g.matmul(qg, kt), mask); // [B, KV, rep, T, S]
  const probs = g.op('Softmax', [scores], { axis: -1 });
  const ctx = g.matmul(probs, g.reshape(vh, [0, 0, 1, -1, hd])); // [B, KV, rep, T, hd]
  const merged = g.transpose(g.reshape(ctx, [0, c.nHeads, -1, hd]), [0, 2, 1, 3]); // [B, T, H, hd]
  return g.reshape(merged, [-1, c.nHeads * hd]); // [N, H·hd]
}
