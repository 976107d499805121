/**
 * Colour parsing and scales. Pure: the theme's colours come in as CSS strings (read from the
 * --vscode-* variables by views/theme.ts), scales come out as byte lookup tables for canvas
 * ImageData and as hex strings for SVG. Interpolation and the diverging scale are d3's
 * (d3-interpolate's interpolateRgb, d3-scale's scaleDiverging, d3-color's rgb); the LUT then
 * lets the heatmap colour a cell with three byte copies instead of a d3 call per pixel.
 */
import { interpolateRgb, piecewise, rgb, scaleDiverging } from 'd3';

export type RGB = readonly [number, number, number];

/** The colours every view draws with; all CSS colour strings. */
export interface Theme {
  background: string;
  foreground: string;
  muted: string;
  border: string;
  accent: string;
  /** Positive activations / importance. */
  positive: string;
  /** Negative activations. */
  negative: string;
  /** Categorical colours, one per language or series, cycled. */
  series: string[];
  fontFamily: string;
  fontSize: number;
}

/** VS Code's Dark Modern values, used when a variable is missing (the standalone report, tests). */
export const DEFAULT_THEME: Theme = {
  background: '#1f1f1f',
  foreground: '#cccccc',
  muted: '#9d9d9d',
  border: '#3c3c3c',
  accent: '#0078d4',
  positive: '#3794ff',
  negative: '#f14c4c',
  series: ['#3794ff', '#f14c4c', '#cca700', '#89d185', '#b180d7', '#d18616'],
  fontFamily: 'system-ui, sans-serif',
  fontSize: 13,
};

/** Light counterpart for the standalone report, which has no editor theme (Light Modern values). */
export const LIGHT_THEME: Theme = {
  ...DEFAULT_THEME,
  background: '#ffffff',
  foreground: '#3b3b3b',
  muted: '#717171',
  border: '#e5e5e5',
  accent: '#005fb8',
  positive: '#1a85ff',
  negative: '#e51400',
  series: ['#1a85ff', '#e51400', '#bf8803', '#388a34', '#652d90', '#d18616'],
};

/**
 * Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb() and rgba(); alpha is ignored. Null if unparseable.
 * Not d3.color: that also reads named colours (we want null, so the theme fallback applies) and
 * not CSS Color 4's space-separated rgb(r g b / a).
 */
export function parseColor(css: string): RGB | null {
  const s = css.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(s);
  if (m) {
    const h = m[1]!;
    return [parseInt(h[0]! + h[0]!, 16), parseInt(h[1]! + h[1]!, 16), parseInt(h[2]! + h[2]!, 16)];
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) {
    const h = m[1]!;
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(s);
  if (m) return [clampByte(Number(m[1])), clampByte(Number(m[2])), clampByte(Number(m[3]))];
  return null;
}

export function colorOr(css: string | undefined, fallback: string): RGB {
  return (css && parseColor(css)) || parseColor(fallback) || [0, 0, 0];
}

const clampByte = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));

const toRgb = (css: string): RGB => { const c = rgb(css); return [c.r, c.g, c.b]; };
const d3rgb = (c: RGB): ReturnType<typeof rgb> => rgb(c[0], c[1], c[2]);

/** Linear interpolation in sRGB (d3.interpolateRgb, rounded to bytes): t=0 → a, t=1 → b; t is clamped to [0, 1]. */
export function mix(a: RGB, b: RGB, t: number): RGB {
  return toRgb(interpolateRgb(d3rgb(a), d3rgb(b))(Math.max(0, Math.min(1, t))));
}

export function toHex(c: RGB): string {
  return d3rgb(c).formatHex();
}

/** WCAG relative luminance, to pick readable text on a coloured cell. */
export function luminance(c: RGB): number {
  const lin = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

/** Black or white, whichever contrasts more with `bg` (0.179 is where both contrast ratios are equal). */
export function textOn(bg: RGB): string {
  return luminance(bg) > 0.179 ? '#000000' : '#ffffff';
}

/** Steps per side of a lookup table; 256 steps are finer than the eye separates on a heatmap. */
export const LUT_STEPS = 256;

/**
 * A diverging scale: −domain → negative colour, 0 → background, +domain → positive colour,
 * saturating beyond ±domain. `lut` holds RGB bytes for LUT_STEPS negative then LUT_STEPS positive steps.
 */
export interface DivergingScale {
  domain: number;
  lut: Uint8Array;
  /** RGB of NaN cells (no value: e.g. a chosen neuron outside the top-k there). */
  empty: RGB;
}

export function divergingScale(theme: Theme, domain: number): DivergingScale {
  const bg = colorOr(theme.background, DEFAULT_THEME.background);
  const pos = colorOr(theme.positive, DEFAULT_THEME.positive);
  const neg = colorOr(theme.negative, DEFAULT_THEME.negative);
  // negative → background → positive over [-1, 0, 1]; the LUT samples it, so `domain` only scales the lookup.
  const color = scaleDiverging(piecewise(interpolateRgb, [d3rgb(neg), d3rgb(bg), d3rgb(pos)])).domain([-1, 0, 1]).clamp(true);
  const lut = new Uint8Array(LUT_STEPS * 2 * 3);
  for (let i = 0; i < LUT_STEPS; i++) {
    // Step i covers |t| = (i+1)/LUT_STEPS, so the faintest non-zero step is still distinguishable from the background.
    const t = (i + 1) / LUT_STEPS;
    lut.set(toRgb(color(-t)), i * 3);
    lut.set(toRgb(color(t)), (LUT_STEPS + i) * 3);
  }
  // Empty cells: the background nudged 6% toward the foreground, visibly "no data" but quiet.
  const empty = mix(bg, colorOr(theme.foreground, DEFAULT_THEME.foreground), 0.06);
  return { domain: domain > 0 ? domain : 1, lut, empty };
}

/** Byte offset into `scale.lut` of the colour for `v`; -1 for NaN or exactly zero (draw background). */
export function lutOffset(scale: DivergingScale, v: number): number {
  if (Number.isNaN(v)) return -1;
  const t = v / scale.domain;
  const step = Math.min(LUT_STEPS - 1, Math.floor(Math.abs(t) * LUT_STEPS));
  if (t === 0) return -1;
  return (t < 0 ? step : LUT_STEPS + step) * 3;
}

export function scaleColor(scale: DivergingScale, v: number, background: RGB): RGB {
  if (Number.isNaN(v)) return scale.empty;
  const o = lutOffset(scale, v);
  if (o < 0) return background;
  return [scale.lut[o]!, scale.lut[o + 1]!, scale.lut[o + 2]!];
}

/**
 * Six more categorical colours after the theme's six (Tableau-10-like hues the theme's do not
 * use), so up to twelve series stay distinct; past twelve, hues step by the golden angle with
 * alternating lightness, so no two of the first hundred series share a colour.
 */
export const EXTRA_SERIES: readonly string[] = ['#17becf', '#e377c2', '#8c564b', '#7f7f7f', '#bcbd22', '#1f3a93'];

export function seriesColor(theme: Theme, i: number): string {
  const s = theme.series.length ? theme.series : DEFAULT_THEME.series;
  if (i < s.length) return s[i]!;
  if (i < s.length + EXTRA_SERIES.length) return EXTRA_SERIES[i - s.length]!;
  const k = i - s.length - EXTRA_SERIES.length;
  const hue = (k * 137.508 + 20) % 360;
  return rgb(hslToRgb(hue, 0.62, k % 2 ? 0.38 : 0.55)).formatHex();
}

function hslToRgb(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return `rgb(${f(0)}, ${f(8)}, ${f(4)})`;
}
