/**
 * A number with a fixed count of decimals, as tables print it — except that a value which rounds to
 * zero prints without a sign: `(-0.001).toFixed(2)` is "-0.00", which reads as a real negative
 * difference in a table of deltas and confidence intervals.
 */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
