/**
 * Wanda's input statistic s[j] = Σ over calibration positions of x_j², per input hook, computed
 * inside the graph (plan.ts `sumsq`, padding excluded) and summed over batches in F64 here. The
 * graph stops after the last hook asked for, so calibrating block i costs blocks 0..i only.
 */
import type { JobOptions, TensorData } from '../api';
import { throwIfAborted, UserError } from '../errors';
import type { LoadedModel, Variant } from '../model/model';
import { statOutput, type GraphPlan, type StatRequest } from '../model/plan';
import { groupBatches } from '../stats/runStats';

/**
 * Tokens per batch (B × longest sequence): bounds one run's activations to
 * 4096 × d_mlp × 4 bytes (48 MB for d_mlp 3072) while keeping batches big enough that onnxruntime's
 * GEMMs stay efficient.
 */
const TOKENS_PER_BATCH = 4096;

export function checkCalibration(model: LoadedModel, sequences: number[][], subject: string): void {
  const nonEmpty = sequences.filter((s) => s.length > 0);
  if (nonEmpty.length === 0) throw new UserError(subject, 'the calibration set is empty (no tokens)');
  for (const s of nonEmpty) {
    model.checkIds(s, subject);
    if (s.length > model.cfg.maxPositions) {
      throw new UserError(subject, `a calibration sequence has ${s.length} tokens, more than max_position_embeddings (${model.cfg.maxPositions}); use a shorter --calibration-length`);
    }
  }
}

/** Sequences grouped into right-padded batches of at most TOKENS_PER_BATCH tokens (longest first, so padding stays small). */
function batches(sequences: number[][]): number[][][] {
  const sorted = sequences.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const out: number[][][] = [];
  let cur: number[][] = [];
  for (const s of sorted) {
    const longest = cur[0]?.length ?? s.length;
    if (cur.length > 0 && (cur.length + 1) * longest > TOKENS_PER_BATCH) {
      out.push(cur);
      cur = [];
    }
    cur.push(s);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** s[j] per hook over all sequences, with `variant` (possibly partial) active. */
export async function inputSumSq(
  model: LoadedModel,
  sequences: number[][],
  hooks: string[],
  variant: Variant | undefined,
  o: JobOptions = {},
): Promise<Map<string, Float64Array>> {
  const stats: StatRequest[] = [...new Set(hooks)].map((hook) => ({ hook, kind: 'sumsq' }));
  const plan: GraphPlan = { capture: [], stats, kvCache: false, lastPositionOnly: false, ...model.interventionPlan(undefined, variant) };
  const acc = new Map<string, Float64Array>();
  // Block by block, a group of batches passes each block together (stats/runStats.ts).
  for await (const group of groupBatches(model, batches(sequences), (b) => b)) {
    throwIfAborted(o.signal);
    for (const out of await model.runMany(group, plan, { variant }, o.signal)) addStats(out);
  }
  // A calibration plan (with this partial variant) is not run again: its session's arena goes now.
  await model.releasePlan(plan);
  return acc;

  function addStats(out: Record<string, TensorData>): void {
    for (const s of stats) {
      const t = out[statOutput(s)]!.data;
      let a = acc.get(s.hook);
      if (!a) acc.set(s.hook, (a = new Float64Array(t.length)));
      for (let j = 0; j < t.length; j++) a[j] += t[j]!;
    }
  }
}
