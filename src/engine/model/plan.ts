/**
 * A graph plan says what one kind of run needs: hooks returned whole, hooks reduced to
 * statistics inside the graph, KV cache, interventions. Each distinct plan is built once into an
 * ONNX graph and an onnxruntime session (see model.ts), so a corpus run never holds
 * positions × d_mlp × layers values in JS memory: reductions happen in the graph.
 */
import { GraphBuilder } from '../onnx/graph';
import { DType } from '../onnx/proto';
import { hookRank, hookWidth, lensHooks } from '../hooks';
import { emitLensHead, type LensHeadSpec } from './lensHead';
import type { ArchAdapter, ArchConfig, ForwardEmitter, WeightSpec } from '../arch/types';
import { canonicalize, pruneUnused, RESID_IN, RESID_OUT, type CanonicalGraph, type Segment } from './segments';

/**
 * Statistics over valid (non-padding) positions, per hook dimension j:
 * - `sum`: Σ x_j; `sumsq`: Σ x_j² (Wanda's s[j]); `countPos`: #(x_j > 0) (LAPE);
 * - `seqSumSq`: Σ over each sequence's positions of x_j², per sequence [B, width]
 *   (per-sequence L2 norms for the large-magnitude features);
 * - `topK`: per dimension the k largest values over valid rows (k = the `topk_k` input, at most
 *   B·T) and their flat row indices b·T + t as F32 (exact below 2^24), [k, width] each; equal
 *   values come lower row first (ONNX TopK's tie rule), padding rows never win over real ones.
 */
export type StatKind = 'sum' | 'sumsq' | 'countPos' | 'seqSumSq' | 'topK';

export interface StatRequest {
  hook: string;
  kind: StatKind;
}

export interface GraphPlan {
  capture: string[];
  stats: StatRequest[];
  kvCache: boolean;
  lastPositionOnly: boolean;
  /** Layers whose hook_post is multiplied by a keep mask input `neuron_keep.{layer}` [d_mlp]. */
  deactivateLayers: number[];
  /** Weights replaced by Where(mask, W, 0) with a bool input `mask:{name}` (pruning variants). */
  maskedWeights: string[];
  /**
   * Hidden-state indices (methods.md §4: i < L = input of block i, L = after the final norm)
   * where an input `resid_shift.{i}` [d_model] is added at every position (LRP2, methods.md §5).
   */
  residualShifts?: number[];
  /**
   * The lens head fused into the whole-model graph (lensHead.ts): every lens layer's rows (lensHooks,
   * as a capture would return them, after interventions) go through the final norm and unembedding
   * at the end of this graph, and only its reductions leave it (LENS_OUT, rows layer-major:
   * layer · N + row). Inputs `lens_ids` and `lens_languages` when the spec counts them. No
   * second session, and the residual streams need not be captured. Whole-model graphs only.
   */
  lens?: LensHeadSpec;
}

/** Gemma 2's sliding-window layers read this mask; the other layers read `attn_mask`. */
export const WINDOW_MASK_INPUT = 'attn_mask_window';
export const statOutput = (s: StatRequest): string => `stat:${s.kind}:${s.hook}`;
/** The row indices that go with a `topK` stat's values. */
export const topKIndexOutput = (hook: string): string => `stat:topKIndex:${hook}`;
/** Graph input holding k for `topK` stats: INT64 [1]. */
export const TOPK_INPUT = 'topk_k';
/** Added to padding rows before TopK: far below any activation, still finite. */
const PAD_PENALTY = 3e38;
export const keepInput = (layer: number): string => `neuron_keep.${layer}`;
export const shiftInput = (hiddenState: number): string => `resid_shift.${hiddenState}`;
export const maskInput = (weight: string): string => `mask:${weight}`;
export const pastInput = (layer: number, kv: 'k' | 'v'): string => `past_${kv}.${layer}`;
export const presentOutput = (layer: number, kv: 'k' | 'v'): string => `present_${kv}.${layer}`;

export function planKey(p: GraphPlan, seg?: Segment): string {
  return JSON.stringify([p.capture, p.stats, p.kvCache, p.lastPositionOnly, p.deactivateLayers, p.maskedWeights, p.residualShifts ?? [], seg ?? null, ...(p.lens ? [p.lens] : [])]);
}

/** Rank (hooks.ts) of the last hook a plan needs: its graph computes nothing after it. */
export function planLastRank(p: GraphPlan, nLayers: number): number {
  const wanted = [...p.capture, ...p.stats.map((s) => s.hook), ...(p.lens ? lensHooks(nLayers) : [])];
  if (p.kvCache || p.lastPositionOnly) wanted.push('logits');
  return Math.max(...wanted.map((h) => hookRank(h, nLayers)));
}

/**
 * Where a weight the graph holds as a constant lives: an in-memory external-data "file" handed to
 * onnxruntime at session creation (ort.SessionSettings.externalData) with the weight's F32 bytes.
 */
export interface ConstantWeight {
  location: string;
  byteLength: number;
}

