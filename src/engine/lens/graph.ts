/**
 * The lens head graph (methods.md §8): residual-stream rows of any layer → the model's own final
 * norm and unembedding (adapter.finalNorm / adapter.unembed, the same code the forward pass ends
 * with, so the last layer's lens is the model's logits) → log-softmax over the vocabulary, reduced
 * inside the graph to what leaves it: the top-k tokens per row, the log-probabilities of a few
 * named token ids (targets), the probability mass per language (one GEMV against the token-language
 * matrix) and the entropy. The [rows, vocab] distribution exists only inside one run, for one chunk
 * of rows (lens/run.ts bounds the chunk), never for every layer and position at once.
 */
import { GraphBuilder } from '../onnx/graph';
import { DType } from '../onnx/proto';
import type { ArchAdapter, ArchConfig, WeightSpec } from '../arch/types';

export interface LensGraphSpec {
  /** Top tokens kept per row (≤ vocab). */
  k: number;
  /** Token ids whose log-probabilities are gathered per row (0 = none). */
  ids: number;
  /** Columns of the token-language matrix `lens_languages` [vocab, C] (0 = no language mass). */
  languages: number;
  /** Linear lens (Din et al.): rows first mapped to rows · lens_map [d_model, d_model] + lens_bias [d_model]. */
  linear: boolean;
}

export const LENS_ROWS = 'lens_rows';
export const LENS_IDS = 'lens_ids';
export const LENS_LANGUAGES = 'lens_languages';
export const LENS_MAP = 'lens_map';
export const LENS_BIAS = 'lens_bias';
export const LENS_OUT = { topLogp: 'lens_top_logp', topId: 'lens_top_id', idLogp: 'lens_id_logp', mass: 'lens_language_mass', entropy: 'lens_entropy' } as const;

export function lensGraphKey(spec: LensGraphSpec): string {
  return `lens:${spec.k}:${spec.ids}:${spec.languages}:${spec.linear ? 'linear' : 'logit'}`;
}

export function buildLensGraph(adapter: ArchAdapter, cfg: ArchConfig, weights: WeightSpec[], spec: LensGraphSpec): Uint8Array {
  const g = new GraphBuilder();
  const D = cfg.dModel;
  const specByName = new Map(weights.map((w) => [w.name, w]));
  const used = new Map<string, string>();
  const head = {
    g,
    weight(name: string): string {
      let v = used.get(name);
      if (v) return v;
      const s = specByName.get(name);
      if (!s) throw new Error(`adapter asked for unknown weight ${name}`);
      v = g.input(name, DType.FLOAT, s.shape);
      used.set(name, v);
      return v;
    },
    hasWeight: (name: string) => specByName.has(name),
  };
  let x = g.input(LENS_ROWS, DType.FLOAT, ['M', D]); // [M, D]
  if (spec.linear) x = g.add(g.matmul(x, g.input(LENS_MAP, DType.FLOAT, [D, D])), g.input(LENS_BIAS, DType.FLOAT, [D])); // [M, D]
  const logits = adapter.unembed(cfg, head, adapter.finalNorm(cfg, head, x)); // [M, V]
  const logp = g.op('LogSoftmax', [logits], { axis: -1 }); // [M, V]
  const [topValues, topIndices] = g.opMulti('TopK', [logp, g.ints([spec.k])], 2, { axis: -1, largest: 1, sorted: 1 }); // [M, k] each
  g.name(topValues!, LENS_OUT.topLogp);
  g.output(LENS_OUT.topLogp, DType.FLOAT, ['M', spec.k]);
  // Vocabulary indices below 2^31: INT32 halves what crosses into JS.
  g.op('Cast', [topIndices!], { to: DType.INT32 }, 'ids', LENS_OUT.topId);
  g.output(LENS_OUT.topId, DType.INT32, ['M', spec.k]);
  if (spec.ids > 0) {
    g.op('Gather', [logp, g.input(LENS_IDS, DType.INT64, [spec.ids])], { axis: 1 }, 'gather', LENS_OUT.idLogp); // [M, ids]
    g.output(LENS_OUT.idLogp, DType.FLOAT, ['M', spec.ids]);
  }
  const p = g.op('Exp', [logp]); // [M, V]
  if (spec.languages > 0) {
    g.op('MatMul', [p, g.input(LENS_LANGUAGES, DType.FLOAT, [cfg.vocabSize, spec.languages])], undefined, 'mass', LENS_OUT.mass); // [M, C]
    g.output(LENS_OUT.mass, DType.FLOAT, ['M', spec.languages]);
  }
  // H = −Σ p·log p in nats; 0·log 0 is 0 here because exp underflows to 0 only where log p is finite.
  g.op('Neg', [g.op('ReduceSum', [g.mul(p, logp), g.ints([-1])], { keepdims: 0 })], undefined, 'entropy', LENS_OUT.entropy); // [M]
  g.output(LENS_OUT.entropy, DType.FLOAT, ['M']);
  return g.encode(`${cfg.modelType}-lens`);
}
