/**
 * Feature scatter (methods.md §4): one point per feature, x = z(log I_mt), y = z(log I_mono),
 * quadrants II and IV shaded. Built for 100k+ points: points are painted as squares into one
 * ImageData (no per-point canvas calls), hit testing goes through a spatial grid, the hover ring
 * is drawn on an overlay canvas so hovering never repaints the points.
 */
import type { FeatureScatterData } from '../../src/shared/features';
import { colorOr, DEFAULT_THEME, LIGHT_THEME, mix, seriesColor, toHex, type RGB } from '../render/color';
import { scatterSvg } from '../render/figures';
import { toCsv } from '../render/csv';
import { fmt } from '../render/format';
import { scatterPointCard } from '../render/hover';
import { scatterStep } from '../render/keyNav';
import { quadrantCounts, quadrantOf } from '../render/quadrant';
import { frameScales, paintPoints, project, ranksDescending, scatterFrame, scatterPoints, type ScatterFrame, type ScatterPoints } from '../render/scatter';
import { buildGrid, inRect, nearest, type SpatialGrid } from '../render/spatialGrid';
import type { MountedView, ViewContext } from './context';
import { clear, h, select, valueOf } from './dom';
import { exportFile } from './exporter';

/** Grid cell of the hit-test index: ~2 hover radii, so a query touches at most 2×2 cells. */
const GRID_CELL = 12;
/** Hover picks the nearest point within 6 CSS px (a comfortable pointer target). */
const HOVER_RADIUS = 6;
/** Selected features listed by index; the CSV export has all of them. */
const MAX_LIST = 200;

