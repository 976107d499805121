/** Axis ticks at "nice" values (1, 2 or 5 × 10^k), as in every plotting library. */

/** About `count` ticks covering [lo, hi], at multiples of a nice step, inside the range. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return [];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) return [lo];
  const step = niceStep((hi - lo) / count);
  // 1e-9 absorbs division error (0.3 / 0.1 = 2.9999999999999996) so end points on a tick are kept.
  const start = Math.ceil(lo / step - 1e-9), end = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  // Multiply rather than accumulate so 0.1+0.2-style error does not build up; round to the step's decimals.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let i = start; i <= end; i++) out.push(Number((i * step).toFixed(decimals)));
  return out;
}

export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  // Thresholds are the geometric midpoints between 1, 2, 5 and 10, so the step is the nearest nice one.
  const nice = f < Math.SQRT2 ? 1 : f < Math.sqrt(10) ? 2 : f < Math.sqrt(50) ? 5 : 10;
  return nice * p;
}

/** Maps [d0, d1] onto [r0, r1] linearly. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}
