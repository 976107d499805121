/**
 * Results (eval / sweep) as pure data for the view: the shared results table sorted by a column,
 * and one bar chart per task (the task's primary metric, one bar per model × language). Pure,
 * tested without a DOM (test/webview/results.test.ts).
 */
import { PRIMARY_METRIC, type ResultRow } from '../../src/shared/results/rows';
import { formatValue, type ResultsTable } from '../../src/shared/results/table';
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

export interface TaskChart {
  task: string;
  metric: string;
  svg: string;
}

/** One horizontal bar chart per task: bars "language · model" of the primary metric. */
export function taskCharts(theme: Theme, rows: readonly ResultRow[], width: number): TaskChart[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  return tasks.map((task) => {
    const metric = PRIMARY_METRIC[task] ?? rows.find((r) => r.task === task)!.metric;
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
