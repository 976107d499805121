/**
 * `merge`: partial statistics of one job, run as N shards, into the folder one run would have
 * written. Statistics are merged first (shard/merge.ts), then the job's own final step runs on
 * them — LAPE selection, feature importances and maps — so the output follows whatever those
 * steps compute, exactly as a single run does. Wanda statistics merge into a complete statistics
 * folder that `prune --calibration-stats` reads.
 */
import { writeFeaturesFolder } from './features/files';
import { finishFeatures } from './features/features';
import { featureStatsFromMerged } from './features/partial';
import type { OverlapSource } from '../shared/features';
import { writeOutputFolder, type OutputTarget } from './io/outputs';
import { lapeFromCounts } from './lape/lape';
import { writeLapeFolder } from './lape/files';
import { lapeCountsFromMerged } from './lape/partial';
import { mergePartials, type Merged } from './shard/merge';
import { readPartial, writePartialInto, type Partial, type PartialKind } from './shard/partial';
import { finishEvaluation } from './eval/session';
import { mergedScores } from './eval/shard';
import { reportScript, writeResultsFiles } from './eval/outputs';
import { cellFile, sweepJson } from './eval/sweep';
import { mkdirSync, writeFileSync } from 'node:fs';
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

/**
 * Evaluation shards: the union of their per-item scores, then the metrics, bootstrap and files of
 * one run (eval/session.ts finishEvaluation); a sweep also gets sweep.json and its cells, so the
 * merged folder resumes like a sweep run in one process.
 */
function evaluationFiles(merged: Merged, parts: Partial[]): (dir: string) => void {
  const { models, output, settings } = mergedScores(merged, parts);
  const s = settings as { tasks: { kind: string; settings: Record<string, unknown> }[]; taskSettings?: { kind: string; settings: Record<string, unknown> }[]; bootstrap: { resamples: number; seed: number }; tableMetrics: Record<string, string> };
  const sweep = merged.manifest.kind === 'sweep';
  const e = finishEvaluation({ tasks: sweep ? s.taskSettings! : s.tasks, bootstrap: s.bootstrap, tableMetrics: s.tableMetrics, tool: output.tool }, models);
  const script = reportScript();
  return (dir) => {
    writeResultsFiles(dir, e.output, script, output.title);
    if (!sweep) return;
    const { taskSettings: _t, bootstrap: _b, tableMetrics: _m, ...pinned } = settings as Record<string, unknown>;
    writeFileSync(join(dir, 'sweep.json'), sweepJson(pinned));
    mkdirSync(join(dir, 'cells'));
    for (const [mi, m] of models.entries()) {
      for (const task of [...new Set(m.groups.map((g) => g.task))]) {
        const groups = m.groups.map((g, gi) => ({ g, r: e.all[mi]!.results[gi]! })).filter((x) => x.g.task === task);
        const cell = { model: m.model, task, info: m.info, results: groups.map((x) => x.r), seconds: groups.reduce((n, x) => n + x.g.seconds, 0) };
        writeFileSync(cellFile(dir, m.model, task), JSON.stringify(cell));
      }
    }
  };
}

export async function mergeToFolder(dirs: string[], out: OutputTarget): Promise<MergeSummary> {
  const parts = dirs.map((d) => readPartial(d));
  const merged = mergePartials(parts);
  const m = merged.manifest;
  // Derived outputs are computed before the folder exists, so a refusal leaves nothing behind.
  if (m.kind === 'eval' || m.kind === 'sweep') {
    await writeOutputFolder(out, evaluationFiles(merged, parts));
  } else if (m.kind === 'neurons') {
    const run = lapeFromCounts(m.model.name, lapeCountsFromMerged(merged));
    await writeOutputFolder(out, (tmp) => writeLapeFolder(tmp, run, { tool: 'polyglot-lens neurons' }));
  } else if (m.kind === 'features') {
    const s = m.settings as { overlapK: number; overlapSource: OverlapSource | null; scatter: { mt?: string; mono?: string } | null };
    const stats = featureStatsFromMerged(merged);
    const run = finishFeatures(stats, { overlapK: s.overlapK, overlapSource: s.overlapSource ?? undefined, scatter: s.scatter ?? undefined });
    await writeOutputFolder(out, (tmp) => writeFeaturesFolder(tmp, run, { tool: 'polyglot-lens features', model: stats.modelName }));
  } else {
    await writeOutputFolder(out, (tmp) => writePartialInto(tmp, { kind: m.kind, model: m.model, corpus: m.corpus, settings: m.settings, shard: m.shard, scalars: m.scalars, info: m.info }, merged.tensors));
  }
  return { kind: m.kind, shards: dirs.length, model: m.model.name, corpus: m.corpus.name, scalars: m.scalars };
}
