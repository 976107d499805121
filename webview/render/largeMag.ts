/** Large-magnitude residual features (methods.md §4): per-layer top dimensions and which recur. */
import type { LargeMagnitudeFeatures } from '../../src/shared/features';

/** Dimensions that are in the top list of at least `minLayers` layers, most frequent first: the "massive activation" dims. */
export function recurringDims(m: LargeMagnitudeFeatures, minLayers: number): { dim: number; layers: number }[] {
  const count = new Map<number, number>();
  for (let l = 0; l < m.nLayers; l++) {
    const seen = new Set<number>();
    for (let r = 0; r < m.top; r++) seen.add(m.dims[l * m.top + r]!);
    for (const d of seen) count.set(d, (count.get(d) ?? 0) + 1);
  }
  return [...count.entries()].filter(([, c]) => c >= minLayers).map(([dim, layers]) => ({ dim, layers })).sort((a, b) => b.layers - a.layers || a.dim - b.dim);
}
