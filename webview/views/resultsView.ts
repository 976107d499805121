/** Evaluation results: the results table (click a header to sort; bold best, † p < 0.05) and a bar chart per task; CSV and LaTeX export. */
import { toResultsCsv, type ResultRow } from '../../src/shared/results/rows';
import { buildResultsTable, columnLabel, formatValue } from '../../src/shared/results/table';
import { resultsLatex } from '../../src/shared/results/format';
import { sortedModelOrder, taskCharts } from '../render/results';
import type { MountedView, ViewContext } from './context';
import { h, setSvg } from './dom';
import { exportFile } from './exporter';
import { reportPaint } from './paint';

export function mountResults(root: HTMLElement, rows: ResultRow[], ctx: ViewContext): MountedView {
  const table = buildResultsTable(rows);
  let sortCol = -1;
  let descending = false;
  const tableBox = h('div', { 'data-testid': 'results-table' });
  const charts = h('div', { 'data-testid': 'results-charts' });
  const exportBar = h('div', { class: 'toolbar' },
    h('vscode-button', { 'data-testid': 'results-export-csv', secondary: true }, 'Export CSV'),
    h('vscode-button', { 'data-testid': 'results-export-tex', secondary: true }, 'Export LaTeX'));
  exportBar.children[0]!.addEventListener('click', () => exportFile(ctx.bridge, 'csv', 'results.csv', toResultsCsv(rows)));
  exportBar.children[1]!.addEventListener('click', () => exportFile(ctx.bridge, 'tex', 'results.tex', resultsLatex(table)));
  root.append(exportBar, tableBox, h('p', { class: 'muted' }, `Best of each column in bold; † p < 0.05 (paired bootstrap against ${table.models[0] ?? 'the first model'}).`), charts);

  function drawTable(): void {
    const head = h('tr', {}, ...[-1, ...table.columns.keys()].map((c) => {
      const label = c < 0 ? 'model' : columnLabel(table.columns[c]!);
      const th = h('th', { 'data-col': c, class: 'sortable', title: 'sort' }, label + (sortCol === c ? (descending ? ' ▼' : ' ▲') : ''));
      th.addEventListener('click', () => {
        descending = sortCol === c ? !descending : false;
        sortCol = c;
        drawTable();
      });
      return th;
    }));
    const t = h('table', { class: 'data' }, head);
    for (const i of sortedModelOrder(table, sortCol, descending)) {
      t.append(h('tr', { 'data-model': table.models[i] }, h('td', {}, table.models[i]!), ...table.columns.map((col, j) => {
        const cell = table.cells[i]![j];
        const text = cell ? `${formatValue(col.metric, cell.value)}${cell.significant ? '†' : ''}` : '';
        return h('td', { class: 'num', 'data-best': cell?.best ?? false, 'data-p': cell?.p ?? undefined, style: cell?.best ? 'font-weight:bold' : undefined }, text);
      })));
    }
    tableBox.replaceChildren(t);
  }
  function draw(): void {
    drawTable();
    charts.replaceChildren();
    for (const c of taskCharts(ctx.theme(), rows, Math.max(360, Math.min(760, root.clientWidth || 640)))) {
      const box = h('div', { 'data-task': c.task });
      setSvg(box, c.svg);
      charts.append(box);
    }
  }
  draw();
  reportPaint(ctx.bridge, 'results', ctx.t0, root);
  return { redraw: draw, destroy: () => root.replaceChildren() };
}
