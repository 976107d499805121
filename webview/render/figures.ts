/**
 * Study 1's figures (Kim et al. 2024; LAPE, Tang et al. 2024) as standalone SVG documents: the
 * importance scatter with its quadrants and the count in each, the quadrant overlap maps, language-
 * specific neurons per layer and language, and the shared-neuron matrix. Pure and DOM-free: the
 * panels draw with these functions and the CLI writes the same SVG (and PNG) files from them
 * (src/cli/figures.ts), so a figure in a paper is the figure in the editor.
 */
import type { FeatureAnalysis, FeatureScatterData, OverlapMaps } from '../../src/shared/features';
import type { LapeResult } from '../../src/shared/lape';
import { textWidth } from '../../src/shared/results/labels';
import { matrixSvg, stackedBarsSvg } from './charts';
import { colorOr, DEFAULT_THEME, divergingScale, mix, scaleColor, seriesColor, toHex, type RGB, type Theme } from './color';
import { countsPerLayer, sharedMatrix } from './lapeStats';
import { OVERLAP_SOURCE_TITLES, overlapLayerLabel, overlapMatrix, QUADRANT_NAMES } from './overlap';
import { quadrantCounts, quadrantOf, type Quadrant } from './quadrant';
import { frameScales, project, scatterFrame, scatterPoints } from './scatter';
import { line, rect, svgDoc, text } from './svg';

/** Quadrant colours of the scatter: II (monolingual only) and IV (translation only) stand out, I and III stay quiet. */
export function quadrantColors(theme: Theme): Record<Quadrant | 'axis', RGB> {
  const bg = colorOr(theme.background, DEFAULT_THEME.background), fg = colorOr(theme.foreground, DEFAULT_THEME.foreground);
  const neutral = mix(bg, fg, 0.45);
  return { I: neutral, II: colorOr(seriesColor(theme, 0), DEFAULT_THEME.series[0]!), III: neutral, IV: colorOr(seriesColor(theme, 5), DEFAULT_THEME.series[5]!), axis: neutral };
}

export const QUADRANT_MEANING: Record<Quadrant, string> = { I: 'both', II: 'monolingual only', III: 'neither', IV: 'translation only' };

export interface ScatterFigureOptions {
  /** Linear-layer kind (e.g. "down"); every layer of it is plotted. */
  kind: string;
  /** One layer only; null or absent: all layers of the kind. */
  layer?: number | null;
  /** Square plot size in px (default 480). */
  size?: number;
  title?: string;
}

/**
 * The feature scatter as SVG: x = z log I_mt, y = z log I_mono (methods.md §4), quadrants II and IV
 * shaded, each quadrant labelled with its count. Points sharing a half pixel are drawn once (a
 * 7B layer set has 100k+ features; the file stays small and looks the same).
 */
