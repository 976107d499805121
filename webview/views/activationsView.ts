/**
 * The Activations panel: heatmap (strongest neuron per cell, or a chosen neuron), the selected
 * token's top neurons per layer, the generated continuation, exports.
 */
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { emptyOutputNote } from '../../src/shared/generation';
import type { GeneratedText } from '../../src/shared/generatedText';
import { bytePieceLabels } from '../render/bytePieces';
import { activationsCsv } from '../render/csv';
import { fmt, showToken } from '../render/format';
import { buildGrid, columnKey, greyMeaning, parseNeuronQuery, queryLayers, type HeatmapGrid, type NeuronQuery } from '../render/heatmap';
import { heatmapSvg } from '../render/heatmapSvg';
import { activationCellCard } from '../render/hover';
import { topListHeading, topNeuronsForToken } from '../render/topNeurons';
import type { MountedView, ViewContext } from './context';
import { clear, h } from './dom';
import { exportFile, svgSize, svgToPngBase64 } from './exporter';
import { HeatmapView, type Selection } from './heatmapView';
import { legend } from './legend';
import { reportPaint } from './paint';

/** Neurons listed per layer for the selected token by default: 3 keeps 32 layers' worth on one screen. */
const PER_LAYER = 3;

export function mountActivations(root: HTMLElement, a: ActivationAnalysis, ctx: ViewContext): MountedView {
  const input = h('vscode-textfield', { 'data-testid': 'neuron-input', placeholder: 'strongest, or L3.N127 / N127', 'aria-label': 'neuron' }) as HTMLElement & { value: string };
  const apply = h('vscode-button', { 'data-testid': 'neuron-apply' }, 'Show');
  const reset = h('vscode-button', { secondary: true, 'data-testid': 'neuron-reset' }, 'Strongest');
  const status = h('span', { class: 'muted', 'data-testid': 'heatmap-status' });
  const legendSlot = h('span');
  const exportButtons = (['png', 'svg', 'csv'] as const).map((f) => {
    const b = h('vscode-button', { secondary: true, 'data-testid': `export-${f}` }, f.toUpperCase());
    b.addEventListener('click', () => void doExport(f));
    return b;
  });
  const selected = h('div', { class: 'selected-cell', 'data-testid': 'selected-cell' }, h('span', { class: 'muted' }, 'Click a token or a cell.'));
  const topList = h('div', { class: 'scroll', 'data-testid': 'top-neurons' });
  const continuation = h('div', { class: 'continuation', 'data-testid': 'continuation' });
  fillContinuation(continuation, a.generated);

  // How many of each layer's top-k the side list shows: PER_LAYER, or all k on request.
  let perLayer = ctx.ui.allTopK === true ? a.topK : Math.min(PER_LAYER, a.topK);
  const topHeading = h('h3', { 'data-testid': 'top-neurons-heading' }, topListHeading(perLayer, a.topK));
  const moreButton = h('vscode-button', { secondary: true, 'data-testid': 'top-neurons-more' }, perLayer < a.topK ? `All ${a.topK}` : `Top ${PER_LAYER}`);
  moreButton.addEventListener('click', () => {
    perLayer = perLayer < a.topK ? a.topK : Math.min(PER_LAYER, a.topK);
    topHeading.textContent = topListHeading(perLayer, a.topK);
    moreButton.textContent = perLayer < a.topK ? `All ${a.topK}` : `Top ${PER_LAYER}`;
    if (heat.selection) renderSelection(heat.selection);
    save();
  });
  const pieces = bytePieceLabels(a.tokens.map((t) => t.bytes));
  const heat = new HeatmapView(a, ctx, (s) => onSelect(s));
  const main = h('div', { class: 'grow' }, heat.el);
  root.append(
    h('div', { class: 'toolbar' }, h('strong', {}, a.model.name), h('span', { class: 'muted' }, `${a.tokens.length} tokens × ${a.nLayers} layers, top-${a.topK}`),
      input, apply, reset, status, legendSlot, h('span', { class: 'spacer' }), ...exportButtons),
    h('div', { class: 'row' }, main, h('div', { class: 'side' }, h('h3', {}, 'Selection'), selected, h('div', { class: 'toolbar' }, topHeading, ...(a.topK > PER_LAYER ? [moreButton] : [])), topList)),
    h('h3', {}, 'Continuation'), continuation,
  );

  let grid: HeatmapGrid;
  let query: NeuronQuery = { kind: 'strongest' };
  /** Full columns the engine answered (the neuron on every token), and those asked for. */
  const columns = new Map<string, Float32Array>();
  const asked = new Set<string>();
  function show(q: NeuronQuery): void {
    query = q;
    // A neuron query needs values the top-k does not hold: ask the host for its full column(s).
    const missing = queryLayers(a, q).filter((l) => q.kind !== 'strongest' && !columns.has(columnKey(l, q.index)));
    for (const l of missing) {
      const key = columnKey(l, (q as { index: number }).index);
      if (asked.has(key)) continue;
      asked.add(key);
      ctx.bridge.post({ type: 'neuron/column', neuron: { layer: l, index: (q as { index: number }).index } });
    }
    grid = buildGrid(a, q, columns);
    // Width left for cells: the main column minus the token label column (~190 px with its position number).
    heat.setGrid(grid, Math.max(200, main.clientWidth - 190));
    clear(legendSlot);
    const pending = ctx.bridge.inVsCode && missing.length > 0;
    legendSlot.append(legend(heat.scale, ctx.theme(), grid.label, greyMeaning(grid, q, a.topK, pending)));
    status.textContent = '';
    if (heat.selection) {
      heat.select(heat.selection, false);
      renderSelection(heat.selection);
    }
  }
  function applyInput(): void {
    const q = parseNeuronQuery(input.value ?? '');
    if (!q) { status.textContent = `"${input.value}" is not a neuron (use L3.N127 or N127)`; return; }
    if (q.kind === 'neuron' && q.layer >= a.nLayers) { status.textContent = `layer ${q.layer} does not exist (0–${a.nLayers - 1})`; return; }
    show(q);
    save();
  }
  apply.addEventListener('click', applyInput);
  input.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') applyInput(); });
  reset.addEventListener('click', () => { input.value = ''; applyInput(); });

  function onSelect(s: Selection): void {
    renderSelection(s);
    announceSelection(s);
    ctx.bridge.post({ type: 'activations/selectToken', pos: s.pos, layer: s.layer });
    save();
  }

  function announceSelection(s: Selection): void {
    const t = a.tokens[s.pos]!;
    const cell = s.layer !== null ? heat.valueAt(s.pos, s.layer) : null;
    ctx.announce(`token ${s.pos} ${JSON.stringify(t.text)}${cell && s.layer !== null && cell.neuron >= 0 ? `, layer ${s.layer}: L${s.layer}.N${cell.neuron} = ${fmt(cell.value)}` : ''}`);
  }

  function renderSelection(s: Selection): void {
    const t = a.tokens[s.pos]!;
    clear(selected);
    const cell = s.layer !== null ? heat.valueAt(s.pos, s.layer) : null;
    Object.assign(selected.dataset, { pos: String(s.pos), layer: s.layer === null ? '' : String(s.layer),
      neuron: cell && cell.neuron >= 0 ? String(cell.neuron) : '', value: cell && !Number.isNaN(cell.value) ? String(cell.value) : '' });
    selected.append(h('div', {}, h('span', { class: 'muted' }, `token ${s.pos}: `), h('span', { class: 'mono' }, pieces[s.pos] ?? showToken(t.text)), h('span', { class: 'muted' }, `  id ${t.id}`)));
    if (cell && s.layer !== null) {
      selected.append(h('div', {}, `layer ${s.layer}: `, cell.neuron >= 0 ? h('span', { class: 'mono' }, `N${cell.neuron} = ${fmt(cell.value)}`) : h('span', { class: 'empty' }, 'not in top-k')));
    }
    clear(topList);
    const rows = topNeuronsForToken(a, s.pos, perLayer);
    const max = Math.max(1e-12, ...rows.map((r) => Math.abs(r.value)));
    const table = h('table', { class: 'data' }, h('tr', {}, h('th', {}, 'layer'), h('th', {}, 'neuron'), h('th', { class: 'num' }, 'value'), h('th', {})));
    for (const r of rows) {
      const bar = h('span', { class: 'bar-cell' });
      bar.style.width = `${(60 * Math.abs(r.value)) / max}px`; // 60 px = the widest bar that fits the side column
      const tr = h('tr', { 'data-testid': 'top-neuron-row', 'data-layer': r.layer, 'data-neuron': r.neuron, 'data-value': r.value, 'data-rank': r.rank,
        tabindex: 0, role: 'button', 'aria-label': `L${r.layer}.N${r.neuron} = ${fmt(r.value)}: show in the heatmap and select its references in the prompt` },
        h('td', {}, r.rank === 0 ? String(r.layer) : ''), h('td', { class: 'mono' }, `L${r.layer}.N${r.neuron}`), h('td', { class: 'num' }, fmt(r.value)), h('td', {}, bar));
      tr.addEventListener('mouseenter', (e) => {
        ctx.hover.show(activationCellCard({ token: t.text, pos: s.pos, layer: r.layer, neuron: r.neuron, value: r.value, profiles: a.languageProfiles }), e.clientX, e.clientY);
        ctx.bridge.post({ type: 'neuron/hover', neuron: { layer: r.layer, index: r.neuron } });
      });
      tr.addEventListener('mouseleave', () => ctx.hover.hide());
      const choose = () => {
        input.value = `L${r.layer}.N${r.neuron}`;
        applyInput();
        ctx.bridge.post({ type: 'neuron/select', neuron: { layer: r.layer, index: r.neuron } });
        ctx.announce(`heatmap shows L${r.layer}.N${r.neuron}`);
      };
      tr.addEventListener('click', choose);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); } });
      table.append(tr);
    }
    topList.append(table);
  }

  function save(): void {
    ctx.saveUi({ query: input.value ?? '', pos: heat.selection?.pos ?? null, layer: heat.selection?.layer ?? null, allTopK: perLayer >= a.topK && a.topK > PER_LAYER });
  }

  async function doExport(format: 'png' | 'svg' | 'csv'): Promise<void> {
    const base = `activations-${a.model.name}`;
    if (format === 'csv') return exportFile(ctx.bridge, 'csv', `${base}.csv`, activationsCsv(a));
    const svg = heatmapSvg(a, grid, heat.scale, ctx.theme());
    if (format === 'svg') return exportFile(ctx.bridge, 'svg', `${base}.svg`, svg);
    const { width, height } = svgSize(svg);
    exportFile(ctx.bridge, 'png', `${base}.png`, await svgToPngBase64(svg, width, height));
  }

  // Restore UI state, then first paint.
  const ui = ctx.ui;
  if (typeof ui.query === 'string') input.value = ui.query;
  show(parseNeuronQuery(input.value ?? '') ?? { kind: 'strongest' });
  if (typeof ui.pos === 'number' && ui.pos < a.tokens.length) {
    heat.select({ pos: ui.pos, layer: typeof ui.layer === 'number' && ui.layer < a.nLayers ? ui.layer : null }, false);
    renderSelection(heat.selection!);
  }
  reportPaint(ctx.bridge, 'activations', ctx.t0, root);

  return {
    redraw: () => show(parseNeuronQuery(input.value ?? '') ?? { kind: 'strongest' }),
    // The engine's answer to neuron/column: the neuron on every token; shown at once when it is the query.
    column: (layer, index, values) => {
      if (values.length !== a.tokens.length) return;
      columns.set(columnKey(layer, index), values);
      if (query.kind !== 'strongest' && query.index === index && queryLayers(a, query).includes(layer)) show(query);
    },
    destroy: () => { ctx.hover.hide(); clear(root); },
    // The continuation of an analysis shown before it was generated.
    continuation: (g) => {
      a.generated = g;
      fillContinuation(continuation, g);
    },
    // The editor cursor moved onto a token: select it here without posting a selection back (no echo loop).
    reveal: (pos) => {
      if (pos === null || pos >= a.tokens.length) return;
      heat.select({ pos, layer: heat.selection?.layer ?? null }, false);
      (heat.el.querySelector(`[data-testid="token"][data-pos="${pos}"]`) as HTMLElement | null)?.scrollIntoView({ block: 'nearest' });
      renderSelection(heat.selection!);
      announceSelection(heat.selection!);
      save();
    },
  };
}

/** The continuation's text, or what happened instead (still being generated: data-pending, for tests). */
export function fillContinuation(el: HTMLElement, g: GeneratedText): void {
  clear(el);
  el.toggleAttribute('data-pending', g.pending === true);
  const note = emptyOutputNote(g);
  if (note) el.append(h('span', { class: 'empty', 'data-testid': g.pending ? 'continuation-pending' : 'continuation-note' }, note));
  else el.append(g.text);
}
