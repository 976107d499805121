/**
 * Overlap maps (methods.md §4): overlap(A, B) = 100·|top(A) ∩ bottom(B)| / n, where top/bottom
 * are the n = round(width·k) features with the largest / smallest magnitude, k a FRACTION (0.3 =
 * 30 %, as the paper's axis labels; hwichan0720/pruning_for_multilinguality overlap_analysis.py
 * hard-codes 0.4). n uses Python's round, as the reference, but is at least 1 (the reference's
 * slice would take every feature at n = 0). Ranking ties are broken by feature index (lower index
 * ranks higher) so the sets are deterministic; the reference leaves ties to numpy's argsort.
 */
import type { CalibrationSetting, OverlapMaps, OverlapSource } from '../../shared/features';
import { roundHalfEven } from '../stats/orderStat';

export const DEFAULT_OVERLAP_K = 0.3;

export function setSize(width: number, k: number): number {
  return Math.max(1, roundHalfEven(width * k));
}

/** Indices of the `n` largest (top) or smallest (bottom) values. */
export function extremes(values: ArrayLike<number>, n: number, which: 'top' | 'bottom'): Set<number> {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  const sign = which === 'top' ? -1 : 1;
  idx.sort((a, b) => sign * (values[a]! - values[b]!) || a - b);
  return new Set(idx.slice(0, n));
}

export function overlapPercent(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  const n = setSize(a.length, k);
  const top = extremes(a, n, 'top');
  const bottom = extremes(b, n, 'bottom');
  let both = 0;
  for (const j of top) if (bottom.has(j)) both++;
  return (100 * both) / top.size;
}

/**
 * `magnitude(settingIndex, layer, kind)` gives the compared vector for that setting (hidden-state
 * magnitudes M_C or linear-input importances I_C); settings must already be in display order
 * (mono first, then mt — see orderSettings).
 */
export function overlapMaps(
  source: OverlapSource,
  settings: CalibrationSetting[],
  layers: number[],
  kinds: string[],
  k: number,
  magnitude: (s: number, layer: number, kind: string) => Float32Array,
): OverlapMaps {
  const S = settings.length;
  const values = new Float32Array(layers.length * kinds.length * S * S);
  layers.forEach((layer, li) =>
    kinds.forEach((kind, ki) => {
      for (let a = 0; a < S; a++) {
        for (let b = 0; b < S; b++) values[((li * kinds.length + ki) * S + a) * S + b] = overlapPercent(magnitude(a, layer, kind), magnitude(b, layer, kind), k);
      }
    }),
  );
  return { source, settings, layers, kinds, k, values };
}

/** Monolingual settings first, then translation settings, each group in the order given. */
export function orderSettings<T extends { kind: 'mono' | 'mt' }>(settings: T[]): T[] {
  return [...settings.filter((s) => s.kind === 'mono'), ...settings.filter((s) => s.kind === 'mt')];
}
