/**
 * An evaluation's output folder: results.json (every number, per item too), results.csv (the
 * long-format contract, shared/results/rows.ts), results.md and results.tex (the one table,
 * shared/results/table.ts) and report.html (the same renderer as the panels).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import { toResultsCsv, type ResultRow } from '../../shared/results/rows';
import { buildResultsTable } from '../../shared/results/table';
import { resultsLatex, resultsMarkdown } from '../../shared/results/format';
import type { ModelResults, PValue } from './evaluate';

export interface EvalOutput {
  version: 1;
  tool: string;
  createdAt: string;
  models: { name: string; info?: Record<string, unknown> }[];
  tasks: { kind: string; settings: Record<string, unknown> }[];
  bootstrap: { resamples: number; seed: number; against: string | null };
  results: (ModelResults['results'][number] & { model: string })[];
  pValues: PValue[];
  rows: ResultRow[];
}

export function evalOutput(tool: string, all: readonly ModelResults[], tasks: EvalOutput['tasks'], bootstrap: { resamples: number; seed: number }, ps: PValue[], rows: ResultRow[]): EvalOutput {
  return {
    version: 1,
    tool,
    createdAt: new Date().toISOString(),
    models: all.map((m) => ({ name: m.model, ...(m.info ? { info: m.info } : {}) })),
    tasks,
    bootstrap: { ...bootstrap, against: all[0]?.model ?? null },
    results: all.flatMap((m) => m.results.map((r) => ({ model: m.model, ...r }))),
    pValues: ps,
    rows,
  };
}

export function resultsSections(rows: ResultRow[], title = 'Results'): ReportSection[] {
  return [{ kind: 'results', title, data: { rows } }];
}

/** The five files by name. */
export function resultsFiles(out: EvalOutput, reportScript: string, title: string): Record<string, string> {
  const table = buildResultsTable(out.rows);
  return {
    'results.json': `${JSON.stringify(out)}\n`,
    'results.csv': toResultsCsv(out.rows),
    'results.md': resultsMarkdown(table),
    'results.tex': resultsLatex(table),
    'report.html': renderReportHtml(resultsSections(out.rows), { script: reportScript, title, generatedBy: `${out.tool}, ${out.createdAt}` }),
  };
}

/** Writes the five files into `dir` (a temp folder the caller renames into place). */
export function writeResultsFiles(dir: string, out: EvalOutput, reportScript: string, title: string): void {
  for (const [name, text] of Object.entries(resultsFiles(out, reportScript, title))) writeFileSync(join(dir, name), text);
}
