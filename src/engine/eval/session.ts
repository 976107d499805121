/**
 * One evaluation from parsed inputs to its output folder — the code `polyglot-lens eval` and the
 * editor's Evaluate command (eval/run) both run: every model on every prepared task (progress
 * over models, cancellable between items), paired bootstrap p-values against the first model,
 * the long rows, and results.{json,csv,md,tex} + report.html written atomically.
 */
import { join } from 'node:path';
import type { JobOptions } from '../api';
import { writeOutputFolder, type OutputTarget } from '../io/outputs';
import { bootstrapAll, evaluateSubject, resultRows, type ModelResults, type PValue, type Significance } from './evaluate';
import { evalOutput, writeResultsFiles, type EvalOutput, type TablePresentation } from './outputs';
import { modelGroup, modelLabels } from '../../shared/results/labels';
import type { SignificanceTest } from '../../shared/results/table';
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
  /** Row labels parallel to `specs` (label markup); unset entries get the paper's names (θ, θ_{Fr-En}, …). */
  labels?: (string | undefined)[];
  /** The test behind the tables' † / ‡ (default one-sided). */
  significance?: SignificanceTest;
}

/**
 * How the tables present a list of models: the paper's names unless labelled, grouped by base
 * checkpoint, each model tested against the first model of its group.
 */
export function presentation(models: readonly string[], labels: readonly (string | undefined)[] = [], significance?: SignificanceTest): TablePresentation {
  const names = modelLabels(models, labels);
  const groups = models.map(modelGroup);
  return {
    labels: Object.fromEntries(models.map((m, i) => [m, names[i]!])),
    groups: Object.fromEntries(models.map((m, i) => [m, groups[i]!])),
    baselines: Object.fromEntries(models.map((m, i) => [m, models[groups.indexOf(groups[i]!)]!])),
    ...(significance ? { significance } : {}),
  };
}

/** Tests, intervals, averages and the long rows of a finished run, presented as `p` says. */
export function analyseResults(all: readonly ModelResults[], bootstrap: { resamples: number; seed: number }, tableMetrics: Record<string, string>, p: TablePresentation): { sig: Significance; rows: ResultRow[] } {
  const sig = bootstrapAll(all, { ...bootstrap, metrics: tableMetrics, baselines: p.baselines });
  return { sig, rows: resultRows(all, sig, tableMetrics) };
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
  const p = presentation(all.map((m) => m.model), x.labels, x.significance);
  const { sig, rows } = analyseResults(all, x.bootstrap, x.tableMetrics, p);
  const output = evalOutput(x.tool, all, x.tasks.map((t) => ({ kind: t.kind, settings: t.settings })), x.bootstrap, sig, rows, x.tableMetrics, p);
  return { all, ps: sig.pValues, rows, output };
}

/** The five files, built in a temp folder and renamed into place (io/outputs.ts). */
export async function writeEvaluation(target: OutputTarget, e: Evaluation, reportScript: string, title: string): Promise<string[]> {
  await writeOutputFolder(target, (tmp) => writeResultsFiles(tmp, e.output, reportScript, title));
  return RESULT_FILES.map((f) => join(target.path, f));
}
