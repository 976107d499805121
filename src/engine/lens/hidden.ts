/**
 * The residual streams a lens reads: layer 0 is the input of block 0 (the embeddings, with position
 * embeddings or BLOOM's embedding LayerNorm applied: HF's hidden_states[0]), layer ℓ ≥ 1 the output
 * of block ℓ−1 (before the final norm, which the lens applies itself).
 */
import type { GraphPlan } from '../model/plan';

export function lensHooks(nLayers: number): string[] {
  return ['blocks.0.hook_resid_pre', ...Array.from({ length: nLayers }, (_, i) => `blocks.${i}.hook_resid_post`)];
}

/** A forward plan that captures every lens layer (and `extra` hooks) and computes nothing after the last block. */
export function lensPlan(nLayers: number, extra: string[] = [], intervention: Pick<GraphPlan, 'deactivateLayers' | 'maskedWeights'> = { deactivateLayers: [], maskedWeights: [] }): GraphPlan {
  return { capture: [...new Set([...extra, ...lensHooks(nLayers)])], stats: [], kvCache: false, lastPositionOnly: false, ...intervention };
}
