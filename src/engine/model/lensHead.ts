/**
 * The lens head (methods.md §8) as graph nodes: residual-stream rows of any layer → the model's own
 * final norm and unembedding (adapter.finalNorm / adapter.unembed, the same code the forward pass
 * ends with, so the last layer's lens is the logits) → log-softmax over the vocabulary, reduced
 * inside the graph to what leaves it: the top-k tokens per row, the log-probabilities of a few named
 * token ids (targets), the probability mass per language (one GEMV against the token-language
 * matrix) and the entropy. Emitted into the stand-alone lens graph (lens/graph.ts) and, fused, at the
 * end of a forward plan's whole-model graph (plan.ts, GraphPlan.lens): the same nodes in both, so the
 * two give the same numbers. The [rows, vocab] distribution exists only inside one run.
 */
import { DType } from '../onnx/proto';
import type { ArchAdapter, ArchConfig, HeadEmitter } from '../arch/types';

/** What a lens head reduces each row to. */
export interface LensHeadSpec {
  /** Top tokens kept per row (≤ vocab). */
  k: number;
  /**
   * Whether log-probabilities of named token ids (targets) are gathered per row: graph input
   * `lens_ids` [I], I left open so prompts with other targets (a lens dataset's items) share the graph.
   */
  targets: boolean;
  /** Columns of the token-language matrix `lens_languages` [vocab, C] (0 = no language mass). */
  languages: number;
}

/** A head fused into a forward plan: its spec (GraphPlan.lens) and what each run feeds it (RunOptions.lens). */
export interface FusedLensHead {
  spec: LensHeadSpec;
  /** The target ids it gathers (some when spec.targets) and the token-language matrix [vocab, spec.languages]. */
  inputs: { ids: readonly number[]; languages?: Float32Array };
}

export const LENS_IDS = 'lens_ids';
export const LENS_LANGUAGES = 'lens_languages';
export const LENS_OUT = { topLogp: 'lens_top_logp', topId: 'lens_top_id', idLogp: 'lens_id_logp', mass: 'lens_language_mass', entropy: 'lens_entropy' } as const;

/**
 * Emits the head over `rows` [M, d_model] and declares its outputs (LENS_OUT) with row dimension
 * `M`. Top ids leave as `idType`: INT32 (the stand-alone graph) or FLOAT (a forward plan, whose
 * outputs are all F32; exact for ids below 2^24).
 */
export function emitLensHead(adapter: ArchAdapter, cfg: ArchConfig, e: HeadEmitter, rows: string, spec: LensHeadSpec, M: string, idType: DType.INT32 | DType.FLOAT): void {
  const g = e.g;
  const logits = adapter.unembed(cfg, e, adapter.finalNorm(cfg, e, rows)); // [M, V]
  const logp = g.op('LogSoftmax', [logits], { axis: -1 }); // [M, V]
  const [topValues, topIndices] = g.opMulti('TopK', [logp, g.ints([spec.k])], 2, { axis: -1, largest: 1, sorted: 1 }); // [M, k] each
  g.name(topValues!, LENS_OUT.topLogp);
  g.output(LENS_OUT.topLogp, DType.FLOAT, [M, spec.k]);
  // Smaller than INT64 in what crosses into JS; FLOAT is exact only below 2^24 (fusesLensHead checks the vocabulary).
  g.op('Cast', [topIndices!], { to: idType }, 'ids', LENS_OUT.topId);
  g.output(LENS_OUT.topId, idType, [M, spec.k]);
  if (spec.targets) {
    g.op('Gather', [logp, g.input(LENS_IDS, DType.INT64, ['I'])], { axis: 1 }, 'gather', LENS_OUT.idLogp); // [M, I]
    g.output(LENS_OUT.idLogp, DType.FLOAT, [M, 'I']);
  }
  const p = g.op('Exp', [logp]); // [M, V]
  if (spec.languages > 0) {
    g.op('MatMul', [p, g.input(LENS_LANGUAGES, DType.FLOAT, [cfg.vocabSize, spec.languages])], undefined, 'mass', LENS_OUT.mass); // [M, C]
    g.output(LENS_OUT.mass, DType.FLOAT, [M, spec.languages]);
  }
  // H = −Σ p·log p in nats; 0·log 0 is 0 here because exp underflows to 0 only where log p is finite.
  g.op('Neg', [g.op('ReduceSum', [g.mul(p, logp), g.ints([-1])], { keepdims: 0 })], undefined, 'entropy', LENS_OUT.entropy); // [M]
  g.output(LENS_OUT.entropy, DType.FLOAT, [M]);
}
