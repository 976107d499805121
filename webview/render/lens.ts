/**
 * The Latent language panel as data (pure, tested without a DOM): the tokens × layers grid of the
 * lens's top token per cell coloured by its language, the hover card, the screen-reader text, the
 * language-mass line chart of one position, the dataset chart with interval bands, and the CSV.
 */
import type { LatentLanguageResult, LensDatasetSummary, LensView } from '../../src/shared/lens';
import { UNKNOWN_LANGUAGE } from '../../src/shared/lens';
import { seriesColor, type Theme } from './color';
import { fmt, prob, showToken } from './format';
import type { HoverCard } from './hover';
import { attrs, esc, line, rect, svgDoc, text } from './svg';
import { linear } from './ticks';
import { fromWire, type Wire } from '../../src/shared/wire';

/** Wire → result, with the packed lengths checked against the declared dimensions. */
export function decodeLatentLanguage(w: Wire<LatentLanguageResult>): LatentLanguageResult {
  const r = fromWire<LatentLanguageResult>(w);
  const cells = r.layers * r.tokens.length;
  const expect = (what: string, got: number, want: number): void => {
    if (got !== want) throw new Error(`${what}: ${got} values, expected ${want}`);
  };
  for (const v of r.lenses) {
    expect(`${v.kind} topIds`, v.topIds.length, cells * r.k);
    expect(`${v.kind} topLogp`, v.topLogp.length, cells * r.k);
    expect(`${v.kind} entropy`, v.entropy.length, cells);
    expect(`${v.kind} mass`, v.mass.length, r.languages.length ? cells * (r.languages.length + 1) : 0);
    for (const t of v.targets) expect(`${v.kind} target ${t.text}`, t.p.length, cells);
  }
  return r;
}

export interface LensGridCell {
  pos: number;
  layer: number;
  id: number;
  text: string;
  /** Index into the result's languages, or -1 (unknown or mixed). */
  lang: number;
  p: number;
}

const cellIndex = (r: LatentLanguageResult, layer: number, pos: number): number => layer * r.tokens.length + pos;

/** The top token of one (position, layer) cell. */
export function lensGridCell(r: LatentLanguageResult, v: LensView, pos: number, layer: number): LensGridCell {
  const at = cellIndex(r, layer, pos) * r.k;
  const id = v.topIds[at]!;
  const info = r.vocab[String(id)];
  return { pos, layer, id, text: info?.text ?? '', lang: info?.lang ?? -1, p: Math.exp(v.topLogp[at]!) };
}

/**
 * The languages the grid shows, most cells first: they get the series colours in that order (a
 * 21-language profile rarely puts more than a handful in the top cells), unknown last.
 */
export function gridLanguages(r: LatentLanguageResult, v: LensView): number[] {
  const count = new Map<number, number>();
  for (let l = 0; l < r.layers; l++) {
    for (let t = 0; t < r.tokens.length; t++) {
      const lang = lensGridCell(r, v, t, l).lang;
      if (lang >= 0) count.set(lang, (count.get(lang) ?? 0) + 1);
    }
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([lang]) => lang);
}

/**
 * After the theme's series colours, ten more (d3's Category10 light tints and the rest of
 * Tableau 10), so a grid with many languages does not repeat a colour before the 16th.
 */
const MORE_COLORS = ['#17becf', '#e377c2', '#8c564b', '#bcbd22', '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94'];

/** Colour of a language index: its rank among the grid's languages picks the colour; unknown is muted. */
export function languageColor(theme: Theme, order: readonly number[], lang: number): string {
  const i = order.indexOf(lang);
  if (lang < 0 || i < 0) return theme.muted;
  const n = theme.series.length;
  return i < n ? seriesColor(theme, i) : MORE_COLORS[(i - n) % MORE_COLORS.length]!;
}

export const languageLabel = (r: LatentLanguageResult, lang: number): string => (lang >= 0 ? r.languages[lang]! : r.languages.length ? UNKNOWN_LANGUAGE : '—');

/** What a screen reader says for a cell (and the cell's accessible name). */
export function lensCellLabel(r: LatentLanguageResult, v: LensView, pos: number, layer: number): string {
  const c = lensGridCell(r, v, pos, layer);
  return `token ${pos} ${JSON.stringify(r.tokens[pos]!.text)}, layer ${layer}: ${JSON.stringify(c.text)} ${prob(c.p)}${r.languages.length ? `, ${languageLabel(r, c.lang)}` : ''}`;
}

