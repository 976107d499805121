/**
 * One evaluation from parsed inputs to its output folder — the code `polyglot-lens eval` and the
 * editor's Evaluate command (eval/run) both run: every model on every prepared task (progress
 * over models, cancellable between items), paired bootstrap p-values against the first model,
 * the long rows, and results.{json,csv,md,tex} + report.html written atomically.
 */
import { join } from 'node:path';
import type { JobOptions } from '../api';
import { writeOutputFolder, type OutputTarget } from '../io/outputs';
import { evaluateSubject, pValues, resultRows, type ModelResults, type PValue } from './evaluate';
import { evalOutput, writeResultsFiles, type EvalOutput } from './outputs';
import type { ModelSpec, SubjectLoader } from './subjects';
import type { PreparedTask } from './tasks';
import type { ResultRow } from '../../shared/results/rows';

export const RESULT_FILES = ['results.json', 'results.csv', 'results.md', 'results.tex', 'report.html'] as const;

export interface EvaluationInputs {
  specs: ModelSpec[];
  tasks: PreparedTask[];
  bootstrap: { resamples: number; seed: number };
  /** Metric each task's table column shows and its p_value rows test (tableMetrics in shared/results/rows.ts). */
  tableMetrics: Record<string, string>;
  loader: SubjectLoader;
  /** The tool recorded in results.json, e.g. "polyglot-lens eval". */
  tool: string;
}

export interface Evaluation {
  all: ModelResults[];
  ps: PValue[];
  rows: ResultRow[];
  output: EvalOutput;
}

/** Models one after the other: building the variant is the first 20% of a model's share of progress. */
export async function runEvaluation(x: EvaluationInputs, o: JobOptions = {}): Promise<Evaluation> {
  const all: ModelResults[] = [];
  const n = x.specs.length;
  for (const [i, spec] of x.specs.entries()) {
    const subject = await x.loader.load(spec, { signal: o.signal, onProgress: (p) => o.onProgress?.({ fraction: (i + p.fraction * 0.2) / n, message: `${spec.spec}: ${p.message}` }) });
    all.push(await evaluateSubject(subject, x.tasks, { signal: o.signal, onProgress: (p) => o.onProgress?.({ fraction: (i + 0.2 + 0.8 * p.fraction) / n, message: `${spec.spec}: ${p.message}` }) }));
  }
  const ps = pValues(all, x.bootstrap);
  const rows = resultRows(all, ps, x.tableMetrics);
  const output = evalOutput(x.tool, all, x.tasks.map((t) => ({ kind: t.kind, settings: t.settings })), x.bootstrap, ps, rows, x.tableMetrics);
  return { all, ps, rows, output };
}

/** The five files, built in a temp folder and renamed into place (io/outputs.ts). */
export async function writeEvaluation(target: OutputTarget, e: Evaluation, reportScript: string, title: string): Promise<string[]> {
  await writeOutputFolder(target, (tmp) => writeResultsFiles(tmp, e.output, reportScript, title));
  return RESULT_FILES.map((f) => join(target.path, f));
}
