/**
 * The Language neurons panel (LAPE, methods.md §2): neurons per layer stacked by language, the
 * language × language shared-neuron matrix, and a filterable neuron table with hover cards.
 */
import type { LapeResult } from '../../src/shared/lape';
import { barListSvg } from '../render/charts';
import { neuronsPerLayerSvg, sharedNeuronsSvg } from '../render/figures';
import { toCsv } from '../render/csv';
import { fmt, pct } from '../render/format';
import { lapeNeuronCard } from '../render/hover';
import { filterNeurons, neuronTable, sharedMatrix, type NeuronFilter } from '../render/lapeStats';
import type { MountedView, ViewContext } from './context';
import { clear, h, select, setSvg, valueOf } from './dom';
import { exportFile } from './exporter';
import { reportPaint } from './paint';

/** Table rows rendered at once: enough to scroll through a filtered list, few enough to stay instant. */
const MAX_ROWS = 500;

/** `saveFolder`: the editor's panel offers Save Folder… (the host holds the result); a report does not. */
export function mountLanguageNeurons(root: HTMLElement, r: LapeResult, ctx: ViewContext, o: { saveFolder?: boolean } = {}): MountedView {
  const shared = sharedMatrix(r);
  const all = neuronTable(r);
  const filter: NeuronFilter = {
    language: typeof ctx.ui.language === 'string' && r.languages.includes(ctx.ui.language) ? ctx.ui.language : null,
    layer: typeof ctx.ui.layer === 'number' && ctx.ui.layer < r.nLayers ? ctx.ui.layer : null,
  };
  const bars = h('div', { 'data-testid': 'lape-bars' });
  const matrix = h('div', { 'data-testid': 'lape-shared' });
  const totals = h('div', { 'data-testid': 'lape-totals' });
  const langSel = select('lape-filter-language', [{ value: '', label: 'all languages' }, ...r.languages.map((l) => ({ value: l, label: l }))], filter.language ?? '', 'language');
  const layerSel = select('lape-filter-layer', [{ value: '', label: 'all layers' }, ...Array.from({ length: r.nLayers }, (_, i) => ({ value: String(i), label: `layer ${i}` }))], filter.layer === null ? '' : String(filter.layer), 'layer');
  const count = h('span', { class: 'muted', 'data-testid': 'lape-count' });
  const tableWrap = h('div', { class: 'scroll' });
  const csvBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-csv' }, 'CSV');
  const svgBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-svg' }, 'SVG');
  const saveBtn = o.saveFolder ? h('vscode-button', { 'data-testid': 'lape-save', title: 'Save these language neurons as a folder the CLI and Open Language Neurons Folder… read' }, 'Save Folder…') : null;
  saveBtn?.addEventListener('click', () => ctx.bridge.post({ type: 'languageNeurons/save' }));
  root.append(
    h('div', { class: 'toolbar' }, h('strong', {}, r.model.name), h('span', { class: 'muted' },
      `${all.length} language-specific neurons · ${r.languages.length} languages · bar p > ${pct(r.bar * 100)} (q ${r.probQuantile}) · lowest-LAPE ${r.entropyQuantile * 100}% of all neurons`),
      h('span', { class: 'spacer' }), saveBtn, svgBtn, csvBtn),
    h('div', { class: 'row' }, h('div', { class: 'grow' }, h('h3', {}, 'Neurons per layer'), bars),
      h('div', { class: 'side' }, h('h3', {}, 'Shared neurons'), matrix, h('h3', {}, 'Per language'), totals)),
    h('h3', {}, 'Neurons'), h('div', { class: 'toolbar' }, langSel, layerSel, count), tableWrap,
  );

  let barsSvg = '';
  function draw(): void {
    const theme = ctx.theme();
    // The same renderers as the CLI's figures/neurons-per-layer.svg and shared-neurons.svg (render/figures.ts).
    barsSvg = neuronsPerLayerSvg(theme, r, Math.max(320, bars.clientWidth || 640));
    setSvg(bars, barsSvg);
    setSvg(matrix, sharedNeuronsSvg(theme, r));
    setSvg(totals, barListSvg(theme, { items: r.languages.map((l, li) => ({ label: l, value: shared[li]![li]!, text: String(shared[li]![li]!) })), width: 300, color: theme.accent }));
  }

  function drawTable(): void {
    const rows = filterNeurons(all, filter);
    count.textContent = rows.length > MAX_ROWS ? `${rows.length} neurons (first ${MAX_ROWS} shown)` : `${rows.length} neurons`;
    count.dataset.count = String(rows.length);
    const table = h('table', { class: 'data', 'data-testid': 'lape-table' },
      h('tr', {}, h('th', {}, 'neuron'), h('th', {}, 'languages'), h('th', { class: 'num' }, 'LAPE'), h('th', { class: 'num' }, 'max p'), h('th', {}, 'at')));
    for (const row of rows.slice(0, MAX_ROWS)) {
      const tr = h('tr', { 'data-testid': 'lape-row', 'data-layer': row.layer, 'data-neuron': row.neuron, 'data-lape': row.lape, tabindex: 0, role: 'button',
        'aria-label': `L${row.layer}.N${row.neuron}, specific to ${row.languages.join(', ')}, LAPE ${fmt(row.lape)}: select its references in the prompt` },
        h('td', { class: 'mono' }, `L${row.layer}.N${row.neuron}`), h('td', {}, row.languages.join(', ')), h('td', { class: 'num' }, fmt(row.lape)),
        h('td', { class: 'num' }, pct(row.maxP * 100)), h('td', {}, row.maxLang));
      tr.addEventListener('mouseenter', (e) => {
        ctx.hover.show(lapeNeuronCard(r, row.layer, row.neuron), e.clientX, e.clientY);
        ctx.bridge.post({ type: 'neuron/hover', neuron: { layer: row.layer, index: row.neuron } });
      });
      tr.addEventListener('mouseleave', () => ctx.hover.hide());
      // Keyboard: focus shows the same card as hovering; Enter (or a click) selects the neuron's references in the prompt.
      tr.addEventListener('focus', () => {
        const b = tr.getBoundingClientRect();
        ctx.hover.show(lapeNeuronCard(r, row.layer, row.neuron), b.right, b.top);
        ctx.bridge.post({ type: 'neuron/hover', neuron: { layer: row.layer, index: row.neuron } });
        ctx.announce(`L${row.layer}.N${row.neuron}, specific to ${row.languages.join(', ')}`);
      });
      tr.addEventListener('blur', () => ctx.hover.hide());
      const choose = () => ctx.bridge.post({ type: 'neuron/select', neuron: { layer: row.layer, index: row.neuron } });
      tr.addEventListener('click', choose);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); return; }
        const sib = e.key === 'ArrowDown' ? tr.nextElementSibling : e.key === 'ArrowUp' ? tr.previousElementSibling : null;
        if (sib && (sib as HTMLElement).dataset.neuron !== undefined) { e.preventDefault(); (sib as HTMLElement).focus(); }
      });
      table.append(tr);
    }
    clear(tableWrap);
    tableWrap.append(table);
  }

  const onFilter = (): void => {
    filter.language = valueOf(langSel) || null;
    filter.layer = valueOf(layerSel) === '' ? null : Number(valueOf(layerSel));
    ctx.saveUi({ language: filter.language, layer: filter.layer });
    drawTable();
  };
  langSel.addEventListener('change', onFilter);
  layerSel.addEventListener('change', onFilter);
  bars.addEventListener('mousemove', (e) => {
    const t = e.target as Element;
    if (t.tagName !== 'rect' || !t.getAttribute('data-series')) { ctx.hover.hide(); return; }
    ctx.hover.show({ title: `layer ${t.getAttribute('data-category')}`, rows: [[t.getAttribute('data-series')!, `${t.getAttribute('data-value')} neurons`]], bars: [], notes: [] }, e.clientX, e.clientY);
  });
  bars.addEventListener('mouseleave', () => ctx.hover.hide());
  matrix.addEventListener('mousemove', (e) => {
    const t = e.target as Element;
    if (!t.getAttribute('data-a')) { ctx.hover.hide(); return; }
    ctx.hover.show({ title: `${t.getAttribute('data-a')} ∩ ${t.getAttribute('data-b')}`, rows: [['shared neurons', t.getAttribute('data-value')!]], bars: [], notes: [] }, e.clientX, e.clientY);
  });
  matrix.addEventListener('mouseleave', () => ctx.hover.hide());
  csvBtn.addEventListener('click', () => exportFile(ctx.bridge, 'csv', `language-neurons-${r.model.name}.csv`,
    toCsv(['layer', 'neuron', 'languages', 'lape', 'max_p', 'max_language'], all.map((x) => [x.layer, x.neuron, x.languages.join(' '), x.lape, x.maxP, x.maxLang]))));
  svgBtn.addEventListener('click', () => exportFile(ctx.bridge, 'svg', `language-neurons-${r.model.name}.svg`, barsSvg));

  draw();
  drawTable();
  reportPaint(ctx.bridge, 'languageNeurons', ctx.t0, root);
  return { redraw: draw, destroy: () => clear(root) };
}
