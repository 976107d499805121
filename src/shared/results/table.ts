/**
 * The one results table (Kim et al.'s layout): a row per model, a column per task × language
 * showing the task's primary metric; the best value of each column in bold, † where the
 * paired bootstrap against the first model gives p < 0.05. Built from the long rows alone, so
 * results.md, results.tex, the HTML report and the Results panel draw the same table.
 */
import { METRICS, PRIMARY_METRIC, type ResultRow } from './rows';

export const SIGNIFICANCE_LEVEL = 0.05;

export interface ResultsColumn {
  task: string;
  language: string;
  metric: string;
}

export interface ResultsCell {
  value: number | null;
  best: boolean;
  /** p < 0.05 against the first model (never set on the first model itself). */
  significant: boolean;
  p: number | null;
}

export interface ResultsTable {
  columns: ResultsColumn[];
  models: string[];
  /** cells[model][column]; null where the model has no value for the column. */
  cells: (ResultsCell | null)[][];
}

/** `metrics`: the metric each task's columns show and its p_value rows test (tableMetrics in rows.ts). */
export function buildResultsTable(rows: readonly ResultRow[], metrics: Readonly<Record<string, string>> = PRIMARY_METRIC): ResultsTable {
  const models: string[] = [];
  const columns: ResultsColumn[] = [];
  const colKey = (c: { task: string; language: string }): string => `${c.task}\u0000${c.language}`;
  const colIndex = new Map<string, number>();
  for (const r of rows) {
    if (!models.includes(r.model)) models.push(r.model);
    if (r.metric !== metrics[r.task]) continue;
    if (!colIndex.has(colKey(r))) {
      colIndex.set(colKey(r), columns.length);
      columns.push({ task: r.task, language: r.language, metric: r.metric });
    }
  }
  const cells: (ResultsCell | null)[][] = models.map(() => columns.map(() => null));
  for (const r of rows) {
    const c = colIndex.get(colKey(r));
    if (c === undefined) continue;
    const m = models.indexOf(r.model);
    if (r.metric === 'p_value') {
      const cell = (cells[m]![c] ??= { value: null, best: false, significant: false, p: null });
      cell.p = r.value;
      cell.significant = m > 0 && r.value !== null && r.value < SIGNIFICANCE_LEVEL;
    } else if (r.metric === columns[c]!.metric) {
      const cell = (cells[m]![c] ??= { value: null, best: false, significant: false, p: null });
      cell.value = r.value;
    }
  }
  columns.forEach((col, c) => {
    const higher = METRICS[col.metric]?.higherIsBetter ?? true;
    const values = cells.map((row) => row[c]?.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length === 0) return;
    const best = higher ? Math.max(...values) : Math.min(...values);
    for (const row of cells) if (row[c] && row[c]!.value === best) row[c]!.best = true;
  });
  return { columns, models, cells };
}

export function formatValue(metric: string, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  return v.toFixed(METRICS[metric]?.decimals ?? 3);
}

export function columnLabel(c: ResultsColumn): string {
  return `${c.task} ${c.language} (${c.metric === 'perplexity' ? 'ppl' : c.metric})`;
}