/**
 * The whole-model graph of a plan. Weights `constants` names become initializers in external
 * data (onnxruntime prepacks Gemm's B once, at session creation, and a GPU provider uploads them
 * once); every other weight is a graph input fed on each run. Masked weights are always inputs:
 * Where(mask, W, 0) is recomputed per variant, never folded into a copy.
 */
export function buildGraph(adapter: ArchAdapter, cfg: ArchConfig, weights: WeightSpec[], plan: GraphPlan, constants?: (name: string) => ConstantWeight | undefined): Uint8Array {
  return emitPlan(adapter, cfg, weights, plan, undefined, constants).encode(`${cfg.modelType}-plan`);
}

function missingLensRow(hook: string): never {
  throw new Error(`the forward emitted no ${hook} for the fused lens head`);
}

/**
 * One segment's graph (segments.ts) with positional names, so blocks of the same structure encode
 * to the same bytes and share one session; `inputs`/`outputs` map those names back to the real ones.
 */
export function buildSegmentGraph(adapter: ArchAdapter, cfg: ArchConfig, weights: WeightSpec[], plan: GraphPlan, seg: Segment): CanonicalGraph {
  const g = emitPlan(adapter, cfg, weights, plan, seg);
  pruneUnused(g);
  return canonicalize(g, `${cfg.modelType}-segment`);
}

