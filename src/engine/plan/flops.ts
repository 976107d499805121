/**
 * Floating-point operations of one forward pass, counted as onnxruntime computes them: every
 * linear layer of every block the plan runs at 2 FLOPs a weight a padded token, attention scores
 * and values at 4·B·T·S·(heads·d_head) a block (S = past + T; the causal mask hides half, the
 * matmuls compute all), and the LM head at 2·d_model·vocab a row (every position, or one per
 * sequence with lastPositionOnly). Norms, activations and the embedding lookup are left out (a
 * few % of a block). A graph runs only up to the last hook its plan needs (LAPE's statistics stop
 * inside the last block; counted as the whole block).
 */
import type { ArchConfig, WeightSpec } from '../arch/types';
import { hookRank } from '../hooks';
import { planLastRank, type GraphPlan } from '../model/plan';

export interface FlopShape {
  cfg: ArchConfig;
  /** Linear weights per block. */
  blockLinear: number[];
  /** Weights of the LM head matrix (vocab × d_model). */
  headWeights: number;
}

export function flopShape(cfg: ArchConfig, specs: readonly WeightSpec[]): FlopShape {
  const blockLinear = new Array<number>(cfg.nLayers).fill(0);
  for (const s of specs) if (s.linear) blockLinear[s.linear.layer]! += s.shape.reduce((a, b) => a * b, 1);
  return { cfg, blockLinear, headWeights: cfg.vocabSize * cfg.dModel };
}

export function passFlops(f: FlopShape, plan: GraphPlan, batch: number, length: number, past: number): number {
  const { cfg } = f;
  const last = planLastRank(plan, cfg.nLayers);
  const rows = batch * length;
  let flops = 0;
  for (let i = 0; i < cfg.nLayers; i++) {
    if (hookRank(`blocks.${i}.hook_resid_pre`, cfg.nLayers) > last) break;
    flops += 2 * rows * f.blockLinear[i]! + 4 * batch * length * (past + length) * cfg.nHeads * cfg.dHead;
  }
  if (last >= hookRank('logits', cfg.nLayers)) flops += 2 * (plan.lastPositionOnly ? batch : rows) * f.headWeights;
  return flops;
}
