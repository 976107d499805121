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
import { writeOutputFolder, type OutputTarget } from './io/outputs';
import { lapeFromCounts, type LapeRun } from './lape/lape';
import { writeLapeFolder } from './lape/files';
import { lapeCountsFromMerged } from './lape/partial';
import { mergePartials, type Merged } from './shard/merge';
import { readPartial, writePartialInto, type PartialKind } from './shard/partial';

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

export async function mergeToFolder(dirs: string[], out: OutputTarget, extras: MergeExtras = {}): Promise<MergeSummary> {
  const merged = readAndMerge(dirs);
  const m = merged.manifest;
  // Derived outputs are computed before the folder exists, so a refusal leaves nothing behind.
  if (m.kind === 'neurons') {
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