function emitPlan(adapter: ArchAdapter, cfg: ArchConfig, weights: WeightSpec[], plan: GraphPlan, seg?: Segment, constants?: (name: string) => ConstantWeight | undefined): GraphBuilder {
  if (plan.lens && seg) throw new Error('the fused lens head needs the whole-model graph (every layer in one graph)');
  const g = new GraphBuilder();
  const ids = g.input('input_ids', DType.INT64, ['B', 'T']);
  // Rotary tables are graph inputs only when the adapter reads them (learned, sinusoidal and
  // ALiBi positions never do), so other models neither compute nor feed them.
  let rotary: { cos: string; sin: string } | undefined;
  const rotaryInputs = (): { cos: string; sin: string } =>
    (rotary ??= { cos: g.input('cos', DType.FLOAT, ['T', cfg.dHead]), sin: g.input('sin', DType.FLOAT, ['T', cfg.dHead]) });
  const mask = g.input('attn_mask', DType.FLOAT, ['T', 'S']);
  const needValid = plan.stats.length > 0;
  let topKInput: string | undefined;
  const valid = needValid ? g.input('valid', DType.FLOAT, [1, 'N']) : '';
  const shapeBT = g.op('Shape', [ids]);

  const specByName = new Map(weights.map((w) => [w.name, w]));
  const used = new Map<string, string>();
  const masked = new Set(plan.maskedWeights);
  const weight = (name: string): string => {
    let v = used.get(name);
    if (v) return v;
    const spec = specByName.get(name);
    if (!spec) throw new Error(`adapter asked for unknown weight ${name}`);
    const constant = masked.has(name) ? undefined : constants?.(name);
    if (constant) {
      g.initializers.push({ name, dtype: DType.FLOAT, dims: spec.shape, external: { location: constant.location, offset: 0, length: constant.byteLength } });
      used.set(name, name);
      return name;
    }
    v = g.input(name, DType.FLOAT, spec.shape);
    if (masked.has(name)) {
      const m = g.input(maskInput(name), DType.BOOL, spec.shape);
      v = g.op('Where', [m, v, g.scalar(0)]);
    }
    used.set(name, v);
    return v;
  };

  const lastRank = planLastRank(plan, cfg.nLayers);
  // A segment (streaming mode, segments.ts) reports only its own hooks and stops at its exit.
  const stopRank = seg?.exit !== undefined ? Math.min(lastRank, hookRank(seg.exit, cfg.nLayers)) : lastRank;
  const reports = (name: string): boolean => !seg || (hookRank(name, cfg.nLayers) > seg.reportAfter && hookRank(name, cfg.nLayers) <= seg.reportUpTo);
  const capture = new Set(plan.capture);
  // The fused lens head's rows: each lens layer's value as captured, in lensHooks order.
  const lensLayers = plan.lens ? lensHooks(cfg.nLayers) : [];
  const lensRows = new Map<string, string>();
  const deactivate = new Set(plan.deactivateLayers);
  const shifts = new Set(plan.residualShifts ?? []);
  const shiftAt = (name: string): number | undefined => {
    if (name === 'ln_final.hook_normalized') return cfg.nLayers;
    const r = /^blocks\.(\d+)\.hook_resid_pre$/.exec(name);
    return r ? Number(r[1]) : undefined;
  };

  // valid rows as [B, 1, T] for per-sequence reductions
  const validBT = (): string => {
    const b = g.op('Slice', [shapeBT, g.ints([0]), g.ints([1])]);
    const t = g.op('Slice', [shapeBT, g.ints([1]), g.ints([2])]);
    return g.op('Reshape', [valid, g.op('Concat', [b, g.ints([1]), t], { axis: 0 })]);
  };

  let windowMask: string | undefined;
  const emitter: ForwardEmitter = {
    g,
    windowMask: () => (windowMask ??= g.input(WINDOW_MASK_INPUT, DType.FLOAT, ['T', 'S'])),
    weight,
    hasWeight: (name) => specByName.has(name),
    lastPositionOnly: plan.lastPositionOnly,
    needs: (name) => hookRank(name, cfg.nLayers) <= stopRank,
    inputs: {
      ids,
      get cos() {
        return rotaryInputs().cos;
      },
      get sin() {
        return rotaryInputs().sin;
      },
      mask,
    },
    shapeBT,
    hook(name, value) {
      let v = value;
      if (seg?.entry === name) v = g.input(RESID_IN, DType.FLOAT, ['N', cfg.dModel]);
      if (!reports(name)) {
        if (seg?.exit === name) {
          g.name(v, RESID_OUT);
          g.output(RESID_OUT, DType.FLOAT, ['N', cfg.dModel]);
        }
        return v;
      }
      const m = /^blocks\.(\d+)\.mlp\.hook_post$/.exec(name);
      if (m && deactivate.has(Number(m[1]))) {
        v = g.mul(v, g.input(keepInput(Number(m[1])), DType.FLOAT, [cfg.dMlp]));
      }
      const at = shiftAt(name);
      if (at !== undefined && shifts.has(at)) v = g.add(v, g.input(shiftInput(at), DType.FLOAT, [cfg.dModel]));
      const width = hookWidth(name, cfg);
      if (lensLayers.includes(name)) lensRows.set(name, v);
      if (capture.has(name)) {
        g.name(v, name);
        g.output(name, DType.FLOAT, [name === 'logits' && plan.lastPositionOnly ? 1 : 'N', width]);
      }
      for (const s of plan.stats.filter((x) => x.hook === name)) {
        const out = statOutput(s);
        if (s.kind === 'topK') {
          // valid [1, N] → [N, 1]; padding rows get -3e38 so real rows always rank first.
          const penalty = g.mul(g.op('Sub', [g.reshape(valid, [-1, 1]), g.scalar(1)]), g.scalar(PAD_PENALTY)); // [N, 1]
          const k = topKInput ??= g.input(TOPK_INPUT, DType.INT64, [1]);
          const [values, rows] = g.opMulti('TopK', [g.add(v, penalty), k], 2, { axis: 0, largest: 1, sorted: 1 }); // [k, w] each
          g.name(values!, out);
          g.output(out, DType.FLOAT, ['K', width]);
          g.op('Cast', [rows!], { to: DType.FLOAT }, 'rows', topKIndexOutput(name));
          g.output(topKIndexOutput(name), DType.FLOAT, ['K', width]);
          continue;
        }
        if (s.kind === 'seqSumSq') {
          const rows = g.op('Reshape', [g.mul(v, v), g.op('Concat', [shapeBT, g.ints([width])], { axis: 0 })]); // [B, T, w]
          g.op('Reshape', [g.matmul(validBT(), rows), g.ints([-1, width])], undefined, 'seq', out); // [B, w]
          g.output(out, DType.FLOAT, ['B', width]);
          continue;
        }
        const term = s.kind === 'sum' ? v : s.kind === 'sumsq' ? g.mul(v, v) : g.op('Cast', [g.op('Greater', [v, g.scalar(0)])], { to: DType.FLOAT });
        // valid [1, N] · term [N, w]: the masked sum over rows as one GEMV.
        g.op('MatMul', [valid, term], undefined, 'stat', out);
        g.output(out, DType.FLOAT, [1, width]);
      }
      if (seg?.exit === name) {
        g.name(v, RESID_OUT);
        g.output(RESID_OUT, DType.FLOAT, ['N', cfg.dModel]);
      }
      return v;
    },
    kv: plan.kvCache
      ? {
          past: (layer) => ({
            k: g.input(pastInput(layer, 'k'), DType.FLOAT, ['B', cfg.nKvHeads, 'P', cfg.dHead]),
            v: g.input(pastInput(layer, 'v'), DType.FLOAT, ['B', cfg.nKvHeads, 'P', cfg.dHead]),
          }),
          present: (layer, k, v) => {
            if (seg && seg.layer !== layer) return;
            for (const [kind, val] of [['k', k], ['v', v]] as const) {
              g.name(val, presentOutput(layer, kind));
              g.output(presentOutput(layer, kind), DType.FLOAT, ['B', cfg.nKvHeads, 'S', cfg.dHead]);
            }
          },
        }
      : undefined,
  };
  adapter.emitForward(cfg, emitter);
  if (plan.lens) {
    // [(L+1)·N, D], layer-major as lens/run.ts numbers rows; one head over all of them.
    const rows = g.op('Concat', lensLayers.map((h) => lensRows.get(h) ?? missingLensRow(h)), { axis: 0 });
    emitLensHead(adapter, cfg, emitter, rows, plan.lens, 'LN', DType.FLOAT);
  }
  return g;
}
