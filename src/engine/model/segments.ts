/**
 * Block-by-block execution (weights mode `streaming`/`mapped`, model/weights.ts): a run is split
 * into segments — the embedding, each decoder block, the final norm and head — and each segment is
 * its own graph, built from the same adapter forward pass as the whole-model graph. A segment
 * replaces the value at its entry hook by the input `resid_in` [N, d_model] and returns the value
 * at its exit hook as `resid_out`; the residual stream of a batch passes from segment to segment,
 * and each segment needs only its own weights, widened to F32 just for its run. Architecture
 * agnostic: it relies only on the hook names every adapter reports (hooks.ts) and on dead-node
 * removal, not on any adapter's internals.
 */
import { createHash } from 'node:crypto';
import type { GraphBuilder } from '../onnx/graph';
import { encodeModel } from '../onnx/proto';
import { OPSET } from '../onnx/graph';
import { hookRank } from '../hooks';

export const RESID_IN = 'resid_in';
export const RESID_OUT = 'resid_out';

export interface Segment {
  /** Hook whose value is replaced by `resid_in` (none: the segment starts from the token ids). */
  entry?: string;
  /** Hook whose value is output as `resid_out`; nothing after it is emitted (none: to the end). */
  exit?: string;
  /** Hooks with reportAfter < rank ≤ reportUpTo are captured/reduced in this segment. */
  reportAfter: number;
  reportUpTo: number;
  /** The decoder block of this segment (its KV cache); -1 for the embedding and the head. */
  layer: number;
}

/**
 * Segments that cover a run whose last needed hook has rank `lastRank`: the embedding (hook_embed),
 * blocks 0..i (each from its hook_resid_pre to its hook_resid_post) as far as needed, and the head
 * (ln_final, logits) when needed.
 */
export function segmentsFor(nLayers: number, lastRank: number): Segment[] {
  const pre = (i: number): string => `blocks.${i}.hook_resid_pre`;
  const post = (i: number): string => `blocks.${i}.hook_resid_post`;
  const r = (h: string): number => hookRank(h, nLayers);
  const out: Segment[] = [{ exit: lastRank >= r(pre(0)) ? pre(0) : undefined, reportAfter: -Infinity, reportUpTo: r(pre(0)) - 1, layer: -1 }];
  for (let i = 0; i < nLayers && r(pre(i)) <= lastRank; i++) {
    out.push({ entry: pre(i), exit: lastRank > r(post(i)) ? post(i) : undefined, reportAfter: r(pre(i)) - 1, reportUpTo: r(post(i)), layer: i });
  }
  if (nLayers > 0 && lastRank > r(post(nLayers - 1))) out.push({ entry: post(nLayers - 1), reportAfter: r(post(nLayers - 1)), reportUpTo: Infinity, layer: -1 });
  return out;
}

/** Removes nodes, inputs and initializers that no graph output depends on (nodes are in topological order). */
export function pruneUnused(g: GraphBuilder): void {
  const needed = new Set(g.outputs.map((o) => o.name));
  const kept = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (!n.outputs.some((o) => needed.has(o))) continue;
    kept.push(n);
    for (const x of n.inputs) needed.add(x);
  }
  g.nodes.splice(0, g.nodes.length, ...kept.reverse());
  const inputs = g.inputs.filter((x) => needed.has(x.name));
  g.inputs.splice(0, g.inputs.length, ...inputs);
  const inits = g.initializers.filter((x) => needed.has(x.name));
  g.initializers.splice(0, g.initializers.length, ...inits);
}

export interface CanonicalGraph {
  bytes: Uint8Array;
  /** sha256 of `bytes`: segments with equal keys can share a session. */
  key: string;
  /** Positional graph name → real name (weights, masks, KV cache, hooks, statistics). */
  inputs: Map<string, string>;
  outputs: Map<string, string>;
}

/** Inputs every segment graph shares under their real names (the run's own feeds), in a fixed order. */
const SHARED_ORDER = ['input_ids', 'cos', 'sin', 'attn_mask', 'valid', RESID_IN, RESID_OUT];
const SHARED = new Set(SHARED_ORDER);

/**
 * Renames every value positionally (inputs `i0…`, outputs `o0…`, initializers `c0…`, node outputs
 * `v0…`, nodes `n0…`), so two blocks whose graphs differ only in names (their layer index) encode
 * to the same bytes: one session then serves every block of a model.
 */
export function canonicalize(g: GraphBuilder, graphName: string): CanonicalGraph {
  const rename = new Map<string, string>();
  const inputs = new Map<string, string>();
  const outputs = new Map<string, string>();
  // Shared inputs first, in a fixed order: an adapter may create one (the rotary tables) in an
  // earlier block, which would otherwise put it before or after resid_in depending on the block.
  const rank = (name: string): number => (SHARED.has(name) ? SHARED_ORDER.indexOf(name) : SHARED_ORDER.length);
  const ordered = g.inputs.map((x, k) => ({ x, k })).sort((a, b) => rank(a.x.name) - rank(b.x.name) || a.k - b.k).map(({ x }) => x);
  g.inputs.splice(0, g.inputs.length, ...ordered);
  g.inputs.forEach((x, k) => {
    const c = SHARED.has(x.name) ? x.name : `i${k}`;
    rename.set(x.name, c);
    inputs.set(c, x.name);
  });
  g.outputs.forEach((x, k) => {
    const c = SHARED.has(x.name) ? x.name : `o${k}`;
    rename.set(x.name, c);
    outputs.set(c, x.name);
  });
  g.initializers.forEach((x, k) => rename.set(x.name, `c${k}`));
  let v = 0;
  for (const n of g.nodes) for (const o of n.outputs) if (!rename.has(o)) rename.set(o, `v${v++}`);
  const r = (name: string): string => (name === '' ? '' : (rename.get(name) ?? name));
  const bytes = encodeModel({
    nodes: g.nodes.map((n, k) => ({ ...n, name: `n${k}`, inputs: n.inputs.map(r), outputs: n.outputs.map(r) })),
    initializers: g.initializers.map((x) => ({ ...x, name: r(x.name) })),
    inputs: g.inputs.map((x) => ({ ...x, name: r(x.name) })),
    outputs: g.outputs.map((x) => ({ ...x, name: r(x.name) })),
    opset: OPSET,
    producer: 'polyglot-lens',
    graphName,
  });
  return { bytes, key: createHash('sha256').update(bytes).digest('hex'), inputs, outputs };
}
