/**
 * SVG string builders. Views insert these strings (they are built only from numbers and
 * escaped text), exports save them, and the standalone report shows them: one drawing path.
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Attribute string from a record; numbers are rounded to 2 decimals to keep files small. */
export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${typeof v === 'number' ? round2(v) : esc(v!)}"`)
    .join(' ');
}

export const round2 = (v: number): number => Math.round(v * 100) / 100;

export function rect(a: Record<string, string | number | undefined>): string {
  return `<rect ${attrs(a)}/>`;
}

export function text(content: string, a: Record<string, string | number | undefined>): string {
  return `<text ${attrs(a)}>${esc(content)}</text>`;
}

export function line(a: Record<string, string | number | undefined>): string {
  return `<line ${attrs(a)}/>`;
}

export function circle(a: Record<string, string | number | undefined>): string {
  return `<circle ${attrs(a)}/>`;
}

/** A complete standalone SVG document (for export) or inline element (for views). */
export function svgDoc(width: number, height: number, body: string, opts: { background?: string; fontFamily?: string; fontSize?: number; testid?: string } = {}): string {
  const bg = opts.background ? rect({ x: 0, y: 0, width, height, fill: opts.background }) : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" ${attrs({ width, height, viewBox: `0 0 ${round2(width)} ${round2(height)}`, 'font-family': opts.fontFamily, 'font-size': opts.fontSize, 'data-testid': opts.testid })}>${bg}${body}</svg>`;
}