export function mountScatter(root: HTMLElement, data: FeatureScatterData, ctx: ViewContext): MountedView {
  const kinds = [...new Set(data.layers.map((l) => l.kind))];
  const layers = [...new Set(data.layers.map((l) => l.layer))].sort((a, b) => a - b);
  let kind = typeof ctx.ui.scatterKind === 'string' && kinds.includes(ctx.ui.scatterKind) ? ctx.ui.scatterKind : kinds[0] ?? '';
  let layer: number | null = typeof ctx.ui.scatterLayer === 'number' && layers.includes(ctx.ui.scatterLayer) ? ctx.ui.scatterLayer : null;
  const kindSel = select('scatter-kind', kinds.map((k) => ({ value: k, label: k })), kind, 'linear layer kind');
  const layerSel = select('scatter-layer', [{ value: '', label: 'all layers' }, ...layers.map((l) => ({ value: String(l), label: `layer ${l}` }))], layer === null ? '' : String(layer), 'layer');
  const info = h('span', { class: 'muted', 'data-testid': 'scatter-info' });
  const canvas = h('canvas', { 'data-testid': 'scatter-canvas', role: 'application', tabindex: 0,
    'aria-label': 'feature scatter: arrow keys move between points, Space adds or removes the point from the selection, Escape clears the selection' });
  const overlay = h('canvas', { 'aria-hidden': 'true' });
  overlay.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none';
  const brushEl = h('div', { class: 'brush', hidden: true });
  const wrap = h('div', { class: 'scatter-wrap' }, canvas, overlay, brushEl);
  const selInfo = h('div', { 'data-testid': 'scatter-selection' }, h('span', { class: 'muted' }, 'Drag on the plot to select features.'));
  const csvBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-scatter-csv' }, 'CSV of selection');
  // The figure a paper can include: the CLI's figures/scatter-KIND.svg, from the same renderer (render/figures.ts).
  const svgBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-scatter-svg' }, 'SVG');
  svgBtn.addEventListener('click', () => exportFile(ctx.bridge, 'svg', `scatter-${kind.replace(/[^A-Za-z0-9]+/g, '-')}${layer === null ? '' : `-layer${layer}`}.svg`, scatterSvg(LIGHT_THEME, data, { kind, layer })));
  root.append(h('div', { class: 'toolbar' }, kindSel, layerSel, info, h('span', { class: 'spacer' }), svgBtn, csvBtn), h('div', { class: 'row' }, h('div', { class: 'grow' }, wrap), h('div', { class: 'side' }, selInfo)));

  let pts: ScatterPoints, frame: ScatterFrame, px: Float32Array, py: Float32Array, grid: SpatialGrid;
  let selected = new Uint8Array(0);
  let selectedList: number[] = [];
  const ranks = new Map<number, { mt: Int32Array; mono: Int32Array }>();
  const pointsCanvas = document.createElement('canvas');

  function colors(): { byQuadrant: [RGB, RGB, RGB, RGB, RGB]; selected: RGB; bg: RGB } {
    const t = ctx.theme();
    const bg = colorOr(t.background, DEFAULT_THEME.background), fg = colorOr(t.foreground, DEFAULT_THEME.foreground);
    const neutral = mix(bg, fg, 0.45); // quadrants I and III: visible but quiet
    const q2 = colorOr(seriesColor(t, 0), DEFAULT_THEME.series[0]!), q4 = colorOr(seriesColor(t, 5), DEFAULT_THEME.series[5]!);
    return { byQuadrant: [neutral, q2, neutral, q4, neutral], selected: colorOr(t.accent, DEFAULT_THEME.accent), bg };
  }

  function rebuild(): void {
    const which = data.layers.map((l, i) => ({ l, i })).filter(({ l }) => l.kind === kind && (layer === null || l.layer === layer)).map(({ i }) => i);
    pts = scatterPoints(data, which);
    selected = new Uint8Array(pts.n);
    selectedList = [];
    cursor = -1;
    const c = quadrantCounts(pts.x, pts.y);
    info.textContent = `${pts.n.toLocaleString('en')} features · II (mono only) ${c.II} · IV (translation only) ${c.IV}`;
    Object.assign(info.dataset, { n: String(pts.n), q1: String(c.I), q2: String(c.II), q3: String(c.III), q4: String(c.IV) });
    layout();
    renderSelection();
  }

  function layout(): void {
    // Square plot as wide as the column allows, between 320 and 640 CSS px.
    const w = Math.max(320, Math.min(640, wrap.parentElement!.clientWidth || 560));
    frame = scatterFrame(pts, w, w);
    ({ px, py } = project(pts, frame));
    grid = buildGrid(px, py, frame.width, frame.height, GRID_CELL);
    paint();
  }

  function paint(): void {
    const t = ctx.theme(), col = colors(), dpr = window.devicePixelRatio || 1;
    const W = Math.round(frame.width * dpr), H = Math.round(frame.height * dpr);
    for (const c of [canvas, overlay]) { c.width = W; c.height = H; c.style.width = `${frame.width}px`; c.style.height = `${frame.height}px`; }
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = t.background;
    g.fillRect(0, 0, frame.width, frame.height);
    const cx = (frame.left + frame.right) / 2, cy = (frame.top + frame.bottom) / 2;
    // Quadrant shading at 10% of the quadrant colour: clearly tinted, points stay readable on top.
    g.fillStyle = toHex(mix(col.bg, col.byQuadrant[1], 0.1));
    g.fillRect(frame.left, frame.top, cx - frame.left, cy - frame.top);
    g.fillStyle = toHex(mix(col.bg, col.byQuadrant[3], 0.1));
    g.fillRect(cx, cy, frame.right - cx, frame.bottom - cy);
    g.strokeStyle = t.border;
    g.fillStyle = t.muted;
    g.font = `10px ${t.fontFamily}`;
    // Both axes share the symmetric domain, so one set of ticks and labels (d3's, with its tick format) serves both.
    const sc = frameScales(frame), label = sc.x.tickFormat(6);
    for (const v of sc.x.ticks(6)) {
      const x = sc.x(v), y = sc.y(v);
      g.beginPath(); g.moveTo(x, frame.bottom); g.lineTo(x, frame.bottom + 4); g.moveTo(frame.left - 4, y); g.lineTo(frame.left, y); g.stroke();
      g.textAlign = 'center'; g.fillText(label(v), x, frame.bottom + 13);
      g.textAlign = 'right'; g.fillText(label(v), frame.left - 6, y + 3);
    }
    g.strokeRect(frame.left + 0.5, frame.top + 0.5, frame.right - frame.left - 1, frame.bottom - frame.top - 1);
    g.strokeStyle = t.foreground;
    g.beginPath(); g.moveTo(cx, frame.top); g.lineTo(cx, frame.bottom); g.moveTo(frame.left, cy); g.lineTo(frame.right, cy); g.stroke();
    g.fillStyle = t.foreground;
    g.textAlign = 'center';
    g.fillText(`z log I (${data.mtLabel}) →`, cx, frame.height - 3);
    g.textAlign = 'left';
    g.fillText('II', frame.left + 4, frame.top + 12);
    g.fillText('IV', frame.right - 16, frame.bottom - 6);
    g.save(); g.translate(10, cy); g.rotate(-Math.PI / 2); g.textAlign = 'center'; g.fillText(`z log I (${data.monoLabel}) →`, 0, 0); g.restore();
    // Points: one ImageData pass. 2 device px per point at dpr 1 (3 at 2×) keeps 100k points from merging into a blob.
    const size = Math.max(2, Math.round(1.5 * dpr));
    const img = new ImageData(W, H);
    paintPoints(img.data, W, H, pts, px, py, col, size, dpr, selected);
    pointsCanvas.width = W; pointsCanvas.height = H;
    pointsCanvas.getContext('2d')!.putImageData(img, 0, 0);
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.drawImage(pointsCanvas, 0, 0);
  }

  function ranksOf(source: number): { mt: Int32Array; mono: Int32Array } {
    let r = ranks.get(source);
    if (!r) { const l = data.layers[source]!; r = { mt: ranksDescending(l.mt), mono: ranksDescending(l.mono) }; ranks.set(source, r); }
    return r;
  }

  function local(e: MouseEvent): { x: number; y: number } {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  function hover(e: MouseEvent): void {
    const t0 = performance.now();
    const { x, y } = local(e);
    showPoint(nearest(grid, x, y, HOVER_RADIUS), e.clientX, e.clientY);
    canvas.dataset.hoverMs = (performance.now() - t0).toFixed(2);
  }

  /** Ring and card on point `i` (−1 hides them); the card sits at client (cx, cy). */
  function showPoint(i: number, cx: number, cy: number): void {
    const o = overlay.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    o.setTransform(dpr, 0, 0, dpr, 0, 0);
    o.clearRect(0, 0, frame.width, frame.height);
    if (i < 0) { ctx.hover.hide(); return; }
    o.strokeStyle = ctx.theme().foreground;
    o.lineWidth = 1.5;
    o.beginPath(); o.arc(px[i]!, py[i]!, 5, 0, 2 * Math.PI); o.stroke();
    const src = pts.source[i]!, f = pts.feature[i]!, l = data.layers[src]!, r = ranksOf(src);
    ctx.hover.show(scatterPointCard({ layer: l.layer, kind: l.kind, index: f, mt: l.mt[f]!, mono: l.mono[f]!, x: pts.x[i]!, y: pts.y[i]!,
      rankMt: r.mt[f]!, rankMono: r.mono[f]!, n: l.mt.length, quadrant: quadrantOf(pts.x[i]!, pts.y[i]!), mtLabel: data.mtLabel, monoLabel: data.monoLabel }), cx, cy);
    canvas.dataset.hoverIndex = String(i);
  }

  // Keyboard: a cursor point moved by the arrows (ring + card, announced), Space toggles it in the selection.
  let cursor = -1;
  function keyboard(e: KeyboardEvent): void {
    if (e.key === 'Escape') { setSelection([]); return; }
    if ((e.key === ' ' || e.key === 'Enter') && cursor >= 0) {
      e.preventDefault();
      setSelection(selected[cursor] ? selectedList.filter((i) => i !== cursor) : [...selectedList, cursor]);
      return;
    }
    const next = scatterStep(px, py, cursor, e.key, (frame.left + frame.right) / 2, (frame.top + frame.bottom) / 2);
    if (next < 0) return;
    e.preventDefault();
    cursor = next;
    const b = canvas.getBoundingClientRect();
    showPoint(cursor, b.left + px[cursor]!, b.top + py[cursor]!);
    const l = data.layers[pts.source[cursor]!]!;
    ctx.announce(`layer ${l.layer} ${l.kind} feature ${pts.feature[cursor]}: z ${data.mtLabel} ${fmt(pts.x[cursor]!)}, z ${data.monoLabel} ${fmt(pts.y[cursor]!)}, quadrant ${quadrantOf(pts.x[cursor]!, pts.y[cursor]!)}${selected[cursor] ? ', selected' : ''}`);
  }

  function setSelection(idx: number[]): void {
    selected = new Uint8Array(pts.n);
    for (const i of idx) selected[i] = 1;
    selectedList = idx;
    paint();
    renderSelection();
    ctx.announce(`${idx.length} features selected`);
    const srcs = new Set(idx.map((i) => pts.source[i]!));
    ctx.bridge.post({ type: 'features/select', layer: srcs.size === 1 ? data.layers[[...srcs][0]!]!.layer : null, kind, indices: idx.map((i) => pts.feature[i]!) });
  }

  // Brush: drag a rectangle; on release its points become the selection. The mouseup listener is on
  // window (a drag may end outside the canvas), so it is removed with the view: every new result
  // mounts a new scatter, and a listener left behind would hold the old data and fire on every click.
  const listeners = new AbortController();
  const signal = listeners.signal;
  let start: { x: number; y: number } | null = null;
  canvas.addEventListener('mousedown', (e) => { start = local(e); brushEl.hidden = false; moveBrush(start, start); }, { signal });
  canvas.addEventListener('mousemove', (e) => { if (start) moveBrush(start, local(e)); else hover(e); }, { signal });
  canvas.addEventListener('mouseleave', () => { ctx.hover.hide(); overlay.getContext('2d')!.clearRect(0, 0, overlay.width, overlay.height); }, { signal });
  canvas.addEventListener('keydown', keyboard, { signal });
  canvas.addEventListener('blur', () => ctx.hover.hide(), { signal });
  window.addEventListener('mouseup', (e) => {
    if (!start) return;
    const end = local(e);
    brushEl.hidden = true;
    // A click without a drag (under 3 px) clears the selection instead of selecting a sliver.
    const idx = Math.abs(end.x - start.x) < 3 && Math.abs(end.y - start.y) < 3 ? [] : inRect(grid, start.x, start.y, end.x, end.y);
    start = null;
    setSelection(idx);
  }, { signal });
  function moveBrush(a: { x: number; y: number }, b: { x: number; y: number }): void {
    brushEl.style.left = `${Math.min(a.x, b.x)}px`; brushEl.style.top = `${Math.min(a.y, b.y)}px`;
    brushEl.style.width = `${Math.abs(a.x - b.x)}px`; brushEl.style.height = `${Math.abs(a.y - b.y)}px`;
  }

  function renderSelection(): void {
    clear(selInfo);
    selInfo.dataset.count = String(selectedList.length);
    if (!selectedList.length) { selInfo.append(h('span', { class: 'muted' }, 'Drag on the plot to select features.')); return; }
    selInfo.append(h('h3', {}, `${selectedList.length} selected`));
    const table = h('table', { class: 'data' }, h('tr', {}, h('th', {}, 'layer'), h('th', {}, 'feature'), h('th', { class: 'num' }, 'z mt'), h('th', { class: 'num' }, 'z mono')));
    for (const i of selectedList.slice(0, MAX_LIST)) {
      const l = data.layers[pts.source[i]!]!;
      table.append(h('tr', { 'data-testid': 'scatter-selected-row', 'data-layer': l.layer, 'data-feature': pts.feature[i]! },
        h('td', {}, String(l.layer)), h('td', { class: 'mono' }, String(pts.feature[i])), h('td', { class: 'num' }, fmt(pts.x[i]!)), h('td', { class: 'num' }, fmt(pts.y[i]!))));
    }
    selInfo.append(h('div', { class: 'scroll' }, table));
    if (selectedList.length > MAX_LIST) selInfo.append(h('div', { class: 'muted' }, `first ${MAX_LIST} shown; CSV has all`));
  }

  csvBtn.addEventListener('click', () => {
    const rows = selectedList.map((i) => { const l = data.layers[pts.source[i]!]!, f = pts.feature[i]!; return [l.layer, l.kind, f, l.mt[f]!, l.mono[f]!, pts.x[i]!, pts.y[i]!]; });
    exportFile(ctx.bridge, 'csv', `features-${kind}.csv`, toCsv(['layer', 'kind', 'feature', 'importance_mt', 'importance_mono', 'z_mt', 'z_mono'], rows));
  });
  const onControls = (): void => {
    kind = valueOf(kindSel);
    layer = valueOf(layerSel) === '' ? null : Number(valueOf(layerSel));
    ctx.saveUi({ ...ctx.ui, scatterKind: kind, scatterLayer: layer });
    rebuild();
  };
  kindSel.addEventListener('change', onControls);
  layerSel.addEventListener('change', onControls);

  rebuild();
  return { redraw: paint, destroy: () => { listeners.abort(); ctx.hover.hide(); clear(root); } };
}
