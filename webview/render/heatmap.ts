/**
 * The Activations heatmap as data: one value per (token, layer) cell, painted one pixel per cell
 * into an RGBA buffer that the view scales up. Rows are tokens, columns are layers.
 */
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { lutOffset, type DivergingScale, type RGB } from './color';
import { absValues, quantile } from './stats';

export interface HeatmapGrid {
  rows: number; // tokens
  cols: number; // layers
  /** Cell value, row-major; NaN = no value (neuron not in that cell's top-k, or another layer). */
  values: Float32Array;
  /** Neuron index shown in each cell (-1 when none). */
  neurons: Int32Array;
  /** What the grid shows, for titles and exports: "strongest neuron" or "L3.N127". */
  label: string;
}

/** Which neuron(s) the heatmap shows: the strongest per cell, one neuron, or one index at every layer. */
export type NeuronQuery = { kind: 'strongest' } | { kind: 'neuron'; layer: number; index: number } | { kind: 'index'; index: number };

/** Parses the neuron input: "" → strongest, "L3.N127" → one neuron, "N127" → index 127 at every layer. */
export function parseNeuronQuery(s: string): NeuronQuery | null {
  const t = s.trim();
  if (t === '') return { kind: 'strongest' };
  let m = /^L(\d+)\.N(\d+)$/i.exec(t);
  if (m) return { kind: 'neuron', layer: Number(m[1]), index: Number(m[2]) };
  m = /^N(\d+)$/i.exec(t);
  if (m) return { kind: 'index', index: Number(m[1]) };
  return null;
}

const at = (a: ActivationAnalysis, pos: number, layer: number, rank: number): number => ((pos * a.nLayers) + layer) * a.topK + rank;

/** `L3.N127`: the key of a neuron's full column (its value on every token, from the engine). */
export const columnKey = (layer: number, index: number): string => `L${layer}.N${index}`;

/** The layers whose full column a query needs (one for L3.N127, every layer for N127). */
export function queryLayers(a: Pick<ActivationAnalysis, 'nLayers'>, q: NeuronQuery): number[] {
  if (q.kind === 'neuron') return q.layer < a.nLayers ? [q.layer] : [];
  if (q.kind === 'index') return Array.from({ length: a.nLayers }, (_, l) => l);
  return [];
}

/**
 * `columns`: full columns the engine answered (`columnKey` → value per token). A neuron query uses
 * them where it has them and the analysis's top-k elsewhere (NaN where the neuron is in no top-k).
 */
export function buildGrid(a: ActivationAnalysis, q: NeuronQuery, columns?: ReadonlyMap<string, ArrayLike<number>>): HeatmapGrid {
  const rows = a.tokens.length, cols = a.nLayers;
  const values = new Float32Array(rows * cols).fill(NaN);
  const neurons = new Int32Array(rows * cols).fill(-1);
  for (let p = 0; p < rows; p++) {
    for (let l = 0; l < cols; l++) {
      const cell = p * cols + l;
      const full = q.kind === 'index' || (q.kind === 'neuron' && q.layer === l) ? columns?.get(columnKey(l, q.index)) : undefined;
      if (full && full.length === rows && q.kind !== 'strongest') {
        values[cell] = full[p]!;
        neurons[cell] = q.index;
        continue;
      }
      if (q.kind === 'strongest') {
        if (a.topK === 0) continue;
        values[cell] = a.topValue[at(a, p, l, 0)]!;
        neurons[cell] = a.topIndex[at(a, p, l, 0)]!;
        continue;
      }
      if (q.kind === 'neuron' && q.layer !== l) continue;
      // The engine keeps only the top-k per cell, so a neuron outside them has no stored value: NaN, not 0.
      for (let r = 0; r < a.topK; r++) {
        if (a.topIndex[at(a, p, l, r)] === q.index) {
          values[cell] = a.topValue[at(a, p, l, r)]!;
          neurons[cell] = q.index;
          break;
        }
      }
    }
  }
  const label = q.kind === 'strongest' ? 'strongest neuron' : q.kind === 'neuron' ? `L${q.layer}.N${q.index}` : `N${q.index} (every layer)`;
  return { rows, cols, values, neurons, label };
}

/**
 * What grey cells mean, for the legend (undefined when none is grey): another layer than the
 * neuron's, or no value because the neuron is outside that token's top-k and its full column has
 * not arrived (or could not be computed).
 */
export function greyMeaning(g: HeatmapGrid, q: NeuronQuery, topK: number, pending: boolean): string | undefined {
  if (!g.values.some((v) => Number.isNaN(v))) return undefined;
  if (q.kind === 'strongest') return 'grey: no value (top-k is 0)';
  if (q.kind === 'neuron') {
    const own = Array.from({ length: g.rows }, (_, p) => g.values[p * g.cols + q.layer]).some((v) => v !== undefined && Number.isNaN(v));
    if (!own) return `grey: not layer ${q.layer}`;
    return `grey: not in the token's top-${topK}${pending ? ' (asking the engine for every token…)' : ''}`;
  }
  return `grey: not in the token's top-${topK}${pending ? ' (asking the engine for every token…)' : ''}`;
}

/**
 * Colour domain: the 99th percentile of |value| rather than the maximum, so one massive
 * activation (models have a few, methods.md §4) does not wash every other cell out; cells above it saturate.
 */
export function gridDomain(g: HeatmapGrid): number {
  const d = quantile(absValues(g.values), 0.99);
  return Number.isFinite(d) && d > 0 ? d : 1;
}

/** One RGBA pixel per cell, row-major, ready for `new ImageData(buf, cols, rows)`. */
export function paintGrid(g: HeatmapGrid, scale: DivergingScale, background: RGB): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(g.rows * g.cols * 4);
  for (let i = 0; i < g.values.length; i++) {
    const v = g.values[i]!;
    const o = i * 4;
    if (Number.isNaN(v)) {
      out[o] = scale.empty[0]; out[o + 1] = scale.empty[1]; out[o + 2] = scale.empty[2];
    } else {
      const k = lutOffset(scale, v);
      if (k < 0) { out[o] = background[0]; out[o + 1] = background[1]; out[o + 2] = background[2]; }
      else { out[o] = scale.lut[k]!; out[o + 1] = scale.lut[k + 1]!; out[o + 2] = scale.lut[k + 2]!; }
    }
    out[o + 3] = 255;
  }
  return out;
}

export interface HeatmapLayout {
  cellW: number;
  cellH: number;
  width: number;
  height: number;
}

/** Cell width bounds in CSS px: 6 keeps a cell clickable, 28 keeps 12 layers from filling a wide screen with a few blocks. */
export const MIN_CELL_W = 6, MAX_CELL_W = 28;
/** Row height matches the token label's line height (13px font + padding) so labels align with rows. */
export const ROW_H = 18;

export function heatmapLayout(cols: number, rows: number, availableWidth: number): HeatmapLayout {
  const cellW = Math.max(MIN_CELL_W, Math.min(MAX_CELL_W, Math.floor(availableWidth / Math.max(1, cols))));
  return { cellW, cellH: ROW_H, width: cellW * cols, height: ROW_H * rows };
}

/** The cell under (x, y) in canvas CSS px, or null outside. */
export function cellAt(layout: HeatmapLayout, g: Pick<HeatmapGrid, 'rows' | 'cols'>, x: number, y: number): { row: number; col: number } | null {
  if (x < 0 || y < 0) return null;
  const col = Math.floor(x / layout.cellW), row = Math.floor(y / layout.cellH);
  return col < g.cols && row < g.rows ? { row, col } : null;
}
