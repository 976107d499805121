/**
 * Large-magnitude features (methods.md §4): per hidden state (0 = embeddings, i = output of block
 * i−1, last = after the final norm; importance.ts hiddenStateHooks), the per-dimension L2 norm over
 * each sequence's positions, averaged over sequences; the top 20 per hidden state.
 */
import type { LargeMagnitudeFeatures } from '../../shared/features';
import { extremes } from './overlap';

export const LARGE_MAGNITUDE_TOP = 20;

/** `normSum` = Σ over sequences of per-sequence norms [hiddenStates · dModel]; `sequences` = their count. */
export function largeMagnitude(normSum: Float64Array, sequences: number, dModel: number, top = LARGE_MAGNITUDE_TOP): LargeMagnitudeFeatures {
  const nStates = normSum.length / dModel;
  const k = Math.min(top, dModel);
  const dims = new Int32Array(nStates * k);
  const norms = new Float32Array(nStates * k);
  for (let i = 0; i < nStates; i++) {
    const mean = Float64Array.from(normSum.subarray(i * dModel, (i + 1) * dModel), (v) => v / sequences);
    const best = [...extremes(mean, k, 'top')].sort((a, b) => mean[b]! - mean[a]! || a - b);
    best.forEach((j, r) => {
      dims[i * k + r] = j;
      norms[i * k + r] = mean[j]!;
    });
  }
  return { nLayers: nStates, dModel, top: k, dims, norms };
}
