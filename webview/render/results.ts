/**
 * Results (eval / sweep) as pure data for the view: the shared results table sorted by a column,
 * and one bar chart per task (the task's primary metric, one bar per model × language). Pure,
 * tested without a DOM (test/webview/results.test.ts).
 */
import { PRIMARY_METRIC, toResultsCsv, type ResultRow } from '../../src/shared/results/rows';
import { AVERAGE, buildResultsTable, CODE, columnLabel, formatValue, languageLabel, markText, metricName, taskSpans, type Mark, type ResultsTable, type TableOptions } from '../../src/shared/results/table';
import { resultsLatex, resultsMarkdown } from '../../src/shared/results/format';
import type { TaskDeltas } from '../../src/shared/results/deltas';
import { barListSvg } from './charts';
import { seriesColor, type Theme } from './color';

/** Row order of the table sorted by column `col` (-1 = model name); missing values last; stable. */
export function sortedModelOrder(t: ResultsTable, col: number, descending: boolean): number[] {
  const idx = t.models.map((_, i) => i);
  const key = (i: number): string | number | null => (col < 0 ? t.labels[i]! : (t.cells[i]![col]?.value ?? null));
  return idx.sort((a, b) => {
    const ka = key(a), kb = key(b);
    if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
    return (descending ? -c : c) || a - b;
  });
}

/** What the view draws for one sort state: header cells (with their aria-sort) and rows in order. */
export interface ResultsTableModel {
  /** The task header row over the language headers: one span per task. */
  tasks: { label: string; span: number }[];
  /** Language headers ("Avg." for a task's average), and the one-line label for screen readers. */
  header: { col: number; label: string; title: string; sort: 'ascending' | 'descending' | 'none' }[];
  /** `label`: the row's name (label markup); `group`: shown on the first row of a group when sorted by group (evaluation order). */
  rows: { model: string; label: string; group: string; groupStart: boolean; cells: { text: string; best: boolean; significant: boolean; mark: Mark; p: number | null }[] }[];
  caption: string;
}

/** The table sorted by `col` (-1 = row label; null = evaluation order, groups together, each group's first model first): values with † / ‡, best flagged for bold. */
export function resultsTableModel(t: ResultsTable, col: number | null, descending: boolean): ResultsTableModel {
  const sortOf = (c: number): 'ascending' | 'descending' | 'none' => (c === col ? (descending ? 'descending' : 'ascending') : 'none');
  const order = col === null ? t.models.map((_, i) => i) : sortedModelOrder(t, col, descending);
  return {
    tasks: taskSpans(t).map((x) => ({ label: `${x.task} (${metricName(x.metric)})`, span: x.count })),
    header: [-1, ...t.columns.keys()].map((c) => ({ col: c, label: c < 0 ? 'model' : languageLabel(t.columns[c]!), title: c < 0 ? 'model' : columnLabel(t.columns[c]!), sort: sortOf(c) })),
    rows: order.map((i, k) => ({
      model: t.models[i]!,
      label: t.labels[i]!,
      group: t.groups[i]!,
      groupStart: col === null ? k === 0 || t.groups[order[k - 1]!] !== t.groups[i] : true,
      cells: t.columns.map((c, j) => {
        const cell = t.cells[i]![j];
        return { text: cell ? `${formatValue(c.metric, cell.value)}${markText(cell.mark)}` : '', best: cell?.best ?? false, significant: cell?.significant ?? false, mark: cell?.mark ?? null, p: cell?.p ?? null };
      }),
    })),
    caption: t.caption,
  };
}

/** The next sort state after activating column `col`: a new column sorts ascending, the same one flips. */
export function nextSort(current: { col: number | null; descending: boolean }, col: number): { col: number; descending: boolean } {
  return { col, descending: current.col === col ? !current.descending : false };
}

/** The panel's CSV, LaTeX and Markdown exports: the same text as the CLI's results.csv, results.tex and results.md. */
export function resultsExports(rows: readonly ResultRow[], metrics: Readonly<Record<string, string>> = PRIMARY_METRIC, o: TableOptions = {}): { csv: string; tex: string; md: string } {
  const t = buildResultsTable(rows, metrics, o);
  return { csv: toResultsCsv(rows), tex: resultsLatex(t), md: resultsMarkdown(t) };
}

export interface TaskChart {
  task: string;
  metric: string;
  /** `code`: the task's code column, charted apart (see taskCharts). */
  part?: 'code';
  svg: string;
}

/**
 * One horizontal bar chart per task: bars "language · model label" of the table metric (the
 * primary one unless `metrics` names another), language by language (Avg. last), one colour per
 * model, the table's † / ‡ after the value. Labels are never cut: the chart grows wider instead.
 * A task's code column (code perplexity, often ten times the languages' values) gets a chart of its
 * own: on one shared scale its bars squashed every language's bar to a sliver.
 */
export function taskCharts(theme: Theme, rows: readonly ResultRow[], width: number, metrics: Readonly<Record<string, string>> = PRIMARY_METRIC, o: TableOptions = {}): TaskChart[] {
  const t = buildResultsTable(rows, metrics, o);
  return taskSpans(t).flatMap(({ task, metric, start, count }) => {
    const columns = Array.from({ length: count }, (_, i) => start + i);
    const languages = columns.filter((c) => t.columns[c]!.language !== CODE);
    const code = columns.filter((c) => t.columns[c]!.language === CODE);
    const charts: TaskChart[] = [];
    if (languages.length > 0) charts.push({ task, metric, svg: taskChart(theme, t, languages, metric, width, `${task}: ${metricName(metric)}`, `results-chart-${task}`) });
    if (code.length > 0) charts.push({ task, metric, part: 'code', svg: taskChart(theme, t, code, metric, width, `${task}: ${metricName(metric)} on code`, `results-chart-${task}-code`) });
    return charts;
  });
}

function taskChart(theme: Theme, t: ResultsTable, columns: readonly number[], metric: string, width: number, title: string, testid: string): string {
  const items: Parameters<typeof barListSvg>[1]['items'] = [];
  for (const c of columns) {
    const col = t.columns[c]!;
    t.models.forEach((model, i) => {
      const cell = t.cells[i]![c];
      if (!cell || cell.value === null || !Number.isFinite(cell.value)) return;
      items.push({
        label: `${col.average ? 'Avg.' : col.language} · ${t.labels[i]!}`,
        value: cell.value,
        text: formatValue(metric, cell.value),
        mark: markText(cell.mark) || undefined,
        color: seriesColor(theme, i),
        attrs: { 'data-model': model, 'data-language': col.average ? AVERAGE : col.language, 'data-value': cell.value, 'data-series': i, 'data-mark': cell.mark ?? undefined },
      });
    });
  }
  const marked = items.some((x) => x.mark);
  const note = marked ? `† better than ${t.labels[0] ?? 'the first model'}, ‡ worse (${t.significance} paired bootstrap, p < 0.05)` : undefined;
  return barListSvg(theme, { items, width, color: theme.accent, title, testid, markup: true, note });
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
