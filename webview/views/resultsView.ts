/**
 * Evaluation results: the pruning paper's table (rows θ, θ_Rand, θ_{Fr-En}, … grouped by model;
 * a task header over its languages and Avg.; bold best, † significantly better than dense θ,
 * ‡ worse) — click a language header, or focus it and press Enter or Space, to sort — the test
 * behind the marks switchable between one- and two-sided, a bar chart per task with the same
 * marks, and CSV / LaTeX / Markdown export with the same text as the CLI's files. Pure parts:
 * render/results.ts.
 */
import type { ResultRow } from '../../src/shared/results/rows';
import { parseLabel } from '../../src/shared/results/labels';
import { buildResultsTable, SIGNIFICANCE_TESTS, type SignificanceTest, type TableOptions } from '../../src/shared/results/table';
import { nextSort, resultsExports, resultsTableModel, taskCharts } from '../render/results';
import type { MountedView, ViewContext } from './context';
import { h, select, setSvg, valueOf } from './dom';
import { exportFile } from './exporter';
import { reportPaint } from './paint';

/** A label (θ_{Fr-En}) as text with <sub>/<sup> elements: built as nodes, never as HTML. */
function labelNode(label: string): HTMLElement {
  return h('span', { class: 'label' }, ...parseLabel(label).map((s) => (s.kind === 'text' ? s.text : h(s.kind, {}, s.text))));
}

export function mountResults(root: HTMLElement, rows: ResultRow[], ctx: ViewContext, metrics?: Record<string, string>, options: TableOptions = {}): MountedView {
  let test: SignificanceTest = options.significance ?? 'one-sided';
  const opts = (): TableOptions => ({ ...options, significance: test });
  let table = buildResultsTable(rows, metrics, opts());
  // Evaluation order until a header is activated: each group's first model (what † is against) on top.
  let sort: { col: number | null; descending: boolean } = { col: null, descending: false };
  const tableBox = h('div', { 'data-testid': 'results-table', class: 'scroll-x' });
  const caption = h('p', { class: 'muted', 'data-testid': 'results-caption' });
  const charts = h('div', { 'data-testid': 'results-charts' });
  const testSel = select('results-significance', SIGNIFICANCE_TESTS.map((t) => ({ value: t, label: `${t} test` })), test, 'test behind † and ‡');
  const buttons = (['csv', 'tex', 'md'] as const).map((f) => h('vscode-button', { 'data-testid': `results-export-${f}`, secondary: true }, f === 'csv' ? 'Export CSV' : f === 'tex' ? 'Export LaTeX' : 'Export Markdown'));
  const exportBar = h('div', { class: 'toolbar' }, ...buttons, h('span', { class: 'spacer' }), testSel);
  buttons.forEach((b, i) => b.addEventListener('click', () => {
    const ex = resultsExports(rows, metrics, opts());
    const f = (['csv', 'tex', 'md'] as const)[i]!;
    exportFile(ctx.bridge, f, `results.${f}`, ex[f]);
  }));
  testSel.addEventListener('change', () => {
    test = valueOf(testSel) as SignificanceTest;
    table = buildResultsTable(rows, metrics, opts());
    draw();
  });
  root.append(exportBar, tableBox, caption, charts);

  function sortBy(col: number): void {
    sort = nextSort(sort, col);
    drawTable();
    (tableBox.querySelector(`th[data-col="${col}"]`) as HTMLElement | null)?.focus();
  }
  function drawTable(): void {
    const m = resultsTableModel(table, sort.col, sort.descending);
    const grouped = m.rows.some((r) => r.group !== '');
    const lead = grouped ? 2 : 1;
    const taskRow = h('tr', {}, h('th', { colspan: lead }), ...m.tasks.map((t) => h('th', { colspan: t.span, class: 'task', scope: 'colgroup' }, t.label)));
    const head = h('tr', {}, ...(grouped ? [h('th', {}, 'model')] : []), ...m.header.map((c) => {
      const th = h('th', { 'data-col': c.col, class: 'sortable', tabindex: 0, role: 'columnheader', 'aria-sort': c.sort, title: `sort by ${c.title}`, 'aria-label': c.title },
        (c.col < 0 ? (grouped ? '' : 'model') : c.label) + (c.sort === 'descending' ? ' ▼' : c.sort === 'ascending' ? ' ▲' : ''));
      th.addEventListener('click', () => sortBy(c.col));
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sortBy(c.col);
        }
      });
      return th;
    }));
    const t = h('table', { class: 'data' }, taskRow, head);
    for (const r of m.rows) {
      t.append(h('tr', { 'data-model': r.model, 'data-label': r.label, class: r.groupStart && grouped ? 'group-start' : '' },
        ...(grouped ? [h('td', { class: 'group' }, r.groupStart ? r.group : '')] : []),
        h('td', { title: r.model }, labelNode(r.label)),
        ...r.cells.map((c) =>
          // A class, not a style attribute: the panels' CSP has no 'unsafe-inline', so inline styles are dropped.
          h('td', { class: c.best ? 'num best' : 'num', 'data-best': c.best, 'data-significant': c.significant, 'data-mark': c.mark ?? undefined, 'data-p': c.p ?? undefined }, c.text))));
    }
    tableBox.replaceChildren(t);
    caption.textContent = `${m.caption} Click a language header (or focus it and press Enter) to sort.`;
  }
  function draw(): void {
    drawTable();
    charts.replaceChildren();
    for (const c of taskCharts(ctx.theme(), rows, Math.max(360, Math.min(760, root.clientWidth || 640)), metrics, opts())) {
      const box = h('div', { 'data-task': c.task, 'data-part': c.part, class: 'scroll-x' });
      setSvg(box, c.svg);
      charts.append(box);
    }
  }
  draw();
  reportPaint(ctx.bridge, 'results', ctx.t0, root);
  return { redraw: draw, destroy: () => root.replaceChildren() };
}
