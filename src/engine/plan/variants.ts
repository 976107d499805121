/**
 * What building a pruned variant costs, for job plans: its calibration passes recorded as the
 * build would run them (pruning/prune.ts: one pass of each calibration set over every block in
 * one-shot mode; in sequential mode one pass per block i, through blocks 0..i with the blocks
 * before already masked), and the masks themselves — JS work over every linear weight, timed here
 * on a slice of the model's largest linear layer and scaled to all of them.
 */
import type { JobOptions } from '../api';
import type { LoadedModel, Variant } from '../model/model';
import { buildPruneCalibration, type PruneSettings } from '../pruning/fromSources';
import { linearWeights } from '../pruning/prune';
import { maskLinear, maskMatrixMagnitude, randomMask, unstructuredRule } from '../pruning/select';
import { inputSumSq } from '../pruning/stats';
import { parseNM, resolveSpec } from '../pruning/validate';
import type { WorkRecorder } from './work';

/** Weights the selection is timed on: enough rows for a stable figure, a few ms of work. */
const SAMPLE_WEIGHTS = 2 ** 21;

/** Weights of every linear layer of the decoder blocks (what pruning scores and masks). */
export function linearWeightCount(model: LoadedModel): number {
  return linearWeights(model).reduce((n, l) => n + l.shape[0]! * l.shape[1]!, 0);
}

/** Seconds per linear weight the method's selection takes on this machine. */
export function selectionSecondsPerWeight(model: LoadedModel, method: PruneSettings['method'], sparsity: number, scope: 'matrix' | 'row' | undefined): number {
  const linears = linearWeights(model);
  const largest = linears.reduce((a, b) => (a.shape[0]! * a.shape[1]! >= b.shape[0]! * b.shape[1]! ? a : b));
  const cols = largest.shape[1]!;
  const rows = Math.max(1, Math.min(largest.shape[0]!, Math.floor(SAMPLE_WEIGHTS / cols)));
  const w = model.weight(largest.name).subarray(0, rows * cols);
  const factor = new Float64Array(cols).fill(1);
  const t0 = performance.now();
  if (method === 'random') randomMask(rows * cols, sparsity, 1);
  else if (method === 'magnitude' && scope !== 'row') maskMatrixMagnitude(w, sparsity);
  else maskLinear(w, rows, cols, method === 'magnitude' ? undefined : factor, unstructuredRule(cols, sparsity));
  return (performance.now() - t0) / 1000 / (rows * cols);
}

/**
 * Records a variant build's calibration passes into `work` (its calibration sets are built for
 * real: read and tokenized) and returns the estimated seconds of its mask selection.
 */
export async function recordVariantBuild(model: LoadedModel, work: WorkRecorder, s: PruneSettings, o: JobOptions = {}): Promise<number> {
  const linears = linearWeights(model);
  const weights = linearWeightCount(model);
  const cal = await buildPruneCalibration(model, s, o);
  const r = resolveSpec(model, { method: s.method, sparsity: s.sparsity, mode: s.mode, nm: typeof s.nm === 'string' ? parseNM(s.nm) : s.nm, seed: s.seed, magnitudeScope: s.magnitudeScope }, cal);
  const sets = [cal.calibration, cal.translation, cal.code].filter((c) => c !== undefined);
  await work.run(async () => {
    if (r.mode === 'oneshot') {
      for (const c of sets) await inputSumSq(model, c.sequences, linears.map((l) => l.linear.inputHook), undefined, o);
      return;
    }
    for (let layer = 0; layer < model.cfg.nLayers; layer++) {
      const inBlock = linears.filter((l) => l.linear.layer === layer);
      if (inBlock.length === 0) continue;
      // The blocks before are masked while block `layer` calibrates: a variant over their weights (names only; nothing runs).
      const before = linears.filter((l) => l.linear.layer < layer);
      const partial: Variant | undefined = before.length ? new Map(before.map((l) => [l.name, new Uint8Array(0)])) : undefined;
      for (const c of sets) await inputSumSq(model, c.sequences, inBlock.map((l) => l.linear.inputHook), partial, o);
    }
  });
  return weights * selectionSecondsPerWeight(model, s.method, r.sparsity, r.magnitudeScope);
}
