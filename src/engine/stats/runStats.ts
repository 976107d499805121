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

/**
 * Residual streams a group of batches may hold while it runs block by block (4·d_model bytes a
 * padded token): 256 MiB is 16,384 tokens of a 7B model (d_model 4096), so a 2,048-token LAPE
 * job is one group and every block's weights are widened once for the whole job.
 */
export const GROUP_RESIDUAL_BYTES = 256 * 1024 ** 2;

/**
 * Groups batches for LoadedModel.runMany. Resident weights gain nothing from groups: one batch at
 * a time, as they come. Block by block (streaming/mapped), as many batches as fit
 * GROUP_RESIDUAL_BYTES of residual streams, so each block's weights are widened once per group
 * rather than once per batch.
 */
export async function* groupBatches<T>(model: LoadedModel, batches: AsyncIterable<T> | Iterable<T>, seqsOf: (b: T) => number[][]): AsyncGenerator<T[]> {
  const limit = model.weights.mode === 'resident' ? 0 : Math.floor(GROUP_RESIDUAL_BYTES / (4 * model.cfg.dModel));
  let group: T[] = [];
  let tokens = 0;
  for await (const b of batches) {
    const seqs = seqsOf(b);
    const padded = seqs.length * Math.max(0, ...seqs.map((s) => s.length));
    if (group.length > 0 && tokens + padded > limit) {
      yield group;
      group = [];
      tokens = 0;
    }
    group.push(b);
    tokens += padded;
  }
  if (group.length) yield group;
}

/**
 * Runs every batch and calls onBatch with its outputs, in the order the batches come (block by
 * block, in groups: groupBatches). `seqsOf` gives a batch's token sequences when batches carry more
 * than those (a language tag, corpus positions).
 */
export async function runStatBatches<T = number[][]>(
  model: LoadedModel,
  batches: AsyncIterable<T>,
  stats: StatRequest[],
  onBatch: (out: Record<string, TensorData>, batch: T) => void,
  o: JobOptions = {},
  seqsOf: (b: T) => number[][] = (b) => b as number[][],
): Promise<void> {
  const plan = statsPlan(stats);
  for await (const group of groupBatches(model, batches, seqsOf)) {
    throwIfAborted(o.signal);
    const outs = await model.runMany(group.map(seqsOf), plan, {}, o.signal);
    group.forEach((b, i) => onBatch(outs[i]!, b));
  }
  throwIfAborted(o.signal);
}

/** acc += x, element-wise (accumulators are F64 so counts and sums stay exact far past F32's 2^24). */
export function addInto(acc: Float64Array, x: Float32Array, offset = 0): void {
  for (let i = 0; i < acc.length; i++) acc[i]! += x[offset + i]!;
}