export function scatterSvg(theme: Theme, data: FeatureScatterData, o: ScatterFigureOptions): string {
  const which = data.layers.map((l, i) => ({ l, i })).filter(({ l }) => l.kind === o.kind && (o.layer === undefined || o.layer === null || l.layer === o.layer)).map(({ i }) => i);
  const pts = scatterPoints(data, which);
  const size = o.size ?? 480;
  const titleH = 22;
  const f = scatterFrame(pts, size, size);
  const { px, py } = project(pts, f);
  const colors = quadrantColors(theme);
  const bg = colorOr(theme.background, DEFAULT_THEME.background);
  const counts = quadrantCounts(pts.x, pts.y);
  const parts: string[] = [];
  const cx = (f.left + f.right) / 2, cy = (f.top + f.bottom) / 2;
  parts.push(rect({ x: f.left, y: f.top, width: cx - f.left, height: cy - f.top, fill: toHex(mix(bg, colors.II, 0.1)) }));
  parts.push(rect({ x: cx, y: cy, width: f.right - cx, height: f.bottom - cy, fill: toHex(mix(bg, colors.IV, 0.1)) }));
  const sc = frameScales(f), fmt = sc.x.tickFormat(6);
  for (const v of sc.x.ticks(6)) {
    const x = sc.x(v), y = sc.y(v);
    parts.push(line({ x1: x, x2: x, y1: f.bottom, y2: f.bottom + 4, stroke: theme.border }), line({ x1: f.left - 4, x2: f.left, y1: y, y2: y, stroke: theme.border }));
    parts.push(text(fmt(v), { x, y: f.bottom + 14, fill: theme.muted, 'text-anchor': 'middle', 'font-size': 10 }));
    parts.push(text(fmt(v), { x: f.left - 6, y: y + 3, fill: theme.muted, 'text-anchor': 'end', 'font-size': 10 }));
  }
  parts.push(rect({ x: f.left + 0.5, y: f.top + 0.5, width: f.right - f.left - 1, height: f.bottom - f.top - 1, fill: 'none', stroke: theme.border }));
  // Points: one path per quadrant colour, 2 px squares, deduplicated on a half-pixel grid.
  const paths: Record<string, string[]> = {};
  const seen = new Set<number>();
  for (let i = 0; i < pts.n; i++) {
    const x = px[i]!, y = py[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const q = quadrantOf(pts.x[i]!, pts.y[i]!) ?? 'axis';
    const gx = Math.round(x * 2), gy = Math.round(y * 2);
    const key = (gx * 8192 + gy) * 5 + ['I', 'II', 'III', 'IV', 'axis'].indexOf(q);
    if (seen.has(key)) continue;
    seen.add(key);
    (paths[q] ??= []).push(`M${gx / 2 - 1} ${gy / 2 - 1}h2v2h-2z`);
  }
  for (const q of ['I', 'III', 'axis', 'II', 'IV'] as const) if (paths[q]) parts.push(`<path d="${paths[q]!.join('')}" fill="${toHex(colors[q])}" data-quadrant="${q}"/>`);
  parts.push(line({ x1: cx, x2: cx, y1: f.top, y2: f.bottom, stroke: theme.foreground }), line({ x1: f.left, x2: f.right, y1: cy, y2: cy, stroke: theme.foreground }));
  // Counts per quadrant, in its outer corner.
  const corner = (q: Quadrant, x: number, y: number, anchor: 'start' | 'end'): string =>
    text(`${q} ${QUADRANT_MEANING[q]}: ${counts[q].toLocaleString('en')}`, { x, y, fill: theme.foreground, 'text-anchor': anchor, 'font-size': 11, 'font-weight': q === 'II' || q === 'IV' ? 'bold' : undefined, 'data-quadrant-count': q, 'data-count': counts[q] });
  parts.push(corner('II', f.left + 4, f.top + 13, 'start'), corner('I', f.right - 4, f.top + 13, 'end'), corner('III', f.left + 4, f.bottom - 6, 'start'), corner('IV', f.right - 4, f.bottom - 6, 'end'));
  parts.push(text(`z log I (${data.mtLabel}) →`, { x: cx, y: size - 2, fill: theme.foreground, 'text-anchor': 'middle', 'font-size': 11 }));
  parts.push(`<text x="10" y="${cy}" transform="rotate(-90 10 ${cy})" text-anchor="middle" font-size="11" fill="${theme.foreground}">z log I (${escapeText(data.monoLabel)}) →</text>`);
  const title = o.title ?? `Feature importance, ${o.kind}${o.layer === undefined || o.layer === null ? ', all layers' : `, layer ${o.layer}`} (${pts.n.toLocaleString('en')} features)`;
  const body = `<text x="0" y="15" font-weight="bold" fill="${theme.foreground}">${escapeText(title)}</text><g transform="translate(0 ${titleH})">${parts.join('')}</g>`;
  const width = Math.max(size, textWidth(title, 12) * 1.1);
  return svgDoc(width, size + titleH, body, { background: theme.background, fontFamily: theme.fontFamily, fontSize: 12, testid: 'scatter-figure' });
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Counts per quadrant of one kind (all layers or one), as the scatter figure labels them. */
export function scatterQuadrantCounts(data: FeatureScatterData, kind: string, layer: number | null = null): Record<Quadrant, number> {
  const which = data.layers.map((l, i) => ({ l, i })).filter(({ l }) => l.kind === kind && (layer === null || l.layer === layer)).map(({ i }) => i);
  const pts = scatterPoints(data, which);
  return quadrantCounts(pts.x, pts.y);
}

/** One overlap map (a layer and kind of `o`) as the panel draws it: settings × settings, quadrant split and names. */
export function overlapMapSvg(theme: Theme, o: OverlapMaps, layerIdx: number, kindIdx: number, testid = 'overlap-svg'): string {
  const m = overlapMatrix(o, layerIdx, kindIdx);
  const labels = m.settings.map((s) => s.label);
  // Cells show their percent only when there is room for "100" (≥ 24 px cells, i.e. up to ~20 settings).
  const cell = Math.max(14, Math.min(40, Math.floor(560 / Math.max(1, labels.length))));
  return matrixSvg(theme, {
    rowLabels: labels, colLabels: labels, value: (a, b) => m.values[a * labels.length + b]!, scale: divergingScale(theme, 100),
    cellText: cell >= 24 ? (_a, _b, v) => String(Math.round(v)) : undefined,
    cellAttrs: (a, b, v) => ({ 'data-a': a, 'data-b': b, 'data-value': Math.round(v * 100) / 100 }),
    splitRow: m.split, splitCol: m.split, quadrantLabels: QUADRANT_NAMES, cell, testid,
    title: `${overlapLayerLabel(o, layerIdx)} · ${o.source === 'hidden_states' ? 'hidden state' : o.kinds[kindIdx]} · top/bottom ${Math.round(o.k * 100)}%`,
    caption: `cell: % of the two settings' top/bottom ${Math.round(o.k * 100)}% features they share`,
  });
}

export interface OverlapGridOptions {
  /** Maps per row for hidden states (default: up to 4); linear inputs always get one row per layer, a column per input. */
  columns?: number;
  testid?: string;
}

/**
 * Every overlap map of `o` in one figure, as Kim et al. print them: a grid of the per-layer maps
 * (overlapMapSvg's matrices, smaller), one per hidden state wrapping after `columns`, or for
 * linear inputs one row per layer and one column per input kind; one colour scale (0–100 %) for all,
 * drawn once under the grid.
 */
export function overlapGridSvg(theme: Theme, o: OverlapMaps, opts: OverlapGridOptions = {}): string {
  const S = o.settings.length;
  const cell = Math.max(10, Math.min(24, Math.floor(168 / Math.max(1, S))));
  const scale = divergingScale(theme, 100);
  const hidden = o.source === 'hidden_states';
  const slots = o.layers.flatMap((_, li) => o.kinds.map((_k, ki) => ({ li, ki })));
  const panels = slots.map(({ li, ki }) => {
    const m = overlapMatrix(o, li, ki);
    const labels = m.settings.map((x) => x.label);
    return matrixSvg(theme, {
      rowLabels: labels, colLabels: labels, value: (a, b) => m.values[a * S + b]!, scale,
      cellText: cell >= 24 ? (_a, _b, v) => String(Math.round(v)) : undefined,
      cellAttrs: (a, b, v) => ({ 'data-layer': o.layers[li], 'data-kind': o.kinds[ki], 'data-a': a, 'data-b': b, 'data-value': Math.round(v * 100) / 100 }),
      splitRow: m.split, splitCol: m.split, cell, testid: 'overlap-grid-panel',
      title: hidden ? overlapLayerLabel(o, li) : `layer ${o.layers[li]} · ${o.kinds[ki]}`,
    });
  });
  const size = (svg: string): [number, number] => {
    const m = /^<svg [^>]*?width="([\d.]+)" height="([\d.]+)"/.exec(svg);
    return [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0)];
  };
  const pw = Math.max(...panels.map((p) => size(p)[0])), ph = Math.max(...panels.map((p) => size(p)[1]));
  const columns = hidden ? Math.max(1, Math.min(opts.columns ?? 4, panels.length)) : o.kinds.length;
  const rows = Math.ceil(panels.length / columns);
  const gap = 12, titleH = 24, legendH = 44;
  const title = `Overlap maps, top/bottom ${Math.round(o.k * 100)}%: ${OVERLAP_SOURCE_TITLES[o.source]}`;
  const parts: string[] = [text(title, { x: 0, y: 15, fill: theme.foreground, 'font-weight': 'bold' })];
  panels.forEach((p, i) => parts.push(`<g transform="translate(${(i % columns) * (pw + gap)} ${titleH + Math.floor(i / columns) * (ph + gap)})">${p}</g>`));
  // The shared colour scale: 0 % (background) to 100 %.
  const ly = titleH + rows * (ph + gap) + 4, lw = 200, steps = 50;
  const bg = colorOr(theme.background, DEFAULT_THEME.background);
  for (let i = 0; i < steps; i++) parts.push(rect({ x: i * (lw / steps), y: ly, width: lw / steps + 0.5, height: 10, fill: toHex(scaleColor(scale, ((i + 0.5) / steps) * 100, bg)) }));
  parts.push(rect({ x: 0.5, y: ly + 0.5, width: lw - 1, height: 9, fill: 'none', stroke: theme.border }));
  for (const v of [0, 50, 100]) parts.push(text(`${v}%`, { x: (v / 100) * lw, y: ly + 22, fill: theme.muted, 'text-anchor': v === 0 ? 'start' : v === 100 ? 'end' : 'middle', 'font-size': 10 }));
  const note = `cell (A, B): share of A's top ${Math.round(o.k * 100)}% among B's bottom ${Math.round(o.k * 100)}% (A row, B column); monolingual settings first, the lines split mono | mt`;
  parts.push(text(note, { x: lw + 12, y: ly + 9, fill: theme.muted, 'font-size': 10 }));
  const width = Math.max(columns * (pw + gap) - gap, textWidth(title, 12) * 1.1, lw + 12 + textWidth(note, 10));
  return svgDoc(width, ly + legendH - 14, parts.join(''), { background: theme.background, fontFamily: theme.fontFamily, fontSize: 12, testid: opts.testid ?? 'overlap-grid' });
}

/** The language-specific neurons per layer, stacked by language (the Language neurons panel's chart). */
export function neuronsPerLayerSvg(theme: Theme, r: LapeResult, width = 640, testid = 'lape-bars-svg', title?: string): string {
  const counts = countsPerLayer(r);
  return stackedBarsSvg(theme, {
    categories: Array.from({ length: r.nLayers }, (_, i) => String(i)),
    series: r.languages.map((l, li) => ({ label: l, values: counts[li]! })),
    width, height: 260, testid, title,
  });
}

/** Neurons specific to both languages of a pair (diagonal: each language's total). */
export function sharedNeuronsSvg(theme: Theme, r: LapeResult, testid = 'lape-shared-svg', title?: string): string {
  const shared = sharedMatrix(r);
  const max = Math.max(1, ...shared.flat());
  return matrixSvg(theme, {
    rowLabels: r.languages, colLabels: r.languages, value: (a, b) => shared[a]![b]!, scale: divergingScale(theme, max),
    cellText: (_a, _b, v) => String(v), cellAttrs: (a, b, v) => ({ 'data-a': r.languages[a], 'data-b': r.languages[b], 'data-value': v }),
    testid, cell: 32, title,
  });
}

export interface Figure {
  /** File name without extension, e.g. "scatter-down". */
  name: string;
  /** What the figure shows, one line (the report lists it). */
  caption: string;
  svg: string;
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

/** `features`: a scatter per linear-layer kind (all layers); per overlap source, the grid of all its maps and each map alone. */
export function featureFigures(theme: Theme, a: FeatureAnalysis): Figure[] {
  const out: Figure[] = [];
  if (a.scatter) {
    for (const kind of [...new Set(a.scatter.layers.map((l) => l.kind))]) {
      const c = scatterQuadrantCounts(a.scatter, kind);
      out.push({ name: `scatter-${slug(kind)}`, caption: `Importance scatter, ${kind} inputs, all layers: II (monolingual only) ${c.II}, IV (translation only) ${c.IV}, I ${c.I}, III ${c.III}`, svg: scatterSvg(theme, a.scatter, { kind }) });
    }
  }
  for (const o of [a.overlap, a.overlapSecond]) {
    if (!o) continue;
    const source = o.source === 'hidden_states' ? 'hidden' : 'linear';
    out.push({ name: `overlap-${source}-grid`, caption: `Overlap maps of every ${o.source === 'hidden_states' ? 'hidden state' : 'layer and input'} in one figure (${o.layers.length * o.kinds.length} maps), top/bottom ${Math.round(o.k * 100)}%`, svg: overlapGridSvg(theme, o) });
    o.layers.forEach((layer, li) => o.kinds.forEach((kind, ki) => {
      const name = o.source === 'hidden_states' ? `overlap-hidden-${layer}` : `overlap-linear-${layer}-${slug(kind)}`;
      out.push({ name, caption: `Overlap map, ${overlapLayerLabel(o, li)}${o.source === 'linear_inputs' ? ` (${kind})` : ''}, top/bottom ${Math.round(o.k * 100)}%`, svg: overlapMapSvg(theme, o, li, ki) });
    }));
  }
  return out;
}

/** `neurons`: neurons per layer and language, and the shared-neuron matrix. */
export function lapeFigures(theme: Theme, r: LapeResult): Figure[] {
  const total = r.neurons.reduce((s, perLayer) => s + perLayer.reduce((t, ix) => t + ix.length, 0), 0);
  return [
    { name: 'neurons-per-layer', caption: `Language-specific neurons per layer and language (${total} neuron–language pairs, ${r.languages.length} languages)`, svg: neuronsPerLayerSvg(theme, r, Math.max(480, 40 * r.nLayers + 80), 'neurons-per-layer', 'Language-specific neurons per layer (x: layer, y: neurons)') },
    { name: 'shared-neurons', caption: 'Neurons specific to both languages of a pair; the diagonal is each language\'s total', svg: sharedNeuronsSvg(theme, r, 'shared-neurons', 'Language-specific neurons shared by two languages') },
  ];
}
