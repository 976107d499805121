/**
 * One evaluation from parsed inputs to its output folder — the code `polyglot-lens eval` and the
 * editor's Evaluate command (eval/run) both run: every model on every prepared task (progress
 * over models, cancellable between items), paired bootstrap p-values against the first model,
 * the long rows, and results.{json,csv,md,tex} + report.html written atomically.
 */
import { join } from 'node:path';
import type { JobOptions } from '../api';
import { writeOutputFolder, type OutputTarget } from '../io/outputs';
import { bootstrapAll, resultRows, type ModelResults, type PValue, type Significance } from './evaluate';
import { finishGroup, type GroupScores } from './scores';
import { shardUnits, type ModelScores } from './shard';
import type { ShardSpec } from '../shard/shard';
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

/**
 * Every model's per-item scores on every task, models one after the other (building a variant is
 * the first 20% of a model's share of progress). With `shard`, only that shard's units
 * (eval/shard.ts); a model with no unit in the shard is enumerated on its base checkpoint and not built.
 */
export async function scoreEvaluation(x: Pick<EvaluationInputs, 'specs' | 'tasks' | 'loader'>, o: JobOptions & { shard?: ShardSpec; dry?: boolean } = {}): Promise<ModelScores[]> {
  const all: ModelScores[] = [];
  const n = x.specs.length;
  for (const [i, spec] of x.specs.entries()) {
    // dry: every group enumerated on the base checkpoint, nothing scored (a shard's resumption check).
    const shard = o.dry ? { index: 0, count: 1 } : o.shard;
    if (shard) {
      const base = { name: spec.spec, model: x.loader.base(spec.dir) };
      let any = false;
      const groups: GroupScores[] = [];
      for (const t of x.tasks) {
        const mine = shardUnits(shard, spec.spec, t.kind);
        groups.push(...(await t.scores(base, { signal: o.signal, units: (g) => {
          const keep = mine(g);
          return (u, units, w) => ((any ||= keep(u, units, w)), false);
        } })));
      }
      if (!any || o.dry) {
        all.push({ model: spec.spec, groups });
        continue;
      }
    }
    const subject = await x.loader.load(spec, { signal: o.signal, onProgress: (p) => o.onProgress?.({ fraction: (i + p.fraction * 0.2) / n, message: `${spec.spec}: ${p.message}` }) });
    const groups: GroupScores[] = [];
    for (const t of x.tasks) {
      groups.push(...(await t.scores(subject, {
        signal: o.signal,
        units: shard ? shardUnits(shard, spec.spec, t.kind) : undefined,
        onProgress: (p) => o.onProgress?.({ fraction: (i + 0.2 + 0.8 * p.fraction) / n, message: `${spec.spec}: ${p.message}` }),
      })));
    }
    all.push({ model: spec.spec, ...(subject.info ? { info: subject.info } : {}), groups });
  }
  return all;
}

/** What finishing an evaluation needs besides the scores: the same in one run and after a merge of shards. */
export type FinishInputs = Pick<EvaluationInputs, 'bootstrap' | 'tableMetrics' | 'tool' | 'labels' | 'significance'> & { tasks: { kind: string; settings: Record<string, unknown> }[] };

/** Metrics from complete scores, tests, intervals and averages against each model's baseline, rows and the output object. */
export function finishEvaluation(x: FinishInputs, scores: readonly ModelScores[]): Evaluation {
  const all: ModelResults[] = scores.map((m) => ({ model: m.model, ...(m.info ? { info: m.info } : {}), results: m.groups.map(finishGroup) }));
  const p = presentation(all.map((m) => m.model), x.labels, x.significance);
  const { sig, rows } = analyseResults(all, x.bootstrap, x.tableMetrics, p);
  const output = evalOutput(x.tool, all, x.tasks.map((t) => ({ kind: t.kind, settings: t.settings })), x.bootstrap, sig, rows, x.tableMetrics, p);
  return { all, ps: sig.pValues, rows, output };
}

export async function runEvaluation(x: EvaluationInputs, o: JobOptions = {}): Promise<Evaluation> {
  return finishEvaluation(x, await scoreEvaluation(x, o));
}

/** The five files, built in a temp folder and renamed into place (io/outputs.ts). */
export async function writeEvaluation(target: OutputTarget, e: Evaluation, reportScript: string, title: string): Promise<string[]> {
  await writeOutputFolder(target, (tmp) => writeResultsFiles(tmp, e.output, reportScript, title));
  return RESULT_FILES.map((f) => join(target.path, f));
}
