/**
 * Scales and axis ticks for the panels, from d3: d3-scale's linear scales map data to pixels
 * (and back, with `.invert`), d3-array's `ticks`/`tickStep` choose "nice" tick values (1, 2 or 5 ×
 * 10^k, computed by multiplying or dividing integers so no 0.1+0.2-style error appears). d3 only
 * computes numbers here; every renderer still draws its own canvas pixels or SVG strings.
 * Imports are per function from 'd3' so esbuild keeps just those modules in dist/webview/*.js.
 */
import { scaleLinear, tickStep, ticks, type ScaleLinear } from 'd3';

export type Linear = ScaleLinear<number, number>;

/** About `count` ticks covering [lo, hi], at multiples of a nice step, inside the range, ascending. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return [];
  return lo <= hi ? ticks(lo, hi, count) : ticks(hi, lo, count);
}

/** The nice step (1, 2 or 5 × 10^k) nearest to `raw`, as d3 picks it for `ticks`. */
export function niceStep(raw: number): number {
  return tickStep(0, raw, 1);
}

/** Maps [d0, d1] onto [r0, r1] linearly (a d3 linear scale: callable, with `.invert` and `.ticks`). */
export function linear(d0: number, d1: number, r0: number, r1: number): Linear {
  return scaleLinear().domain([d0, d1]).range([r0, r1]);
}
