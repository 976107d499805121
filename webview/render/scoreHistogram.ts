/**
 * Score histograms of the numeric-bias study (methods.md §7), models side by side: per score,
 * one bar per model for the share of items whose argmax is that score, and a dot for the mean
 * probability the model puts on it. A peaky (aligned) model shows one tall bar; a base model a
 * spread. Pure SVG string, tested without a DOM; every bar carries data-model/-score/-share.
 */
import { max, range, scaleBand } from 'd3';
import { seriesColor, type Theme } from './color';
import type { Figure } from './figures';
import { textWidth } from '../../src/shared/results/labels';
import { linear } from './ticks';
import { circle, line, rect, svgDoc, text } from './svg';

export interface ScoreHistogramSeries {
  model: string;
  scores: number[];
  argmaxShare: number[];
  /** Mean probability per score; empty for the gold series (human scores have no distribution). */
  meanProbability: number[];
  /** Excess kurtosis of the argmax answers; NaN (null in JSON) when every answer is the same score. */
  kurtosis: number;
  /** The human scores' own histogram, drawn beside the models' (when they lie on the range). */
  gold?: boolean;
}

/** The legend's words for a series: kurtosis, or why it is undefined, and the modal score's share (always defined). */
export function seriesLegend(ser: ScoreHistogramSeries): string {
  const top = ser.argmaxShare.reduce((b, v, k) => (v > ser.argmaxShare[b]! ? k : b), 0);
  const share = ser.argmaxShare[top] ?? 0;
  const what = ser.gold ? 'gold score' : 'answer';
  const k = Number.isFinite(ser.kurtosis) ? `kurtosis ${ser.kurtosis.toFixed(2)}` : share >= 1 - 1e-9 ? `kurtosis undefined: every ${what} is ${ser.scores[top]}` : 'kurtosis undefined';
  return `${ser.model} (${k}; modal ${ser.scores[top]} ${Math.round(share * 100)}%)`;
}

export interface ScoreHistogramSpec {
  title?: string;
  series: ScoreHistogramSeries[];
  width: number;
  height: number;
  testid?: string;
}

const NOTE = 'bars: share of items whose argmax is the score (gold: of the human scores) · dots: mean probability';
const NOTE_FONT = 10;

/** The note under the axis, wrapped at word boundaries to `width` px so no word runs off the chart. */
export function noteLines(width: number): string[] {
  const lines: string[] = [];
  for (const word of NOTE.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && textWidth(`${last} ${word}`, NOTE_FONT) <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function legendRowCount(s: ScoreHistogramSpec): number {
  let rows = 1;
  let lx = 40;
  for (const ser of s.series) {
    const w = 24 + 6.2 * seriesLegend(ser).length;
    if (lx > 40 && lx + w > s.width) { rows++; lx = 40; }
    lx += w;
  }
  return rows;
}

export function scoreHistogramSvg(theme: Theme, s: ScoreHistogramSpec): string {
  const scores = s.series[0]?.scores ?? [];
  const legendRows = legendRowCount(s);
  const note = noteLines(s.width - 40 - 8);
  const m = { left: 40, right: 8, top: s.title ? 24 : 8, bottom: 16 + 12 * note.length + 14 * legendRows };
  const pw = s.width - m.left - m.right;
  const ph = s.height - m.top - m.bottom;
  const top = Math.max(0.05, max(s.series.flatMap((x) => [...x.argmaxShare, ...x.meanProbability])) ?? 0);
  const x = scaleBand<number>().domain(range(scores.length)).range([m.left, m.left + pw]).paddingInner(0.15);
  const inner = scaleBand<number>().domain(range(s.series.length)).range([0, x.bandwidth()]);
  const y = linear(0, top, m.top + ph, m.top);
  const parts: string[] = [];
  if (s.title) parts.push(text(s.title, { x: 0, y: 14, fill: theme.foreground, 'font-weight': 'bold' }));
  for (const t of y.ticks(4)) {
    parts.push(line({ x1: m.left, x2: m.left + pw, y1: y(t), y2: y(t), stroke: theme.border }));
    parts.push(text(`${Math.round(t * 100)}%`, { x: m.left - 4, y: y(t) + 4, fill: theme.muted, 'text-anchor': 'end', 'font-size': 10 }));
  }
  scores.forEach((score, k) => {
    const x0 = x(k)!;
    s.series.forEach((ser, si) => {
      const share = ser.argmaxShare[k] ?? 0;
      const bx = x0 + inner(si)!;
      const bw = Math.max(1, inner.bandwidth() - 1);
      parts.push(rect({ x: bx, y: y(share), width: bw, height: y(0) - y(share), fill: seriesColor(theme, si), 'data-model': ser.model, 'data-score': score, 'data-share': share.toFixed(4) }));
      const p = ser.meanProbability[k];
      if (p !== undefined) parts.push(circle({ cx: bx + bw / 2, cy: y(p), r: Math.min(3, bw / 2 + 0.5), fill: theme.foreground, 'data-model': ser.model, 'data-score': score, 'data-mean-p': p.toFixed(4) }));
    });
    // Label every score when they fit, else every 5th and the last (1–100).
    if (x.bandwidth() >= 12 || k % 5 === 0 || k === scores.length - 1) parts.push(text(String(score), { x: x0 + x.bandwidth() / 2, y: m.top + ph + 12, fill: theme.muted, 'text-anchor': 'middle', 'font-size': 10 }));
  });
  // Legend entries flow left to right and wrap, so long model names are never cut off.
  let lx = m.left;
  let ly = s.height - 14 * legendRows;
  const entries = s.series.map((ser, si) => ({ label: seriesLegend(ser), si }));
  for (const { label, si } of entries) {
    const w = 24 + 6.2 * label.length;
    if (lx > m.left && lx + w > s.width) { lx = m.left; ly += 14; }
    parts.push(rect({ x: lx, y: ly, width: 10, height: 10, fill: seriesColor(theme, si) }));
    parts.push(text(label, { x: lx + 14, y: ly + 9, fill: theme.foreground, 'font-size': 11 }));
    lx += w;
  }
  note.forEach((l, i) => parts.push(text(l, { x: m.left, y: m.top + ph + 26 + 12 * i, fill: theme.muted, 'font-size': NOTE_FONT })));
  return svgDoc(s.width, s.height, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}

/** The histogram's width for `scores` scores and `series` series: 10 px per bar, within 480–1400 px (panel and figure alike). */
export function histogramWidth(scores: number, series: number): number {
  return Math.max(480, Math.min(1400, 60 + scores * 10 * series));
}

/**
 * One range's histogram as a figure file a paper can include (the CLI writes figures/NAME.svg and
 * .png from it): the same drawing as the Studies panel's, with a title naming the range.
 */
export function scoreHistogramFigure(theme: Theme, range: string, series: ScoreHistogramSeries[]): Figure {
  const models = series.filter((x) => !x.gold).map((x) => x.model);
  const gold = series.some((x) => x.gold);
  return {
    name: `score-histogram-${range}`,
    caption: `Answers on the ${range} range: per score, the share of items whose argmax it is for ${models.join(', ')}${gold ? ', beside the human scores (gold)' : ''}; dots: mean probability`,
    svg: scoreHistogramSvg(theme, { title: `Score distribution, range ${range}`, series, width: histogramWidth(series[0]?.scores.length ?? 0, series.length), height: 280 }),
  };
}
