/**
 * `merge`: partial statistics of one job, run as N shards, into the folder one run would have
 * written. Statistics are merged first (shard/merge.ts), then the job's own final step runs on
 * them — LAPE selection, feature importances and maps — so the output follows whatever those
 * steps compute, exactly as a single run does. Wanda statistics merge into a complete statistics
 * folder that `prune --calibration-stats` reads.
 */
import { writeFeaturesFolder } from './features/files';
import { finishFeatures, type FeatureRun } from './features/features';
import { featureStatsFromMerged } from './features/partial';
import type { OverlapSource } from '../shared/features';
import { planOutput, writeOutputFolder, type OutputTarget } from './io/outputs';
import { lapeFromCounts, type LapeRun } from './lape/lape';
import { writeLapeFolder } from './lape/files';
import { lapeCountsFromMerged } from './lape/partial';
import { mergePartials, type Merged } from './shard/merge';
import { readPartial, writePartialInto, type Partial, type PartialKind } from './shard/partial';
import { UserError } from './errors';
import { finishEvaluation } from './eval/session';
import { mergedScores } from './eval/shard';
import { reportScript, writeResultsFiles } from './eval/outputs';
import { cellFile, sweepJson } from './eval/sweep';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MergeSummary {
  kind: PartialKind;
  shards: number;
  model: string;
  corpus: string;
  scalars: Record<string, number>;
}

export function readAndMerge(dirs: string[]): Merged {
  return mergePartials(dirs.map((d) => readPartial(d)));
}

/** What the caller adds to a merged folder beside the statistics (the CLI: report.html and figures, as one run writes them). */
export interface MergeExtras {
  neurons?: (tmp: string, run: LapeRun) => Promise<void>;
  features?: (tmp: string, run: FeatureRun) => Promise<void>;
}

/**
 * Evaluation shards: the union of their per-item scores, then the metrics, bootstrap and files of
 * one run (eval/session.ts finishEvaluation); a sweep also gets sweep.json and its cells, so the
 * merged folder resumes like a sweep run in one process.
 */
function evaluationFiles(merged: Merged, parts: Partial[]): (dir: string) => void {
  const { models, output, settings } = mergedScores(merged, parts);
  const s = settings as unknown as EvalShardSettings;
  const sweep = merged.manifest.kind === 'sweep';
  const e = finishEvaluation({ tasks: sweep ? s.taskSettings! : s.tasks, bootstrap: s.bootstrap, tableMetrics: s.tableMetrics, tool: output.tool, labels: s.labels ?? undefined, significance: s.significance ?? undefined }, models);
  const script = reportScript();
  return (dir) => {
    writeResultsFiles(dir, e.output, script, output.title);
    if (!sweep) return;
    const { taskSettings: _t, bootstrap: _b, tableMetrics: _m, labels: _l, significance: _s, ...pinned } = settings as Record<string, unknown>;
    writeFileSync(join(dir, 'sweep.json'), sweepJson(pinned));
    mkdirSync(join(dir, 'cells'));
    for (const [mi, m] of models.entries()) {
      for (const task of [...new Set(m.groups.map((g) => g.task))]) {
        const groups = m.groups.map((g, gi) => ({ g, r: e.all[mi]!.results[gi]! })).filter((x) => x.g.task === task);
        const cell = { model: m.model, task, info: m.info, results: groups.map((x) => x.r), seconds: groups.reduce((n, x) => n + x.g.seconds, 0) };
        writeFileSync(join(dir, ...cellFile(m.model, task).split('/')), JSON.stringify(cell));
      }
    }
  };
}

/** What an eval/sweep shard pins (cli/commands/eval.ts, sweep.ts): the settings the merge finishes with. */
interface EvalShardSettings {
  tasks: { kind: string; settings: Record<string, unknown> }[];
  /** sweep: the tasks' settings (`tasks` holds their specs, as sweep.json does). */
  taskSettings?: { kind: string; settings: Record<string, unknown> }[];
  bootstrap: { resamples: number; seed: number };
  tableMetrics: Record<string, string>;
  labels?: (string | undefined)[] | null;
  significance?: 'one-sided' | 'two-sided' | null;
}

export async function mergeToFolder(dirs: string[], out: OutputTarget, extras: MergeExtras = {}): Promise<MergeSummary> {
  const parts = dirs.map((d) => readPartial(d));
  const merged = mergePartials(parts);
  const m = merged.manifest;
  // Derived outputs are computed before the folder exists, so a refusal leaves nothing behind.
  if (m.kind === 'eval') {
    await writeOutputFolder(out, evaluationFiles(merged, parts));
  } else if (m.kind === 'sweep') {
    // A merged sweep is a resumable sweep folder of `polyglot-lens sweep`, as one run leaves it.
    if (existsSync(out.path)) throw new UserError(out.arg, 'a merged sweep is a new sweep folder: choose a new --out');
    const target = planOutput(out.path, { kind: 'folder', resumable: true, tool: 'polyglot-lens sweep', inputs: dirs });
    await writeOutputFolder({ ...target, arg: out.arg }, evaluationFiles(merged, parts));
  } else if (m.kind === 'neurons') {
    const run = lapeFromCounts(m.model.name, lapeCountsFromMerged(merged));
    await writeOutputFolder(out, async (tmp) => {
      await extras.neurons?.(tmp, run);
      writeLapeFolder(tmp, run, { tool: 'polyglot-lens neurons' });
    });
  } else if (m.kind === 'features') {
    const s = m.settings as { overlapK: number; overlapSource: OverlapSource | null; scatter: { mt?: string; mono?: string } | null };
    const stats = featureStatsFromMerged(merged);
    const run = finishFeatures(stats, { overlapK: s.overlapK, overlapSource: s.overlapSource ?? undefined, scatter: s.scatter ?? undefined });
    await writeOutputFolder(out, async (tmp) => {
      writeFeaturesFolder(tmp, run, { tool: 'polyglot-lens features', model: stats.modelName });
      await extras.features?.(tmp, run);
    });
  } else {
    await writeOutputFolder(out, (tmp) => writePartialInto(tmp, { kind: m.kind, model: m.model, corpus: m.corpus, settings: m.settings, shard: m.shard, scalars: m.scalars, info: m.info }, merged.tensors));
  }
  return { kind: m.kind, shards: dirs.length, model: m.model.name, corpus: m.corpus.name, scalars: m.scalars };
}
