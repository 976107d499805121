/**
 * Score histograms of the numeric-bias study (methods.md §7), models side by side: per score,
 * one bar per model for the share of items whose argmax is that score, and a dot for the mean
 * probability the model puts on it. A peaky (aligned) model shows one tall bar; a base model a
 * spread. Pure SVG string, tested without a DOM; every bar carries data-model/-score/-share.
 */
import { max, range, scaleBand } from 'd3';
import { seriesColor, type Theme } from './color';
import { linear } from './ticks';
import { circle, line, rect, svgDoc, text } from './svg';

export interface ScoreHistogramSeries {
  model: string;
  scores: number[];
  argmaxShare: number[];
  meanProbability: number[];
  kurtosis: number;
}

export interface ScoreHistogramSpec {
  title?: string;
  series: ScoreHistogramSeries[];
  width: number;
  height: number;
  testid?: string;
}

export function scoreHistogramSvg(theme: Theme, s: ScoreHistogramSpec): string {
  const scores = s.series[0]?.scores ?? [];
  const m = { left: 40, right: 8, top: s.title ? 24 : 8, bottom: 42 };
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
      const p = ser.meanProbability[k] ?? 0;
      parts.push(circle({ cx: bx + bw / 2, cy: y(p), r: Math.min(3, bw / 2 + 0.5), fill: theme.foreground, 'data-model': ser.model, 'data-score': score, 'data-mean-p': p.toFixed(4) }));
    });
    // Label every score when they fit, else every 5th and the last (1–100).
    if (x.bandwidth() >= 12 || k % 5 === 0 || k === scores.length - 1) parts.push(text(String(score), { x: x0 + x.bandwidth() / 2, y: m.top + ph + 12, fill: theme.muted, 'text-anchor': 'middle', 'font-size': 10 }));
  });
  let lx = m.left;
  s.series.forEach((ser, si) => {
    const label = `${ser.model} (kurtosis ${Number.isNaN(ser.kurtosis) ? 'n/a' : ser.kurtosis.toFixed(2)})`;
    parts.push(rect({ x: lx, y: s.height - 14, width: 10, height: 10, fill: seriesColor(theme, si) }));
    parts.push(text(label, { x: lx + 14, y: s.height - 5, fill: theme.foreground, 'font-size': 11 }));
    lx += 24 + 7 * label.length;
  });
  parts.push(text('bars: share of items whose argmax is the score · dots: mean probability', { x: m.left, y: m.top + ph + 26, fill: theme.muted, 'font-size': 10 }));
  return svgDoc(s.width, s.height, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 12, testid: s.testid });
}
