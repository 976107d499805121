/**
 * Feature ablation (issue #11, "Do important features carry translation?"; Kim et al. 2024's
 * first finding): for a translation direction src→tgt, rank every linear layer's input features
 * by translation importance I_mt[j] = sqrt(s[j] / n) (methods.md §4) on the `mt:src-tgt`
 * calibration set of the dense model, then zero the top k share, the bottom k share, or a random
 * set of the same size, of each linear layer's input features (the weight column j of every
 * linear reading that input), and translate with each. Linear-input features, not residual
 * dimensions: a zeroed input feature is a zeroed weight column, so an ablation is a mask
 * variant like pruning (no weight copy).
 */
import type { JobOptions } from '../api';
import { buildCalibration } from '../calibration';
import { collectSettingStats, importance } from '../features/importance';
import type { LoadedModel } from '../model/model';
import { linearWeights } from '../pruning/prune';
import { PrunedVariant } from '../pruning/types';
import { mulberry32 } from '../random';
import { distinctIndices } from '../calibration/random';
import { UserError } from '../errors';

export type AblationKind = 'top' | 'bottom' | 'random';
export const ABLATION_KINDS: readonly AblationKind[] = ['top', 'bottom', 'random'];

/** Indices of the n largest (top) / smallest (bottom) values, ties by lower index; or n seeded random indices. */
export function chooseFeatures(imp: Float32Array, n: number, kind: AblationKind, rng: () => number): number[] {
  if (kind === 'random') return distinctIndices(imp.length, n, rng).sort((a, b) => a - b);
  const order = Array.from(imp.keys()).sort((a, b) => (kind === 'top' ? imp[b]! - imp[a]! : imp[a]! - imp[b]!) || a - b);
  return order.slice(0, n).sort((a, b) => a - b);
}

export interface AblationSettings {
  /** Share of each layer's input features zeroed, in (0, 1). */
  k: number;
  seed?: number;
  calibrationSequences?: number;
  calibrationLength?: number;
}

/** Importances of every linear input hook under mt:src-tgt (dense model). */
export async function translationImportances(model: LoadedModel, pair: string, s: AblationSettings, o: JobOptions = {}): Promise<Map<string, Float32Array>> {
  const set = await buildCalibration(`mt:${pair}`, model.tokenizer, { sequences: s.calibrationSequences ?? 32, length: Math.min(s.calibrationLength ?? 512, model.cfg.maxPositions), seed: s.seed ?? 0, signal: o.signal });
  const stats = await collectSettingStats(model, pair, set, o);
  return new Map([...stats.sumsq.keys()].map((h) => [h, importance(stats, h)]));
}

/** The mask variant zeroing the chosen input features of every linear layer. */
export function ablationVariant(model: LoadedModel, name: string, imps: Map<string, Float32Array>, kind: AblationKind, s: AblationSettings): PrunedVariant {
  if (!(s.k > 0 && s.k < 1)) throw new UserError('--k', `must be a share strictly between 0 and 1, got ${s.k}`);
  const rng = mulberry32(s.seed ?? 0);
  const chosen = new Map<string, number[]>();
  for (const [hook, imp] of imps) chosen.set(hook, chooseFeatures(imp, Math.round(imp.length * s.k), kind, rng));
  const masks: [string, Uint8Array][] = [];
  let zeroed = 0;
  let total = 0;
  for (const w of linearWeights(model)) {
    const [rows, cols] = w.shape as [number, number];
    const m = new Uint8Array(rows * cols).fill(1);
    for (const j of chosen.get(w.linear.inputHook) ?? []) for (let r = 0; r < rows; r++) m[r * cols + j] = 0;
    const z = rows * (chosen.get(w.linear.inputHook)?.length ?? 0);
    zeroed += z;
    total += rows * cols;
    masks.push([w.name, m]);
  }
  return new PrunedVariant(
    { name, kind: 'pruned', method: 'neurons', calibration: {}, achievedSparsity: zeroed / total, linears: [], createdAt: new Date().toISOString() },
    masks,
  );
}
