/** The forward plan that captures the residual streams a lens reads (hooks.ts lensHooks). */
import { lensHooks } from '../hooks';
import type { GraphPlan } from '../model/plan';

/** A forward plan that captures every lens layer (and `extra` hooks) and computes nothing after the last block. */
export function lensPlan(nLayers: number, extra: string[] = [], intervention: Pick<GraphPlan, 'deactivateLayers' | 'maskedWeights'> = { deactivateLayers: [], maskedWeights: [] }): GraphPlan {
  return { capture: [...new Set([...extra, ...lensHooks(nLayers)])], stats: [], kvCache: false, lastPositionOnly: false, ...intervention };
}
