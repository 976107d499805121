/**
 * The Latent language panel (methods.md §8): a tokens × layers grid whose cells show the lens's top
 * token coloured by its language (legend above), a hover card with the top-k, and for the selected
 * position a line chart of the language mass (and target probabilities) by layer. Keyboard: one tab
 * stop in the grid, arrows / Home / End / PageUp / PageDown move, Enter or Space selects; every
 * cell has its screen-reader text and selections are announced. Rows link to the editor like the
 * Activations panel's.
 */
import type { LatentLanguageResult, LensKind, LensView } from '../../src/shared/lens';
import { colorOr, DEFAULT_THEME, mix, parseColor, toHex } from '../render/color';
import { fmt, prob, showToken } from '../render/format';
import { listStep } from '../render/keyNav';
import { gridLanguages, languageColor, languageLabel, lensCellCard, lensCellLabel, lensCsv, lensGridCell, lineChartSvg, massSeries, targetSeries } from '../render/lens';
import type { MountedView, ViewContext } from './context';
import { clear, h, select, setSvg, valueOf } from './dom';
import { exportFile, svgSize, svgToPngBase64 } from './exporter';
import { reportPaint } from './paint';

const LENS_CSS = `
.lens-grid { display: grid; justify-content: start; overflow: auto; max-height: 65vh; border: 1px solid var(--vscode-panel-border); font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; }
.lens-grid .lg-head { position: sticky; top: 0; z-index: 1; background: var(--vscode-editor-background); color: var(--vscode-descriptionForeground); text-align: center; font-size: 10px; line-height: 18px; }
.lens-grid .lg-corner { left: 0; z-index: 2; text-align: left; padding: 0 6px; }
.lens-grid .lg-row { position: sticky; left: 0; z-index: 1; background: var(--vscode-editor-background); white-space: pre; padding: 0 6px; line-height: 20px; cursor: pointer; }
.lens-grid .lg-row.selected { background: var(--vscode-list-activeSelectionBackground); outline: 1px solid var(--vscode-focusBorder); }
.lens-grid .lg-cell { width: 64px; height: 20px; line-height: 20px; overflow: hidden; text-overflow: ellipsis; white-space: pre; padding: 0 3px; border-right: 1px solid var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-editor-background); cursor: pointer; }
.lens-grid .lg-cell:focus-visible, .lens-grid .lg-cell.current { outline: 2px solid var(--vscode-focusBorder); outline-offset: -2px; }
.lens-grid .lg-cell.in-row { box-shadow: inset 0 -2px 0 var(--vscode-focusBorder); }
.lens-legend { display: inline-flex; gap: 8px; flex-wrap: wrap; align-items: center; font-size: 12px; }
.lens-legend .chip { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: middle; }
@media (forced-colors: active) { .lens-grid .lg-cell { forced-color-adjust: none; } .lens-grid .lg-cell.current { outline: 2px solid Highlight; } }
`;
let cssInstalled = false;
function installLensStyles(): void {
  if (cssInstalled) return;
  cssInstalled = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(LENS_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

interface Sel { pos: number; layer: number | null }

export function mountLatentLanguage(root: HTMLElement, r: LatentLanguageResult, ctx: ViewContext): MountedView {
  installLensStyles();
  const kinds = r.lenses.map((v) => v.kind);
  const saved = ctx.ui;
  let kind: LensKind = kinds.includes(saved.lens as LensKind) ? (saved.lens as LensKind) : kinds[0]!;
  let view: LensView = r.lenses.find((v) => v.kind === kind)!;
  let order = gridLanguages(r, view);
  const T = r.tokens.length;
  const layers = r.layers;

  const lensSelect = select('lens-kind', [{ value: 'logit', label: 'logit lens' }, { value: 'linear', label: 'linear lens' }], kind, 'lens');
  if (kinds.length < 2) {
    lensSelect.setAttribute('disabled', '');
    lensSelect.title = 'The linear lens needs a fitted lens: set polyglotLens.linearLens to a `polyglot-lens lens fit` folder';
  }
  const legendEl = h('span', { class: 'lens-legend', 'data-testid': 'lens-legend', role: 'list', 'aria-label': 'languages' });
  const exportButtons = (['csv', 'svg', 'png'] as const).map((f) => {
    const b = h('vscode-button', { secondary: true, 'data-testid': `export-${f}` }, f === 'csv' ? 'CSV' : `chart ${f.toUpperCase()}`);
    b.addEventListener('click', () => void doExport(f));
    return b;
  });
  const grid = h('div', { class: 'lens-grid', 'data-testid': 'lens-grid', role: 'grid', 'aria-label': `latent language: ${T} tokens by ${layers} layers, top token per cell`, 'aria-rowcount': T + 1, 'aria-colcount': layers + 1 });
  grid.style.gridTemplateColumns = `auto repeat(${layers}, 64px)`;
  const selected = h('div', { class: 'selected-cell', 'data-testid': 'lens-selection' }, h('span', { class: 'muted' }, 'Click a token or a cell.'));
  const chart = h('div', { class: 'chart', 'data-testid': 'lens-mass-chart', role: 'img', 'aria-label': 'language mass by layer' });
  root.append(
    h('div', { class: 'toolbar' }, h('strong', {}, r.model.name), h('span', { class: 'muted' }, `${T} tokens × ${layers} layers (0 = embeddings), top-${r.k}${r.profile ? ` · languages: ${r.profile}` : ''}`),
      lensSelect, legendEl, h('span', { class: 'spacer' }), ...exportButtons),
    grid,
    h('h3', {}, 'Selection'), selected,
    h('h3', {}, r.languages.length ? 'Language mass by layer' : 'Targets by layer'), chart,
  );

  // Cells, built once; their text and colours change with the lens.
  const cells: HTMLElement[] = [];
  const rows: HTMLElement[] = [];
  grid.append(h('div', { class: 'lg-head lg-corner', role: 'columnheader' }, 'token \\ layer'));
  for (let l = 0; l < layers; l++) grid.append(h('div', { class: 'lg-head', role: 'columnheader' }, String(l)));
  for (let t = 0; t < T; t++) {
    const row = h('div', { class: 'lg-row', role: 'rowheader', 'data-testid': 'lens-token', 'data-pos': t, title: `token ${t}, id ${r.tokens[t]!.id}` }, h('span', { class: 'pos muted' }, `${t} `), showToken(r.tokens[t]!.text));
    row.addEventListener('click', () => choose({ pos: t, layer: sel?.layer ?? null }, true));
    rows.push(row);
    grid.append(row);
    for (let l = 0; l < layers; l++) {
      const c = h('div', { class: 'lg-cell', role: 'gridcell', 'data-testid': 'lens-cell', 'data-pos': t, 'data-layer': l, tabindex: t === 0 && l === 0 ? 0 : -1 });
      cells.push(c);
      grid.append(c);
    }
  }
  const cellEl = (pos: number, layer: number): HTMLElement => cells[pos * layers + layer]!;

  function paint(): void {
    const theme = ctx.theme();
    const bg = colorOr(theme.background, DEFAULT_THEME.background);
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < layers; l++) {
        const c = lensGridCell(r, view, t, l);
        const el = cellEl(t, l);
        el.textContent = showToken(c.text);
        const col = parseColor(languageColor(theme, order, c.lang)) ?? bg;
        // Stronger colour for a more confident top token: 15 % of the language colour at p = 0, 75 % at p = 1.
        el.style.background = toHex(mix(bg, col, 0.15 + 0.6 * c.p));
        el.style.color = theme.foreground;
        Object.assign(el.dataset, { id: String(c.id), token: c.text, p: String(c.p), lang: languageLabel(r, c.lang) });
        el.setAttribute('aria-label', lensCellLabel(r, view, t, l));
      }
    }
    clear(legendEl);
    const shown = [...order, ...(r.languages.length ? [-1] : [])];
    for (const lang of shown) {
      const chip = h('span', { class: 'chip' });
      chip.style.background = languageColor(theme, order, lang);
      legendEl.append(h('span', { role: 'listitem', 'data-testid': 'lens-legend-item', 'data-lang': languageLabel(r, lang) }, chip, languageLabel(r, lang)));
    }
    if (!r.languages.length) legendEl.append(h('span', { class: 'muted' }, 'no language profile (polyglotLens.lensLanguages)'));
    if (sel) renderSelection(sel);
  }

  let sel: Sel | null = null;
  let focus = { pos: 0, layer: 0 };

  function choose(s: Sel, notify: boolean): void {
    sel = s;
    rows.forEach((row, t) => row.classList.toggle('selected', t === s.pos));
    cells.forEach((c, i) => {
      c.classList.toggle('current', s.layer !== null && i === s.pos * layers + s.layer);
      c.classList.toggle('in-row', Math.floor(i / layers) === s.pos);
    });
    renderSelection(s);
    ctx.announce(s.layer !== null ? lensCellLabel(r, view, s.pos, s.layer) : `token ${s.pos} ${JSON.stringify(r.tokens[s.pos]!.text)}`);
    if (notify) ctx.bridge.post({ type: 'latentLanguage/selectToken', pos: s.pos, layer: s.layer });
    ctx.saveUi({ lens: kind, pos: s.pos, layer: s.layer });
  }

  function renderSelection(s: Sel): void {
    const theme = ctx.theme();
    clear(selected);
    const tok = r.tokens[s.pos]!;
    Object.assign(selected.dataset, { pos: String(s.pos), layer: s.layer === null ? '' : String(s.layer) });
    selected.append(h('div', {}, h('span', { class: 'muted' }, `token ${s.pos}: `), h('span', { class: 'mono' }, showToken(tok.text)), h('span', { class: 'muted' }, `  id ${tok.id}`)));
    if (s.layer !== null) {
      const c = lensGridCell(r, view, s.pos, s.layer);
      selected.append(h('div', { 'data-testid': 'lens-selected-top' }, `layer ${s.layer}: `, h('span', { class: 'mono' }, showToken(c.text)), ` ${prob(c.p)} · ${languageLabel(r, c.lang)} · entropy ${fmt(view.entropy[s.layer * T + s.pos]!)} nats`));
    }
    const series = [...massSeries(r, view, s.pos, theme, order), ...targetSeries(r, view, s.pos, theme)];
    if (!series.length) {
      clear(chart);
      chart.append(h('span', { class: 'empty' }, 'no language profile and no targets'));
      return;
    }
    setSvg(chart, lineChartSvg(theme, { width: Math.max(420, Math.min(900, 60 * layers + 200)), height: 220, n: layers, xLabel: 'layer', yLabel: 'probability', series, testid: 'lens-chart' }));
    chart.setAttribute('aria-label', `position ${s.pos}: ${series.map((x) => `${x.name} ${x.values.map((v) => prob(v)).join(' ')}`).join('; ')}`);
  }

  function moveFocus(pos: number, layer: number): void {
    cellEl(focus.pos, focus.layer).setAttribute('tabindex', '-1');
    focus = { pos, layer };
    const el = cellEl(pos, layer);
    el.setAttribute('tabindex', '0');
    el.focus();
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  grid.addEventListener('mouseover', (e) => {
    const el = (e.target as HTMLElement).closest('.lg-cell') as HTMLElement | null;
    if (!el) return;
    ctx.hover.show(lensCellCard(r, view, Number(el.dataset.pos), Number(el.dataset.layer), order), (e as MouseEvent).clientX, (e as MouseEvent).clientY);
  });
  grid.addEventListener('mouseleave', () => ctx.hover.hide());
  grid.addEventListener('click', (e) => {
    const el = (e.target as HTMLElement).closest('.lg-cell') as HTMLElement | null;
    if (!el) return;
    const pos = Number(el.dataset.pos), layer = Number(el.dataset.layer);
    moveFocus(pos, layer);
    choose({ pos, layer }, true);
  });
  grid.addEventListener('keydown', (e) => {
    const k = e.key;
    if (k === 'Enter' || k === ' ') {
      e.preventDefault();
      choose({ pos: focus.pos, layer: focus.layer }, true);
      return;
    }
    let { pos, layer } = focus;
    if (k === 'ArrowLeft') layer = Math.max(0, layer - 1);
    else if (k === 'ArrowRight') layer = Math.min(layers - 1, layer + 1);
    else if (k === 'Home') layer = 0;
    else if (k === 'End') layer = layers - 1;
    else {
      const next = listStep(k, pos, T);
      if (next === null) return;
      pos = next;
    }
    e.preventDefault();
    moveFocus(pos, layer);
    ctx.announce(lensCellLabel(r, view, pos, layer));
  });
  lensSelect.addEventListener('change', () => {
    const v = valueOf(lensSelect) as LensKind;
    if (!kinds.includes(v) || v === kind) return;
    kind = v;
    view = r.lenses.find((x) => x.kind === kind)!;
    order = gridLanguages(r, view);
    paint();
    ctx.announce(`showing the ${kind} lens`);
    ctx.saveUi({ lens: kind, pos: sel?.pos ?? null, layer: sel?.layer ?? null });
  });

  async function doExport(format: 'csv' | 'svg' | 'png'): Promise<void> {
    const base = `latent-language-${r.model.name}-${kind}`;
    if (format === 'csv') return exportFile(ctx.bridge, 'csv', `${base}.csv`, lensCsv(r, view));
    const svg = chart.querySelector('svg')?.outerHTML;
    if (!svg) return;
    if (format === 'svg') return exportFile(ctx.bridge, 'svg', `${base}-position-${sel?.pos ?? 0}.svg`, svg);
    const { width, height } = svgSize(svg);
    exportFile(ctx.bridge, 'png', `${base}-position-${sel?.pos ?? 0}.png`, await svgToPngBase64(svg, width, height));
  }

  paint();
  // Restore the selection, else select the last position (where the next token is predicted).
  const pos = typeof saved.pos === 'number' && saved.pos < T ? saved.pos : T - 1;
  const layer = typeof saved.layer === 'number' && saved.layer < layers ? saved.layer : null;
  choose({ pos, layer }, false);
  reportPaint(ctx.bridge, 'latentLanguage', ctx.t0, root);

  return {
    redraw: paint,
    destroy: () => { ctx.hover.hide(); clear(root); },
    reveal: (p) => {
      if (p === null || p >= T) return;
      choose({ pos: p, layer: sel?.layer ?? null }, false);
      rows[p]!.scrollIntoView({ block: 'nearest' });
    },
  };
}
