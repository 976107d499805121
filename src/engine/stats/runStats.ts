/**
 * Runs batches through a statistics-only graph plan (methods: in-graph reductions over valid
 * positions, see model/plan.ts) and hands each batch's outputs to the caller, who accumulates.
 */
import type { JobOptions, TensorData } from '../api';
import { throwIfAborted } from '../errors';
import type { LoadedModel } from '../model/model';
import type { GraphPlan, StatRequest } from '../model/plan';

export function statsPlan(stats: StatRequest[]): GraphPlan {
  return { capture: [], stats, kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
}

export async function runStatBatches(
  model: LoadedModel,
  batches: AsyncIterable<number[][]>,
  stats: StatRequest[],
  onBatch: (out: Record<string, TensorData>, batch: number[][]) => void,
  o: JobOptions = {},
): Promise<void> {
  const plan = statsPlan(stats);
  for await (const batch of batches) {
    throwIfAborted(o.signal);
    onBatch(await model.run(batch, plan), batch);
  }
  throwIfAborted(o.signal);
}

/** acc += x, element-wise (accumulators are F64 so counts and sums stay exact far past F32's 2^24). */
export function addInto(acc: Float64Array, x: Float32Array, offset = 0): void {
  for (let i = 0; i < acc.length; i++) acc[i]! += x[offset + i]!;
}
