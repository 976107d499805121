/** Overlap maps (methods.md §4): slicing one layer/kind matrix and naming its quadrants. */
import type { CalibrationSetting, OverlapMaps } from '../../src/shared/features';

export interface OverlapMatrix {
  settings: CalibrationSetting[];
  /** values[a * S + b], percent. */
  values: Float32Array;
  /** Number of monolingual settings: rows/cols before it are mono, after it translation. */
  split: number;
}

/**
 * The matrix of one layer and kind, rows/cols reordered monolingual first (stable) in case the
 * producer did not, so the quadrant split is always a single index.
 */
export function overlapMatrix(o: OverlapMaps, layerIdx: number, kindIdx: number): OverlapMatrix {
  const S = o.settings.length;
  const order = [...o.settings.keys()].sort((a, b) => rankKind(o.settings[a]!) - rankKind(o.settings[b]!) || a - b);
  const base = (layerIdx * o.kinds.length + kindIdx) * S * S;
  const values = new Float32Array(S * S);
  order.forEach((a, i) => order.forEach((b, j) => { values[i * S + j] = o.values[base + a * S + b]!; }));
  return { settings: order.map((i) => o.settings[i]!), values, split: order.filter((i) => o.settings[i]!.kind === 'mono').length };
}

const rankKind = (s: CalibrationSetting): number => (s.kind === 'mono' ? 0 : 1);

export const QUADRANT_NAMES: [string, string, string, string] = ['mono×mono', 'mono×mt', 'mt×mono', 'mt×mt'];

export function overlapQuadrant(m: OverlapMatrix, a: number, b: number): string {
  return QUADRANT_NAMES[(a < m.split ? 0 : 2) + (b < m.split ? 0 : 1)]!;
}

/** Mean overlap per quadrant, diagonal (a setting against itself) excluded; NaN for an empty quadrant. */
export function quadrantMeans(m: OverlapMatrix): number[] {
  const S = m.settings.length;
  const sum = [0, 0, 0, 0], cnt = [0, 0, 0, 0];
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) {
    if (a === b) continue;
    const q = (a < m.split ? 0 : 2) + (b < m.split ? 0 : 1);
    sum[q]! += m.values[a * S + b]!; cnt[q]!++;
  }
  return sum.map((s, i) => (cnt[i] ? s / cnt[i]! : NaN));
}

/** Axis label of one map slice: hidden states are numbered 0 = embeddings … L = after the final norm. */
export function overlapLayerLabel(o: OverlapMaps, layerIdx: number): string {
  const i = o.layers[layerIdx]!;
  if (o.source === 'linear_inputs') return `layer ${i}`;
  if (i === 0) return 'hidden 0 (embeddings)';
  return i === o.layers[o.layers.length - 1] ? `hidden ${i} (after final norm)` : `hidden ${i} (after block ${i - 1})`;
}

export const OVERLAP_SOURCE_TITLES: Record<OverlapMaps['source'], string> = {
  hidden_states: 'hidden-state magnitudes (L2 norm per dimension)',
  linear_inputs: 'linear-layer input importances (RMS per input feature)',
};
