/**
 * Chart SVG builders shared by the panels, the exports and the report: a labelled matrix,
 * stacked bars and a horizontal bar list. Every mark carries data-* attributes so views can
 * hover by event delegation and tests can read values.
 */
import { max, range, scaleBand } from 'd3';
import { colorOr, DEFAULT_THEME, scaleColor, seriesColor, textOn, toHex, type DivergingScale, type Theme } from './color';
import { linear } from './ticks';
import { attrs, esc, line, rect, svgDoc, text } from './svg';

type Attrs = Record<string, string | number | undefined>;

export interface MatrixSpec {
  rowLabels: string[];
  colLabels: string[];
  value: (r: number, c: number) => number;
  scale: DivergingScale;
  /** Text inside a cell, or null for none. */
  cellText?: (r: number, c: number, v: number) => string | null;
  /** Extra attributes of each cell rect (data-* for hover and tests). */
  cellAttrs?: (r: number, c: number, v: number) => Attrs;
  /** Draw a separator after this many rows / columns (the quadrant split). */
  splitRow?: number;
  splitCol?: number;
  /** Labels drawn in the four quadrants' corners when both splits are set. */
  quadrantLabels?: [string, string, string, string];
  cell?: number;
  testid?: string;
  title?: string;
}

/** Row labels need ~7 px per character at 12 px font; capped so one long label cannot eat the matrix. */
const CHAR_W = 7, MAX_LABEL_W = 180;
/** Characters in the longest label, at least 1. */
const longest = (labels: string[]): number => Math.max(1, max(labels, (l) => l.length) ?? 0);

