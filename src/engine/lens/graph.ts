/**
 * The stand-alone lens head graph (methods.md §8): rows of any layer fed as `lens_rows`, optionally
 * mapped by a fitted linear lens first, then the lens head (model/lensHead.ts). lens/run.ts runs it
 * over the residual streams a forward captured, in chunks whose [rows, vocab] distribution stays
 * under its LENS_CHUNK_BYTES, when the head was not fused into the forward (the linear lens, the
 * block-by-block weight modes).
 */
import { GraphBuilder } from '../onnx/graph';
import { DType } from '../onnx/proto';
import type { ArchAdapter, ArchConfig, WeightSpec } from '../arch/types';
import { emitLensHead, type LensHeadSpec } from '../model/lensHead';

export interface LensGraphSpec extends LensHeadSpec {
  /** Linear lens (Din et al.): rows first mapped to rows · lens_map [d_model, d_model] + lens_bias [d_model]. */
  linear: boolean;
}

export const LENS_ROWS = 'lens_rows';
export const LENS_MAP = 'lens_map';
export const LENS_BIAS = 'lens_bias';

export function lensGraphKey(spec: LensGraphSpec): string {
  return `lens:${spec.k}:${spec.targets ? 'targets' : ''}:${spec.languages}:${spec.linear ? 'linear' : 'logit'}`;
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
  emitLensHead(adapter, cfg, head, x, spec, 'M', DType.INT32);
  return g.encode(`${cfg.modelType}-lens`);
}
