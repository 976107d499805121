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
import { buildResultsTable } from '../../shared/results/table';
import { resultsLatex, resultsMarkdown } from '../../shared/results/format';
import { packageRoot } from '../paths';
import { intervals, type Interval, type ModelResults, type PValue } from './evaluate';
import { CONFIDENCE_LEVEL } from './metrics/bootstrap';

export interface EvalOutput {
  version: 1;
  tool: string;
  createdAt: string;
  models: { name: string; info?: Record<string, unknown> }[];
  tasks: { kind: string; settings: Record<string, unknown> }[];
  bootstrap: { resamples: number; seed: number; against: string | null; confidence: number };
  results: (ModelResults['results'][number] & { model: string })[];
  pValues: PValue[];
  /** Every metric of every model with its bootstrap percentile interval at bootstrap.confidence. */
  intervals: Interval[];
  rows: ResultRow[];
  /** Metric by task that the table shows and the p_value rows test. */
  tableMetrics: Record<string, string>;
}

/** The report page's script (the webview bundle the panels use), read from the built package. */
export function reportScript(): string {
  return readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
}

export function evalOutput(tool: string, all: readonly ModelResults[], tasks: EvalOutput['tasks'], bootstrap: { resamples: number; seed: number }, ps: PValue[], rows: ResultRow[], tableMetrics: Record<string, string> = { ...PRIMARY_METRIC }): EvalOutput {
  return {
    version: 1,
    tool,
    createdAt: new Date().toISOString(),
    models: all.map((m) => ({ name: m.model, ...(m.info ? { info: m.info } : {}) })),
    tasks,
    bootstrap: { ...bootstrap, against: all[0]?.model ?? null, confidence: CONFIDENCE_LEVEL },
    results: all.flatMap((m) => m.results.map((r) => ({ model: m.model, ...r }))),
    pValues: ps,
    intervals: intervals(all, bootstrap),
    rows,
    tableMetrics,
  };
}

export function resultsSections(rows: ResultRow[], title = 'Results', metrics?: Record<string, string>): ReportSection[] {
  return [{ kind: 'results', title, data: { rows, ...(metrics ? { metrics } : {}) } }];
}

/** The five files by name. */
export function resultsFiles(out: EvalOutput, reportScript: string, title: string): Record<string, string> {
  const table = buildResultsTable(out.rows, out.tableMetrics);
  return {
    'results.json': `${JSON.stringify(out)}\n`,
    'results.csv': toResultsCsv(out.rows),
    'results.md': resultsMarkdown(table),
    'results.tex': resultsLatex(table),
    'report.html': renderReportHtml(resultsSections(out.rows, 'Results', out.tableMetrics), { script: reportScript, title, generatedBy: `${out.tool}, ${out.createdAt}` }),
  };
}

/** Writes the five files into `dir` (a temp folder the caller renames into place). */
export function writeResultsFiles(dir: string, out: EvalOutput, reportScript: string, title: string): void {
  for (const [name, text] of Object.entries(resultsFiles(out, reportScript, title))) writeFileSync(join(dir, name), text);
}
