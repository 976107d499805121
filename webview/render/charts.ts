/**
 * Chart SVG builders shared by the panels, the exports and the report: a labelled matrix,
 * stacked bars and a horizontal bar list. Every mark carries data-* attributes so views can
 * hover by event delegation and tests can read values.
 */
import { max, range, scaleBand } from 'd3';
import { colorOr, DEFAULT_THEME, scaleColor, seriesColor, textOn, toHex, type DivergingScale, type Theme } from './color';
import { linear } from './ticks';
import { attrs, esc, line, rect, svgDoc, text } from './svg';
import { labelSvg, labelWidth, textWidth } from '../../src/shared/results/labels';

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
  /** A line under the matrix: what a cell's number is (its unit), and the quadrants when their names do not fit inside them. */
  caption?: string;
}

/** Legend entries advance ~7 px per character at 11 px. */
const CHAR_W = 7;
/** Width in px of the widest label at `size` px (text metrics of labels.ts: generous, so nothing is cut). */
const widest = (labels: readonly string[], size: number, markup = false): number => Math.max(0, max(labels, (l) => (markup ? labelWidth(l, size) : textWidth(l, size))) ?? 0);

export function matrixSvg(theme: Theme, s: MatrixSpec): string {
  const cell = s.cell ?? 28;
  const labelW = 10 + widest(s.rowLabels, 11);
  // Column labels are rotated -45°, so they need about 0.71× their length in height, and the last one reaches right of the matrix.
  const labelH = 12 + 0.71 * widest(s.colLabels, 11);
  // Rotated column labels run up and to the right from their cell's centre.
  const right = Math.max(0, ...s.colLabels.map((l, c) => labelW + c * cell + cell / 2 + 0.71 * textWidth(l, 11)));
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
  const notes: string[] = [];
  if (q && s.splitRow !== undefined && s.splitCol !== undefined) {
    const cols = [s.splitCol, s.colLabels.length - s.splitCol], rows = [s.splitRow, s.rowLabels.length - s.splitRow];
    const corners: [number, number][] = [[x0, y0], [x0 + s.splitCol * cell, y0], [x0, y0 + s.splitRow * cell], [x0 + s.splitCol * cell, y0 + s.splitRow * cell]];
    // A quadrant's name goes in its corner only when the quadrant is wide and tall enough for it ("mono×r" was cut
    // by its neighbour); otherwise every name goes in the caption, by position.
    const fits = corners.every((_, i) => cols[i % 2]! * cell >= 6 + textWidth(q[i]!, 10) * 1.15 && rows[Math.floor(i / 2)]! * cell >= 14);
    if (fits) corners.forEach(([x, y], i) => parts.push(text(q[i]!, { x: x + 3, y: y + 11, fill: theme.foreground, 'font-size': 10, 'font-weight': 'bold', 'pointer-events': 'none', opacity: 0.85 })));
    else notes.push(`quadrants: ↖ ${q[0]} · ↗ ${q[1]} · ↙ ${q[2]} · ↘ ${q[3]}`);
  }
  if (s.caption) notes.unshift(s.caption);
  notes.forEach((n, i) => parts.push(text(n, { x: 0, y: y0 + h + 16 + i * 14, fill: theme.muted, 'font-size': 10, 'data-testid': 'matrix-caption' })));
  const titleW = s.title ? textWidth(s.title, 12) * 1.1 : 0;
  const notesW = Math.max(0, ...notes.map((n) => textWidth(n, 10) * 1.1));
  return svgDoc(Math.max(x0 + w + 4, titleW + 4, right + 4, notesW + 4), y0 + h + 4 + notes.length * 14 + (notes.length ? 4 : 0), parts.join(''), { background: theme.background, fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
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
  // Legend under the plot, wrapped onto as many rows as the width needs (never cut at the right edge).
  let lx = m.left, ly = s.height - 14;
  s.series.forEach((ser, si) => {
    const w = 24 + Math.max(CHAR_W * ser.label.length, textWidth(ser.label, 11));
    if (lx > m.left && lx + w > s.width) { lx = m.left; ly += 16; }
    parts.push(rect({ x: lx, y: ly, width: 10, height: 10, fill: seriesColor(theme, si) }));
    parts.push(text(ser.label, { x: lx + 14, y: ly + 9, fill: theme.foreground, 'font-size': 11 }));
    lx += w;
  });
  return svgDoc(s.width, ly + 16, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}

export interface BarListSpec {
  /** `color`: this bar's fill (default `spec.color`); `mark`: drawn after the value text (†, ‡). */
  items: { label: string; value: number; text: string; attrs?: Attrs; color?: string; mark?: string }[];
  /** Value of a full-width bar; defaults to the largest value. */
  max?: number;
  /** At least this wide; wider when the labels need it (a label is never cut). */
  width: number;
  color: string;
  testid?: string;
  title?: string;
  /** Labels are label markup (labels.ts: θ_{Fr-En}) drawn with sub- and superscripts. */
  markup?: boolean;
  /** A line of text under the bars (what the marks mean). */
  note?: string;
}

/** The narrowest bar area before the chart grows wider than asked. */
const MIN_BAR_W = 120;

/** Horizontal bars, one per row: label | bar | value text. Label and value columns are sized to their widest text. */
export function barListSvg(theme: Theme, s: BarListSpec): string {
  const rowH = 18, labelW = 10 + widest(s.items.map((i) => i.label), 11, s.markup);
  const textW = 10 + widest(s.items.map((i) => `${i.text}${i.mark ?? ''}`), 11), titleH = s.title ? 20 : 0;
  const top = s.max ?? Math.max(1e-12, max(s.items, (i) => i.value) ?? 0);
  const width = Math.max(s.width, labelW + MIN_BAR_W + textW, s.title ? textWidth(s.title, 12) * 1.1 : 0, s.note ? textWidth(s.note, 10) : 0);
  const bw = width - labelW - textW;
  const parts: string[] = [];
  if (s.title) parts.push(text(s.title, { x: 0, y: 14, fill: theme.foreground, 'font-weight': 'bold' }));
  s.items.forEach((it, i) => {
    const y = titleH + i * rowH;
    const la = attrs({ x: labelW - 6, y: y + 13, fill: theme.foreground, 'text-anchor': 'end', 'font-size': 11 });
    parts.push(s.markup ? `<text ${la}>${labelSvg(it.label, 11)}</text>` : text(it.label, { x: labelW - 6, y: y + 13, fill: theme.foreground, 'text-anchor': 'end', 'font-size': 11 }));
    parts.push(rect({ x: labelW, y: y + 3, width: bw, height: rowH - 6, fill: theme.border, opacity: 0.5 }));
    parts.push(rect({ x: labelW, y: y + 3, width: Math.max(0, Math.min(1, it.value / top)) * bw, height: rowH - 6, fill: it.color ?? s.color, ...(it.attrs ?? {}) }));
    parts.push(text(`${it.text}${it.mark ?? ''}`, { x: labelW + bw + 6, y: y + 13, fill: it.mark ? theme.foreground : theme.muted, 'font-size': 11, ...(it.mark ? { 'data-mark': it.mark } : {}) }));
  });
  const noteH = s.note ? 16 : 0;
  if (s.note) parts.push(text(s.note, { x: 0, y: titleH + s.items.length * rowH + 14, fill: theme.muted, 'font-size': 10 }));
  return svgDoc(width, titleH + s.items.length * rowH + 4 + noteH, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}

export { attrs, esc };