export function matrixSvg(theme: Theme, s: MatrixSpec): string {
  const cell = s.cell ?? 28;
  const labelW = Math.min(MAX_LABEL_W, 8 + CHAR_W * longest(s.rowLabels));
  // Column labels are rotated -45°, so they need about 0.7× their length in height.
  const labelH = Math.min(MAX_LABEL_W, 12 + 0.7 * CHAR_W * longest(s.colLabels));
  const titleH = s.title ? 20 : 0;
  const x0 = labelW, y0 = labelH + titleH;
  const bg = colorOr(theme.background, DEFAULT_THEME.background);
  const parts: string[] = [];
  if (s.title) parts.push(text(s.title, { x: 0, y: 14, fill: theme.foreground, 'font-weight': 'bold' }));
  s.colLabels.forEach((l, c) => {
    const x = x0 + c * cell + cell / 2, y = y0 - 4;
    parts.push(text(l, { x, y, fill: theme.muted, transform: `rotate(-45 ${x} ${y})`, 'font-size': 11 }));
  });
  s.rowLabels.forEach((l, r) => parts.push(text(l, { x: x0 - 6, y: y0 + r * cell + cell / 2 + 4, fill: theme.muted, 'text-anchor': 'end', 'font-size': 11 })));
  for (let r = 0; r < s.rowLabels.length; r++) {
    for (let c = 0; c < s.colLabels.length; c++) {
      const v = s.value(r, c);
      const fill = scaleColor(s.scale, v, bg);
      parts.push(rect({ x: x0 + c * cell, y: y0 + r * cell, width: cell - 1, height: cell - 1, fill: toHex(fill), ...(s.cellAttrs?.(r, c, v) ?? {}) }));
      const t = s.cellText?.(r, c, v);
      if (t) parts.push(text(t, { x: x0 + c * cell + cell / 2, y: y0 + r * cell + cell / 2 + 4, fill: textOn(fill), 'text-anchor': 'middle', 'font-size': 10, 'pointer-events': 'none' }));
    }
  }
  const w = s.colLabels.length * cell, h = s.rowLabels.length * cell;
  if (s.splitRow !== undefined && s.splitRow > 0 && s.splitRow < s.rowLabels.length) {
    parts.push(line({ x1: x0 - 2, x2: x0 + w, y1: y0 + s.splitRow * cell - 0.5, y2: y0 + s.splitRow * cell - 0.5, stroke: theme.foreground, 'stroke-width': 2 }));
  }
  if (s.splitCol !== undefined && s.splitCol > 0 && s.splitCol < s.colLabels.length) {
    parts.push(line({ y1: y0 - 2, y2: y0 + h, x1: x0 + s.splitCol * cell - 0.5, x2: x0 + s.splitCol * cell - 0.5, stroke: theme.foreground, 'stroke-width': 2 }));
  }
  const q = s.quadrantLabels;
  if (q && s.splitRow !== undefined && s.splitCol !== undefined) {
    const corners: [number, number][] = [[x0, y0], [x0 + s.splitCol * cell, y0], [x0, y0 + s.splitRow * cell], [x0 + s.splitCol * cell, y0 + s.splitRow * cell]];
    corners.forEach(([x, y], i) => parts.push(text(q[i]!, { x: x + 3, y: y + 11, fill: theme.foreground, 'font-size': 10, 'font-weight': 'bold', 'pointer-events': 'none', opacity: 0.85 })));
  }
  return svgDoc(x0 + w + 4, y0 + h + 4, parts.join(''), { background: theme.background, fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}

export interface StackedBarsSpec {
  /** One bar per category (e.g. layer). */
  categories: string[];
  /** series[s][c]: value of series s in category c. */
  series: { label: string; values: number[] }[];
  width: number;
  height: number;
  testid?: string;
  title?: string;
}

/** Vertical stacked bars with a y axis and a legend; each segment carries data-category, data-series, data-value. */
export function stackedBarsSvg(theme: Theme, s: StackedBarsSpec): string {
  const m = { left: 40, right: 8, top: s.title ? 24 : 8, bottom: 40 };
  const totals = s.categories.map((_, c) => s.series.reduce((sum, ser) => sum + (ser.values[c] ?? 0), 0));
  const pw = s.width - m.left - m.right, ph = s.height - m.top - m.bottom;
  // Bands by category index (labels may repeat); y from 0 to the tallest stack (at least 1).
  const x = scaleBand<number>().domain(range(s.categories.length)).range([m.left, m.left + pw]);
  const bw = x.bandwidth();
  const y = linear(0, Math.max(1, max(totals) ?? 0), m.top + ph, m.top);
  const parts: string[] = [];
  if (s.title) parts.push(text(s.title, { x: 0, y: 14, fill: theme.foreground, 'font-weight': 'bold' }));
  for (const t of y.ticks(4)) {
    parts.push(line({ x1: m.left, x2: m.left + pw, y1: y(t), y2: y(t), stroke: theme.border }));
    parts.push(text(String(t), { x: m.left - 4, y: y(t) + 4, fill: theme.muted, 'text-anchor': 'end', 'font-size': 10 }));
  }
  s.categories.forEach((cat, c) => {
    const x0 = x(c)!;
    let acc = 0;
    s.series.forEach((ser, si) => {
      const v = ser.values[c] ?? 0;
      if (v > 0) {
        parts.push(rect({ x: x0 + 1, y: y(acc + v), width: Math.max(1, bw - 2), height: y(acc) - y(acc + v), fill: seriesColor(theme, si),
          'data-category': cat, 'data-series': ser.label, 'data-value': v }));
      }
      acc += v;
    });
    // Label every category when they fit (≥ 14 px per bar), else every 5th.
    if (bw >= 14 || c % 5 === 0) parts.push(text(cat, { x: x0 + bw / 2, y: m.top + ph + 12, fill: theme.muted, 'text-anchor': 'middle', 'font-size': 10 }));
  });
  let lx = m.left;
  s.series.forEach((ser, si) => {
    parts.push(rect({ x: lx, y: s.height - 14, width: 10, height: 10, fill: seriesColor(theme, si) }));
    parts.push(text(ser.label, { x: lx + 14, y: s.height - 5, fill: theme.foreground, 'font-size': 11 }));
    lx += 24 + CHAR_W * ser.label.length;
  });
  return svgDoc(s.width, s.height, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}

export interface BarListSpec {
  items: { label: string; value: number; text: string; attrs?: Attrs }[];
  /** Value of a full-width bar; defaults to the largest value. */
  max?: number;
  width: number;
  color: string;
  testid?: string;
  title?: string;
}

/** Horizontal bars, one per row: label | bar | value text. */
export function barListSvg(theme: Theme, s: BarListSpec): string {
  const rowH = 18, labelW = Math.min(MAX_LABEL_W, 8 + CHAR_W * longest(s.items.map((i) => i.label)));
  const textW = 56, titleH = s.title ? 20 : 0;
  const top = s.max ?? Math.max(1e-12, max(s.items, (i) => i.value) ?? 0);
  const bw = Math.max(20, s.width - labelW - textW);
  const parts: string[] = [];
  if (s.title) parts.push(text(s.title, { x: 0, y: 14, fill: theme.foreground, 'font-weight': 'bold' }));
  s.items.forEach((it, i) => {
    const y = titleH + i * rowH;
    parts.push(text(it.label, { x: labelW - 6, y: y + 13, fill: theme.foreground, 'text-anchor': 'end', 'font-size': 11 }));
    parts.push(rect({ x: labelW, y: y + 3, width: bw, height: rowH - 6, fill: theme.border, opacity: 0.5 }));
    parts.push(rect({ x: labelW, y: y + 3, width: Math.max(0, Math.min(1, it.value / top)) * bw, height: rowH - 6, fill: s.color, ...(it.attrs ?? {}) }));
    parts.push(text(it.text, { x: labelW + bw + 6, y: y + 13, fill: theme.muted, 'font-size': 11 }));
  });
  return svgDoc(s.width, titleH + s.items.length * rowH + 4, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}

export { attrs, esc };
