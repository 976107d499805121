/**
 * The tokens × layers heatmap: one canvas pixel per cell, scaled up without smoothing; token
 * labels as DOM rows (clickable, selectable); hover card per cell; arrow keys move the selection.
 */
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { colorOr, DEFAULT_THEME, divergingScale, type DivergingScale } from '../render/color';
import { showToken } from '../render/format';
import { bytePieceLabels } from '../render/bytePieces';
import { cellAt, gridDomain, heatmapLayout, paintGrid, type HeatmapGrid, type HeatmapLayout } from '../render/heatmap';
import { activationCellCard } from '../render/hover';
import { listStep } from '../render/keyNav';
import type { ViewContext } from './context';
import { clear, h } from './dom';

export interface Selection { pos: number; layer: number | null }

export class HeatmapView {
  readonly el: HTMLElement;
  private canvas: HTMLCanvasElement;
  private labels: HTMLElement;
  private axis: HTMLElement;
  private grid!: HeatmapGrid;
  private layout!: HeatmapLayout;
  scale!: DivergingScale;
  private offscreen = document.createElement('canvas');
  selection: Selection | null = null;

  constructor(private a: ActivationAnalysis, private ctx: ViewContext, private onSelect: (s: Selection) => void) {
    this.canvas = h('canvas', { class: 'cells', 'data-testid': 'heatmap-canvas', tabindex: 0, role: 'img', 'aria-label': 'activation heatmap: tokens by layers' });
    this.labels = h('div', { class: 'labels', 'data-testid': 'token-labels', role: 'listbox', 'aria-label': 'tokens (arrow keys move, the editor selects the token)' });
    this.axis = h('div', { class: 'axis', 'aria-hidden': 'true' });
    this.el = h('div', { class: 'heatmap', 'data-testid': 'heatmap' }, h('div', { class: 'corner muted' }, 'token \\ layer'), this.axis, this.labels, this.canvas);
    // A piece of a character (byte-level BPE) reads as the character, which byte and the bytes, not "�".
    const pieces = bytePieceLabels(a.tokens.map((t) => t.bytes));
    a.tokens.forEach((t, p) => {
      const row = h('div', { class: 'token', 'data-testid': 'token', 'data-pos': p, title: `token ${p}, id ${t.id}${pieces[p] ? `: ${pieces[p]}` : ''}`, role: 'option', 'aria-selected': 'false',
        'aria-label': `token ${p} ${JSON.stringify(t.text)} id ${t.id}`, tabindex: p === 0 ? 0 : -1, 'data-piece': pieces[p] }, h('span', { class: 'pos' }, String(p)), pieces[p] ?? showToken(t.text));
      row.addEventListener('click', () => this.select({ pos: p, layer: this.selection?.layer ?? null }));
      this.labels.append(row);
    });
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => { ctx.hover.hide(); ctx.bridge.post({ type: 'neuron/hover', neuron: null }); });
    this.canvas.addEventListener('click', (e) => {
      const c = this.cellAtEvent(e);
      if (c) this.select({ pos: c.row, layer: c.col });
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    // Rows: one tab stop (roving tabindex); arrows, Home/End and pages move the selection.
    this.labels.addEventListener('keydown', (e) => {
      const next = listStep(e.key, this.selection?.pos ?? -1, a.tokens.length);
      if (next === null) return;
      e.preventDefault();
      this.select({ pos: next, layer: this.selection?.layer ?? null });
      (this.labels.children[next] as HTMLElement | undefined)?.focus();
    });
  }

  setGrid(g: HeatmapGrid, availableWidth: number): void {
    this.grid = g;
    this.scale = divergingScale(this.ctx.theme(), gridDomain(g));
    this.layout = heatmapLayout(g.cols, g.rows, availableWidth);
    const { cellW, cellH, width, height } = this.layout;
    // filled: how many cells have a value (grey is the rest), so a reader (and the e2e suite) can tell a full column from a top-k one.
    const filled = g.values.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0);
    Object.assign(this.canvas.dataset, { rows: String(g.rows), cols: String(g.cols), cellW: String(cellW), cellH: String(cellH), label: g.label, filled: String(filled) });
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    clear(this.axis);
    this.axis.style.width = `${width}px`;
    // A layer number needs ~14 px; with narrower cells label every 5th layer.
    const every = cellW >= 14 ? 1 : 5;
    for (let l = 0; l < g.cols; l++) {
      const s = h('span', { class: 'muted' }, l % every === 0 ? String(l) : '');
      s.style.cssText = `display:inline-block;width:${cellW}px;text-align:center;font-size:10px;line-height:18px`;
      this.axis.append(s);
    }
    this.paint();
  }