/** Hover card of a cell: the top-k tokens with probabilities (bars coloured by language), entropy, targets. */
export function lensCellCard(r: LatentLanguageResult, v: LensView, pos: number, layer: number, order: readonly number[]): HoverCard {
  const at = cellIndex(r, layer, pos);
  const bars = Array.from({ length: r.k }, (_, j) => {
    const id = v.topIds[at * r.k + j]!;
    const info = r.vocab[String(id)];
    const p = Math.exp(v.topLogp[at * r.k + j]!);
    const lang = info?.lang ?? -1;
    return { label: showToken(info?.text ?? ''), fraction: Math.min(1, Math.max(0, p)), text: `${prob(p)}${r.languages.length ? ` ${languageLabel(r, lang)}` : ''}`, series: lang >= 0 && order.includes(lang) ? order.indexOf(lang) : -1 };
  });
  const C = r.languages.length + 1;
  const notes: string[] = v.targets.map((t) => `p(${t.text}) = ${fmt(t.p[at]!)}`);
  if (v.mass.length) {
    const mass = [...r.languages, UNKNOWN_LANGUAGE].map((name, c) => ({ name, m: v.mass[at * C + c]! })).filter((x) => x.m >= 0.01).sort((a, b) => b.m - a.m);
    notes.push(`language mass: ${mass.map((x) => `${x.name} ${prob(x.m)}`).join(', ')}`);
  }
  return {
    title: `layer ${layer} · token ${pos} ${showToken(r.tokens[pos]!.text)}`,
    rows: [['lens', v.kind], ['entropy', `${fmt(v.entropy[at]!)} nats`]],
    bars,
    notes,
  };
}

export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
  /** Interval band (same length as values), drawn under the line. */
  lo?: number[];
  hi?: number[];
}

export interface LineChartSpec {
  width: number;
  height: number;
  /** x = 0 … n−1 (layers). */
  n: number;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Vertical marker at this x (e.g. the layer where the target overtakes English). */
  marker?: { x: number; label: string };
  testid?: string;
}

const LEGEND_ROW = 14;

/** A line chart over layers with a y axis in [0, max] and a legend; every point carries data-series/x/value. */
export function lineChartSvg(theme: Theme, spec: LineChartSpec): string {
  const m = { left: 44, right: 120, top: 24, bottom: 34 };
  // The legend lists every series at 14 px a row: a position whose mass spreads over twenty
  // languages at the embeddings gets a taller chart instead of a legend past the bottom edge.
  const s = { ...spec, height: Math.max(spec.height, m.top + LEGEND_ROW * spec.series.length + 6) };
  const top = Math.max(1e-9, ...s.series.flatMap((x) => [...x.values, ...(x.hi ?? [])]).filter(Number.isFinite));
  const X = linear(0, Math.max(1, s.n - 1), m.left, s.width - m.right);
  const Y = linear(0, top, s.height - m.bottom, m.top);
  const parts: string[] = [];
  parts.push(line({ x1: m.left, y1: Y(0), x2: s.width - m.right, y2: Y(0), stroke: theme.border }));
  parts.push(line({ x1: m.left, y1: Y(0), x2: m.left, y2: Y(top), stroke: theme.border }));
  for (const f of [0, 0.5, 1]) parts.push(text(fmt(top * f), { x: m.left - 4, y: Y(top * f) + 4, 'text-anchor': 'end', fill: theme.muted, 'font-size': 10 }));
  const every = s.n > 24 ? 4 : s.n > 12 ? 2 : 1;
  for (let x = 0; x < s.n; x += every) parts.push(text(String(x), { x: X(x), y: s.height - m.bottom + 14, 'text-anchor': 'middle', fill: theme.muted, 'font-size': 10 }));
  parts.push(text(s.xLabel, { x: (m.left + s.width - m.right) / 2, y: s.height - 4, 'text-anchor': 'middle', fill: theme.muted, 'font-size': 11 }));
  parts.push(text(s.yLabel, { x: 4, y: 12, fill: theme.muted, 'font-size': 11 }));
  if (s.marker) {
    parts.push(line({ x1: X(s.marker.x), y1: Y(0), x2: X(s.marker.x), y2: Y(top), stroke: theme.accent, 'stroke-dasharray': '4 3', 'data-testid': 'chart-marker', 'data-x': s.marker.x }));
    parts.push(text(s.marker.label, { x: X(s.marker.x) + 3, y: m.top + 10, fill: theme.accent, 'font-size': 10 }));
  }
  s.series.forEach((ser, i) => {
    if (ser.lo && ser.hi) {
      const upper = ser.hi.map((v, x) => `${X(x).toFixed(2)},${Y(v).toFixed(2)}`);
      const lower = ser.lo.map((v, x) => `${X(x).toFixed(2)},${Y(v).toFixed(2)}`).reverse();
      parts.push(`<polygon ${attrs({ points: [...upper, ...lower].join(' '), fill: ser.color, 'fill-opacity': 0.18, stroke: 'none' })}/>`);
    }
    const pts = ser.values.map((v, x) => `${X(x).toFixed(2)},${Y(v).toFixed(2)}`).join(' ');
    parts.push(`<polyline ${attrs({ points: pts, fill: 'none', stroke: ser.color, 'stroke-width': 2, 'data-series': ser.name })}/>`);
    ser.values.forEach((v, x) => parts.push(`<circle ${attrs({ cx: X(x), cy: Y(v), r: 2.5, fill: ser.color, 'data-series': ser.name, 'data-x': x, 'data-value': v.toPrecision(6) })}><title>${esc(`${ser.name}, layer ${x}: ${fmt(v)}${ser.lo && ser.hi ? ` [${fmt(ser.lo[x]!)}, ${fmt(ser.hi[x]!)}]` : ''}`)}</title></circle>`));
    const ly = m.top + LEGEND_ROW * i;
    parts.push(rect({ x: s.width - m.right + 10, y: ly - 5, width: 10, height: 10, fill: ser.color }));
    parts.push(text(ser.name, { x: s.width - m.right + 24, y: ly + 4, fill: theme.foreground, 'font-size': 11 }));
  });
  return svgDoc(s.width, s.height, parts.join(''), { fontFamily: theme.fontFamily, testid: s.testid });
}

