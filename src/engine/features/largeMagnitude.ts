/**
 * Large-magnitude features (methods.md §4): per layer, the per-dimension L2 norm of
 * hook_resid_post over each sequence's positions, averaged over sequences; the top 20 per layer.
 */
import type { LargeMagnitudeFeatures } from '../../shared/features';
import { extremes } from './overlap';

export const LARGE_MAGNITUDE_TOP = 20;

/** `normSum` = Σ over sequences of per-sequence norms [nLayers · dModel]; `sequences` = their count. */
export function largeMagnitude(normSum: Float64Array, sequences: number, nLayers: number, dModel: number, top = LARGE_MAGNITUDE_TOP): LargeMagnitudeFeatures {
  const k = Math.min(top, dModel);
  const dims = new Int32Array(nLayers * k);
  const norms = new Float32Array(nLayers * k);
  for (let layer = 0; layer < nLayers; layer++) {
    const mean = Float64Array.from(normSum.subarray(layer * dModel, (layer + 1) * dModel), (v) => v / sequences);
    const best = [...extremes(mean, k, 'top')].sort((a, b) => mean[b]! - mean[a]! || a - b);
    best.forEach((j, r) => {
      dims[layer * k + r] = j;
      norms[layer * k + r] = mean[j]!;
    });
  }
  return { nLayers, dModel, top: k, dims, norms };
}
