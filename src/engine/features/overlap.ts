/**
 * Overlap maps (methods.md §4): overlap(A, B) = 100·|top-k%(A) ∩ bottom-k%(B)| / |top-k%(A)| per
 * layer and linear kind. k is a percentage of the layer's input features (default 0.3 → 0.3 %);
 * the set size is ⌈d_in·k/100⌉, at least 1, so small models still get a map. Ranking ties are
 * broken by feature index (lower index ranks higher) so the sets are deterministic.
 */
import type { CalibrationSetting, OverlapMaps } from '../../shared/features';

export const DEFAULT_OVERLAP_K = 0.3;

export function setSize(width: number, k: number): number {
  return Math.max(1, Math.ceil((width * k) / 100));
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
 * `importance(settingIndex, layer, kind)` gives I for that setting; settings must already be in
 * display order (mono first, then mt — see orderSettings).
 */
export function overlapMaps(
  settings: CalibrationSetting[],
  layers: number[],
  kinds: string[],
  k: number,
  importance: (s: number, layer: number, kind: string) => Float32Array,
): OverlapMaps {
  const S = settings.length;
  const values = new Float32Array(layers.length * kinds.length * S * S);
  layers.forEach((layer, li) =>
    kinds.forEach((kind, ki) => {
      for (let a = 0; a < S; a++) {
        for (let b = 0; b < S; b++) values[((li * kinds.length + ki) * S + a) * S + b] = overlapPercent(importance(a, layer, kind), importance(b, layer, kind), k);
      }
    }),
  );
  return { settings, layers, kinds, k, values };
}

/** Monolingual settings first, then translation settings, each group in the order given. */
export function orderSettings<T extends { kind: 'mono' | 'mt' }>(settings: T[]): T[] {
  return [...settings.filter((s) => s.kind === 'mono'), ...settings.filter((s) => s.kind === 'mt')];
}