/** Languages whose mass reaches 1 % at some layer of this position (plus unknown), as chart series. */
export function massSeries(r: LatentLanguageResult, v: LensView, pos: number, theme: Theme, order: readonly number[]): ChartSeries[] {
  if (!v.mass.length) return [];
  const C = r.languages.length + 1;
  const names = [...r.languages, UNKNOWN_LANGUAGE];
  const out: ChartSeries[] = [];
  for (let c = 0; c < C; c++) {
    const values = Array.from({ length: r.layers }, (_, l) => v.mass[cellIndex(r, l, pos) * C + c]!);
    if (Math.max(...values) < 0.01) continue;
    out.push({ name: names[c]!, color: c === C - 1 ? theme.muted : languageColor(theme, order, c), values });
  }
  return out;
}

/** Target probabilities of one position by layer, as chart series (dashed in the view). */
export function targetSeries(r: LatentLanguageResult, v: LensView, pos: number, theme: Theme): ChartSeries[] {
  return v.targets.map((t, i) => ({ name: `p(${t.text})`, color: seriesColor(theme, order2(i)), values: Array.from({ length: r.layers }, (_, l) => t.p[cellIndex(r, l, pos)]!) }));
}
/** Targets take the series colours from the far end, so they rarely share a colour with the first languages. */
const order2 = (i: number): number => 5 - (i % 6);

/** The dataset chart: each language's answer probability by layer with its interval band. */
export function datasetAnswerSeries(s: LensDatasetSummary, theme: Theme): ChartSeries[] {
  // English first, then the targets, then the rest: the comparison the experiment is about.
  const langs = Object.keys(s.answers).sort((a, b) => rank(a, s) - rank(b, s));
  return langs.map((l, i) => ({ name: l, color: seriesColor(theme, i), values: s.answers[l]!.mean, lo: s.answers[l]!.lo, hi: s.answers[l]!.hi }));
}
const rank = (l: string, s: LensDatasetSummary): number => (l === 'en' ? 0 : s.targets.includes(l) ? 1 : 2);

/** The dataset's language mass by layer (languages reaching 1 % somewhere). */
export function datasetMassSeries(s: LensDatasetSummary, theme: Theme): ChartSeries[] {
  return Object.entries(s.mass)
    .filter(([, iv]) => Math.max(...iv.mean) >= 0.01)
    .map(([l, iv], i) => ({ name: l, color: l === UNKNOWN_LANGUAGE ? theme.muted : seriesColor(theme, i), values: iv.mean, lo: iv.lo, hi: iv.hi }));
}

/** CSV of the grid: one row per (layer, position, rank). */
export function lensCsv(r: LatentLanguageResult, v: LensView): string {
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const rows = ['lens,layer,position,token,rank,id,top_token,p,language'];
  for (let l = 0; l < r.layers; l++) {
    for (let t = 0; t < r.tokens.length; t++) {
      const at = cellIndex(r, l, t) * r.k;
      for (let j = 0; j < r.k; j++) {
        const id = v.topIds[at + j]!;
        const info = r.vocab[String(id)];
        rows.push([v.kind, l, t, q(r.tokens[t]!.text), j, id, q(info?.text ?? ''), Math.exp(v.topLogp[at + j]!).toPrecision(6), languageLabel(r, info?.lang ?? -1)].join(','));
      }
    }
  }
  return `${rows.join('\n')}\n`;
}
