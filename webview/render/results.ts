/**
 * Results (eval / sweep) as pure data for the view: the shared results table sorted by a column,
 * and one bar chart per task (the task's primary metric, one bar per model × language). Pure,
 * tested without a DOM (test/webview/results.test.ts).
 */
import { PRIMARY_METRIC, toResultsCsv, type ResultRow } from '../../src/shared/results/rows';
import { buildResultsTable, columnLabel, formatValue, type ResultsTable } from '../../src/shared/results/table';
import { resultsLatex } from '../../src/shared/results/format';
import type { TaskDeltas } from '../../src/shared/results/deltas';
import { barListSvg } from './charts';
import type { Theme } from './color';

/** Row order of the table sorted by column `col` (-1 = model name); missing values last; stable. */
export function sortedModelOrder(t: ResultsTable, col: number, descending: boolean): number[] {
  const idx = t.models.map((_, i) => i);
  const key = (i: number): string | number | null => (col < 0 ? t.models[i]! : (t.cells[i]![col]?.value ?? null));
  return idx.sort((a, b) => {
    const ka = key(a), kb = key(b);
    if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
    return (descending ? -c : c) || a - b;
  });
}

/** What the view draws for one sort state: header cells (with their aria-sort) and rows in order. */
export interface ResultsTableModel {
  header: { col: number; label: string; sort: 'ascending' | 'descending' | 'none' }[];
  rows: { model: string; cells: { text: string; best: boolean; significant: boolean; p: number | null }[] }[];
}

/** The table sorted by `col` (-1 = model name; null = evaluation order, the first model first): values with † where p < 0.05, best flagged for bold. */
export function resultsTableModel(t: ResultsTable, col: number | null, descending: boolean): ResultsTableModel {
  const sortOf = (c: number): 'ascending' | 'descending' | 'none' => (c === col ? (descending ? 'descending' : 'ascending') : 'none');
  return {
    header: [-1, ...t.columns.keys()].map((c) => ({ col: c, label: c < 0 ? 'model' : columnLabel(t.columns[c]!), sort: sortOf(c) })),
    rows: (col === null ? t.models.map((_, i) => i) : sortedModelOrder(t, col, descending)).map((i) => ({
      model: t.models[i]!,
      cells: t.columns.map((c, j) => {
        const cell = t.cells[i]![j];
        return { text: cell ? `${formatValue(c.metric, cell.value)}${cell.significant ? '†' : ''}` : '', best: cell?.best ?? false, significant: cell?.significant ?? false, p: cell?.p ?? null };
      }),
    })),
  };
}

/** The next sort state after activating column `col`: a new column sorts ascending, the same one flips. */
export function nextSort(current: { col: number | null; descending: boolean }, col: number): { col: number; descending: boolean } {
  return { col, descending: current.col === col ? !current.descending : false };
}

/** The panel's CSV and LaTeX exports: the same text as the CLI's results.csv and results.tex. */
export function resultsExports(rows: readonly ResultRow[], metrics: Readonly<Record<string, string>> = PRIMARY_METRIC): { csv: string; tex: string } {
  return { csv: toResultsCsv(rows), tex: resultsLatex(buildResultsTable(rows, metrics)) };
}

export interface TaskChart {
  task: string;
  metric: string;
  svg: string;
}

/** One horizontal bar chart per task: bars "language · model" of the table metric (the primary one unless `metrics` names another). */
export function taskCharts(theme: Theme, rows: readonly ResultRow[], width: number, metrics: Readonly<Record<string, string>> = PRIMARY_METRIC): TaskChart[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  return tasks.map((task) => {
    const metric = metrics[task] ?? rows.find((r) => r.task === task)!.metric;
    const mine = rows.filter((r) => r.task === task && r.metric === metric && r.value !== null && Number.isFinite(r.value));
    const items = mine.map((r, i) => ({
      label: `${r.language} · ${r.model}`,
      value: r.value!,
      text: formatValue(metric, r.value),
      attrs: { 'data-model': r.model, 'data-language': r.language, 'data-value': r.value!, 'data-series': i },
    }));
    return { task, metric, svg: barListSvg(theme, { items, width, color: theme.accent, title: `${task}: ${metric}`, testid: `results-chart-${task}` }) };
  });
}

/** One row of the Compare panel's per-task deltas: texts as shown, and flags for styling and tests. */
export interface DeltaRow {
  task: string;
  language: string;
  metric: string;
  dense: string;
  variant: string;
  /** Signed, e.g. "+1.25" or "−0.40", with † where p < 0.05. */
  delta: string;
  better: boolean | null;
  significant: boolean;
}

export function deltaRows(d: TaskDeltas): DeltaRow[] {
  return d.deltas.map((x) => {
    const sign = x.delta === null ? '' : x.delta > 0 ? '+' : x.delta < 0 ? '−' : '±';
    const delta = x.delta === null ? '–' : `${sign}${formatValue(x.metric, Math.abs(x.delta))}${x.significant ? '†' : ''}`;
    return { task: x.task, language: x.language, metric: x.metric, dense: formatValue(x.metric, x.dense), variant: formatValue(x.metric, x.variant), delta, better: x.better, significant: x.significant };
  });
}
