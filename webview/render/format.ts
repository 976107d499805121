/** Number formatting for cards, tables and labels: one place, so every view shows the same text. */

/** 3 significant digits, plain notation between 1e-3 and 1e5, exponent outside; "—" for NaN. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}

/** Percent with one decimal: 12.3%. */
export function pct(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(1)}%` : '—';
}

/** A probability in [0,1] as a percent with one decimal. */
export function prob(p: number): string {
  return pct(p * 100);
}

/** Makes a token's text visible: spaces as ·, newlines as ⏎, tabs as →, empty as ∅. */
export function showToken(t: string): string {
  if (t === '') return '∅';
  return t.replace(/ /g, '·').replace(/\n/g, '⏎').replace(/\t/g, '→').replace(/\r/g, '␍');
}
