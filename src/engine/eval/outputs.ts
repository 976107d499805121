/**
 * An evaluation's output folder: results.json (every number, per item too), results.csv (the
 * long-format contract, shared/results/rows.ts), results.md and results.tex (the one table,
 * shared/results/table.ts) and report.html (the same renderer as the panels).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import { PRIMARY_METRIC, toResultsCsv, type ResultRow } from '../../shared/results/rows';
import { buildResultsTable, SIGNIFICANCE_LEVEL, type SignificanceTest, type TableOptions } from '../../shared/results/table';
import { resultsLatex, resultsMarkdown } from '../../shared/results/format';
import { packageRoot } from '../paths';
import type { AverageResult, MetricInterval, ModelResults, PValue, Significance } from './evaluate';

export interface EvalOutput {
  version: 1;
  tool: string;
  createdAt: string;
  /** `label`: the table's row name (label markup: θ_{Fr-En}); `group`: its model group (the base checkpoint); `against`: the model its tests are against. */
  models: { name: string; label?: string; group?: string; against?: string | null; info?: Record<string, unknown> }[];
  tasks: { kind: string; settings: Record<string, unknown> }[];
  bootstrap: { resamples: number; seed: number; against: string | null; ciLevel?: number };
  /** The test behind the tables' † / ‡ (both are in `pValues` and results.csv). */
  significance?: { test: SignificanceTest; level: number };
  results: (ModelResults['results'][number] & { model: string })[];
  pValues: PValue[];
  /** 95 % bootstrap intervals of every metric of every model (language `avg`: the task's average). */
  intervals?: MetricInterval[];
  /** Each task's table metric averaged over its languages (the Avg. column). */
  averages?: AverageResult[];
  rows: ResultRow[];
  /** Metric by task that the table shows and the p_value rows test. */
  tableMetrics: Record<string, string>;
}

/** How the tables name, group and mark the models. */
export interface TablePresentation {
  labels?: Record<string, string>;
  groups?: Record<string, string>;
  significance?: SignificanceTest;
  baselines?: Record<string, string>;
}

/** The report page's script (the webview bundle the panels use), read from the built package. */
export function reportScript(): string {
  return readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
}

export function evalOutput(tool: string, all: readonly ModelResults[], tasks: EvalOutput['tasks'], bootstrap: { resamples: number; seed: number }, sig: PValue[] | Significance, rows: ResultRow[], tableMetrics: Record<string, string> = { ...PRIMARY_METRIC }, p: TablePresentation = {}): EvalOutput {
  const s: Significance = Array.isArray(sig) ? { pValues: sig, intervals: [], averages: [] } : sig;
  return {
    version: 1,
    tool,
    createdAt: new Date().toISOString(),
    models: all.map((m) => ({
      name: m.model,
      ...(p.labels?.[m.model] !== undefined ? { label: p.labels[m.model] } : {}),
      ...(p.groups?.[m.model] !== undefined ? { group: p.groups[m.model] } : {}),
      against: (p.baselines?.[m.model] ?? all[0]?.model) === m.model ? null : (p.baselines?.[m.model] ?? all[0]?.model ?? null),
      ...(m.info ? { info: m.info } : {}),
    })),
    tasks,
    bootstrap: { ...bootstrap, against: all[0]?.model ?? null, ciLevel: 0.95 },
    significance: { test: p.significance ?? 'one-sided', level: SIGNIFICANCE_LEVEL },
    results: all.flatMap((m) => m.results.map((r) => ({ model: m.model, ...r, ci: Object.fromEntries(s.intervals.filter((x) => x.model === m.model && x.task === r.task && x.language === r.language).map((x) => [x.metric, x.ci])) }))),
    pValues: s.pValues,
    intervals: s.intervals,
    averages: s.averages,
    rows,
    tableMetrics,
  };
}

/** The table options an output records: labels, groups, the test behind the marks. */
export function tableOptions(out: Pick<EvalOutput, 'models' | 'significance'>): TableOptions {
  const labels = Object.fromEntries(out.models.filter((m) => m.label !== undefined).map((m) => [m.name, m.label!]));
  const groups = Object.fromEntries(out.models.filter((m) => m.group !== undefined).map((m) => [m.name, m.group!]));
  return { labels, ...(Object.keys(groups).length ? { groups } : {}), significance: out.significance?.test };
}

/** The report's results section: the rows and how to draw them (the panel reads the same). */
export interface ResultsSectionData {
  rows: ResultRow[];
  metrics?: Record<string, string>;
  labels?: Record<string, string>;
  groups?: Record<string, string>;
  significance?: SignificanceTest;
}

export function resultsSections(rows: ResultRow[], title = 'Results', metrics?: Record<string, string>, o: TableOptions = {}): ReportSection[] {
  return [{ kind: 'results', title, data: { rows, ...(metrics ? { metrics } : {}), ...(o.labels ? { labels: { ...o.labels } } : {}), ...(o.groups ? { groups: { ...o.groups } } : {}), ...(o.significance ? { significance: o.significance } : {}) } }];
}

/** The five files by name. */
export function resultsFiles(out: EvalOutput, reportScript: string, title: string): Record<string, string> {
  const opts = tableOptions(out);
  const table = buildResultsTable(out.rows, out.tableMetrics, opts);
  return {
    'results.json': `${JSON.stringify(out)}\n`,
    'results.csv': toResultsCsv(out.rows),
    'results.md': resultsMarkdown(table),
    'results.tex': resultsLatex(table),
    'report.html': renderReportHtml(resultsSections(out.rows, 'Results', out.tableMetrics, opts), { script: reportScript, title, generatedBy: `${out.tool}, ${out.createdAt}` }),
  };
}

/** Writes the five files into `dir` (a temp folder the caller renames into place). */
export function writeResultsFiles(dir: string, out: EvalOutput, reportScript: string, title: string): void {
  for (const [name, text] of Object.entries(resultsFiles(out, reportScript, title))) writeFileSync(join(dir, name), text);
}
