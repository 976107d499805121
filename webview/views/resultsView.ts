/**
 * Evaluation results: the results table (click a header, or focus it and press Enter or Space,
 * to sort; bold best, † p < 0.05) and a bar chart per task; CSV and LaTeX export with the same
 * text as the CLI's results.csv and results.tex. Pure parts: render/results.ts.
 */
import type { ResultRow } from '../../src/shared/results/rows';
import { buildResultsTable } from '../../src/shared/results/table';
import { nextSort, resultsExports, resultsTableModel, taskCharts } from '../render/results';
import type { MountedView, ViewContext } from './context';
import { h, setSvg } from './dom';
import { exportFile } from './exporter';
import { reportPaint } from './paint';

export function mountResults(root: HTMLElement, rows: ResultRow[], ctx: ViewContext, metrics?: Record<string, string>): MountedView {
  const table = buildResultsTable(rows, metrics);
  const exports = resultsExports(rows, metrics);
  // Evaluation order until a header is activated: the first model (what † is against) on top.
  let sort: { col: number | null; descending: boolean } = { col: null, descending: false };
  const tableBox = h('div', { 'data-testid': 'results-table' });
  const charts = h('div', { 'data-testid': 'results-charts' });
  const exportBar = h('div', { class: 'toolbar' },
    h('vscode-button', { 'data-testid': 'results-export-csv', secondary: true }, 'Export CSV'),
    h('vscode-button', { 'data-testid': 'results-export-tex', secondary: true }, 'Export LaTeX'));
  exportBar.children[0]!.addEventListener('click', () => exportFile(ctx.bridge, 'csv', 'results.csv', exports.csv));
  exportBar.children[1]!.addEventListener('click', () => exportFile(ctx.bridge, 'tex', 'results.tex', exports.tex));
  root.append(exportBar, tableBox, h('p', { class: 'muted' }, `Best of each column in bold; † p < 0.05 (paired bootstrap against ${table.models[0] ?? 'the first model'}). Click a column header (or focus it and press Enter) to sort.`), charts);

  function sortBy(col: number): void {
    sort = nextSort(sort, col);
    drawTable();
    (tableBox.querySelector(`th[data-col="${col}"]`) as HTMLElement | null)?.focus();
  }
  function drawTable(): void {
    const m = resultsTableModel(table, sort.col, sort.descending);
    const head = h('tr', {}, ...m.header.map((c) => {
      const th = h('th', { 'data-col': c.col, class: 'sortable', tabindex: 0, role: 'columnheader', 'aria-sort': c.sort, title: 'sort' }, c.label + (c.sort === 'descending' ? ' ▼' : c.sort === 'ascending' ? ' ▲' : ''));
      th.addEventListener('click', () => sortBy(c.col));
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sortBy(c.col);
        }
      });
      return th;
    }));
    const t = h('table', { class: 'data' }, head);
    for (const r of m.rows) {
      t.append(h('tr', { 'data-model': r.model }, h('td', {}, r.model), ...r.cells.map((c) =>
        // A class, not a style attribute: the panels' CSP has no 'unsafe-inline', so inline styles are dropped.
        h('td', { class: c.best ? 'num best' : 'num', 'data-best': c.best, 'data-significant': c.significant, 'data-p': c.p ?? undefined }, c.text))));
    }
    tableBox.replaceChildren(t);
  }
  function draw(): void {
    drawTable();
    charts.replaceChildren();
    for (const c of taskCharts(ctx.theme(), rows, Math.max(360, Math.min(760, root.clientWidth || 640)), metrics)) {
      const box = h('div', { 'data-task': c.task });
      setSvg(box, c.svg);
      charts.append(box);
    }
  }
  draw();
  reportPaint(ctx.bridge, 'results', ctx.t0, root);
  return { redraw: draw, destroy: () => root.replaceChildren() };
}