  /** Full repaint: cells (one pixel each, scaled) then the selection outline. */
  paint(): void {
    const g = this.grid, { cellW, cellH, width, height } = this.layout;
    const bg = colorOr(this.ctx.theme().background, DEFAULT_THEME.background);
    this.offscreen.width = g.cols;
    this.offscreen.height = g.rows;
    this.offscreen.getContext('2d')!.putImageData(new ImageData(paintGrid(g, this.scale, bg), g.cols, g.rows), 0, 0);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    const c = this.canvas.getContext('2d')!;
    c.imageSmoothingEnabled = false;
    c.drawImage(this.offscreen, 0, 0, this.canvas.width, this.canvas.height);
    const s = this.selection;
    if (s) {
      c.save();
      c.scale(dpr, dpr);
      c.strokeStyle = this.ctx.theme().accent;
      c.lineWidth = 1;
      c.strokeRect(0.5, s.pos * cellH + 0.5, width - 1, cellH - 1);
      if (s.layer !== null) { c.lineWidth = 2; c.strokeRect(s.layer * cellW + 1, s.pos * cellH + 1, cellW - 2, cellH - 2); }
      c.restore();
    }
  }

  select(s: Selection, notify = true): void {
    this.selection = s;
    this.labels.querySelectorAll('.token.selected').forEach((e) => { e.classList.remove('selected'); e.setAttribute('aria-selected', 'false'); e.setAttribute('tabindex', '-1'); });
    const row = this.labels.children[s.pos] as HTMLElement | undefined;
    row?.classList.add('selected');
    row?.setAttribute('aria-selected', 'true');
    row?.setAttribute('tabindex', '0');
    if (notify) row?.scrollIntoView({ block: 'nearest' });
    this.paint();
    if (notify) this.onSelect(s);
  }

  valueAt(pos: number, layer: number): { value: number; neuron: number } {
    const i = pos * this.grid.cols + layer;
    return { value: this.grid.values[i]!, neuron: this.grid.neurons[i]! };
  }

  private cellAtEvent(e: MouseEvent): { row: number; col: number } | null {
    const r = this.canvas.getBoundingClientRect();
    return cellAt(this.layout, this.grid, e.clientX - r.left, e.clientY - r.top);
  }

  private hover(e: MouseEvent): void {
    const c = this.cellAtEvent(e);
    if (!c) { this.ctx.hover.hide(); return; }
    const { value, neuron } = this.valueAt(c.row, c.col);
    this.ctx.hover.show(activationCellCard({ token: this.a.tokens[c.row]!.text, pos: c.row, layer: c.col, neuron, value, profiles: this.a.languageProfiles }), e.clientX, e.clientY);
    if (neuron >= 0) this.ctx.bridge.post({ type: 'neuron/hover', neuron: { layer: c.col, index: neuron } });
  }

  private key(e: KeyboardEvent): void {
    const s = this.selection ?? { pos: 0, layer: 0 };
    const layer = s.layer ?? 0;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    const pos = Math.max(0, Math.min(this.grid.rows - 1, s.pos + m[0]));
    this.select({ pos, layer: Math.max(0, Math.min(this.grid.cols - 1, layer + m[1])) });
  }
}
