/**
 * Feature scatter data (methods.md §4): per layer, x = z-score of log I_mt, y = z-score of
 * log I_mono; then projection to pixels and point painting into an RGBA buffer.
 */
import { max } from 'd3';
import type { FeatureScatterData } from '../../src/shared/features';
import type { RGB } from './color';
import { quadrantOf, type Quadrant } from './quadrant';
import { logPositive, zScores } from './stats';
import { linear, type Linear } from './ticks';

export interface ScatterPoints {
  n: number;
  x: Float32Array;
  y: Float32Array;
  /** Which FeatureImportanceLayer (index into data.layers) and which feature index each point is. */
  source: Int32Array;
  feature: Int32Array;
}

/** Points of the selected layers (indices into data.layers); z-scores are computed within each layer. */
export function scatterPoints(data: FeatureScatterData, which: number[]): ScatterPoints {
  const n = which.reduce((s, i) => s + data.layers[i]!.mt.length, 0);
  const pts: ScatterPoints = { n, x: new Float32Array(n), y: new Float32Array(n), source: new Int32Array(n), feature: new Int32Array(n) };
  let o = 0;
  for (const li of which) {
    const l = data.layers[li]!;
    const zx = zScores(logPositive(l.mt)), zy = zScores(logPositive(l.mono));
    pts.x.set(zx, o);
    pts.y.set(zy, o);
    pts.source.fill(li, o, o + l.mt.length);
    for (let j = 0; j < l.mt.length; j++) pts.feature[o + j] = j;
    o += l.mt.length;
  }
  return pts;
}

/** Rank (0 = most important) of every entry, descending by value; NaN last. */
export function ranksDescending(xs: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: xs.length }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(xs[i]!) ? -Infinity : xs[i]!);
  idx.sort((a, b) => key(b) - key(a) || a - b);
  const rank = new Int32Array(xs.length);
  idx.forEach((i, r) => { rank[i] = r; });
  return rank;
}

export interface ScatterFrame {
  width: number;
  height: number;
  /** Plot area inside the margins. */
  left: number; top: number; right: number; bottom: number;
  /** Data range shown, symmetric around 0 so the quadrant boundaries sit in the middle. */
  extent: number;
}

/** Margins leave room for tick labels: 40 px left for "-2.5", 28 px below for ticks + axis title. */
export const MARGIN = { left: 40, right: 12, top: 12, bottom: 28 };

export function scatterFrame(pts: ScatterPoints, width: number, height: number): ScatterFrame {
  // d3.max skips NaN (features with no log importance).
  const m = Math.max(max(pts.x, Math.abs) ?? 0, max(pts.y, Math.abs) ?? 0);
  // 5% headroom so extreme points are not cut by the frame; 1 when empty.
  const extent = m > 0 ? m * 1.05 : 1;
  return { width, height, left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom, extent };
}

/** The frame's d3 linear scales: z-score → CSS px (y flipped: screen y grows downward); `.ticks()` for the axes. */
export function frameScales(f: ScatterFrame): { x: Linear; y: Linear } {
  return { x: linear(-f.extent, f.extent, f.left, f.right), y: linear(-f.extent, f.extent, f.bottom, f.top) };
}

/** Pixel coordinates of every point; NaN stays NaN (not drawn, not hit). */
export function project(pts: ScatterPoints, f: ScatterFrame): { px: Float32Array; py: Float32Array } {
  const px = new Float32Array(pts.n), py = new Float32Array(pts.n);
  // The scales are affine: read offset and slope off them once instead of calling them per point (100k+).
  const { x, y } = frameScales(f);
  const cx = x(0), sx = x(1) - cx, cy = y(0), sy = y(1) - cy;
  for (let i = 0; i < pts.n; i++) {
    px[i] = cx + pts.x[i]! * sx;
    py[i] = cy + pts.y[i]! * sy;
  }
  return { px, py };
}

export function unproject(f: ScatterFrame, px: number, py: number): { x: number; y: number } {
  const { x, y } = frameScales(f);
  return { x: x.invert(px), y: y.invert(py) };
}

export interface PointColors {
  /** Indexed by quadrant: I, II, III, IV, and [4] = on an axis. */
  byQuadrant: [RGB, RGB, RGB, RGB, RGB];
  selected: RGB;
}

const QI: Record<Quadrant, number> = { I: 0, II: 1, III: 2, IV: 3 };

/**
 * Paints every point as a size×size square into an RGBA buffer of width×height (device pixels:
 * coordinates are multiplied by `ratio`). Opaque squares, later points on top: at 100k points,
 * blending costs more than it shows.
 */
export function paintPoints(buf: Uint8ClampedArray, width: number, height: number, pts: ScatterPoints, px: Float32Array, py: Float32Array,
  colors: PointColors, size: number, ratio: number, selected?: Uint8Array): void {
  const half = Math.floor(size / 2);
  for (let i = 0; i < pts.n; i++) {
    const x = px[i]!, y = py[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const q = quadrantOf(pts.x[i]!, pts.y[i]!);
    const c = selected?.[i] ? colors.selected : colors.byQuadrant[q ? QI[q] : 4];
    const x0 = Math.round(x * ratio) - half, y0 = Math.round(y * ratio) - half;
    for (let dy = 0; dy < size; dy++) {
      const yy = y0 + dy;
      if (yy < 0 || yy >= height) continue;
      let o = (yy * width + Math.max(0, x0)) * 4;
      for (let dx = Math.max(0, x0); dx < Math.min(width, x0 + size); dx++) {
        buf[o] = c[0]; buf[o + 1] = c[1]; buf[o + 2] = c[2]; buf[o + 3] = 255;
        o += 4;
      }
    }
  }
}
