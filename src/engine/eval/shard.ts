/**
 * `eval|sweep --shard i/N`: evaluation split over N processes. The work is cells (model × task)
 * × groups (a language or direction) × units (a perplexity batch as one run batches it, one
 * classification item, one translation); unit u of a group goes to shard (offset + u) mod N, the
 * offset a hash of the group's model, task and language, so small groups spread over the shards
 * instead of all starting at shard 0. Every shard enumerates every group (reads and tokenizes
 * its items: the same inputs in every process) and scores only its own units; a model none of
 * whose units fall in the shard is not built (no variant calibration there).
 *
 * A shard writes a partial folder (shard/partial.ts) whose records are the per-item scores;
 * `merge` unions them and runs the same metric, bootstrap and output code as one run
 * (mergeEvaluation), so the result files are the same bytes — apart from the wall-clock facts
 * every run differs in (results.json's createdAt and itemsPerSecond; see docs/scale.md).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { modelFingerprint } from '../shard/fingerprint';
import type { Merged } from '../shard/merge';
import type { Partial, PartialContent } from '../shard/partial';
import { inShard, type ShardSpec } from '../shard/shard';
import type { LoadedModel } from '../model/model';
import type { ItemScore, GroupScores, UnitSelection } from './scores';
import type { EvalTaskKind } from './types';

/** One model's scores on every task (all groups in task order, then language order). */
export interface ModelScores {
  model: string;
  info?: Record<string, unknown>;
  groups: GroupScores[];
}

function offset(parts: string[], n: number): number {
  return parseInt(createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 8), 16) % n;
}

/** Which units of each group of (model, task) belong to `shard`. */
export function shardUnits(shard: ShardSpec, model: string, task: string): UnitSelection {
  return (group) => {
    const off = offset([model, task, group], shard.count);
    return (unit) => inShard(off + unit, shard);
  };
}

/** sha256 over every model's spec and its base checkpoint's fingerprint (shard/fingerprint.ts). */
export function modelsFingerprint(specs: readonly string[], baseOf: (spec: string) => LoadedModel): string {
  const h = createHash('sha256');
  const byDir = new Map<string, string>();
  for (const spec of specs) {
    const m = baseOf(spec);
    let f = byDir.get(m.ckpt.dir);
    if (f === undefined) byDir.set(m.ckpt.dir, (f = modelFingerprint(m.ckpt)));
    h.update(`${spec}\u0000${f}\u0000`);
  }
  return h.digest('hex');
}

interface GroupInfo {
  model: string;
  task: EvalTaskKind;
  language: string;
  source: string;
  itemCount: number;
  unitCount: number;
}

interface EvalRecords {
  models: { model: string; info?: Record<string, unknown> }[];
  groups: { model: string; task: string; language: string; seconds: number; scores: [number, ItemScore][] }[];
}

const groupKey = (g: { model: string; task: string; language: string }): string => `items/${g.model}/${g.task}/${g.language}`;

/** What the output step after the merge needs, the same in every shard (checked equal by merge). */
export interface EvalShardJob {
  kind: 'eval' | 'sweep';
  /** Every setting that changes the numbers or the files (models, task settings, bootstrap, table metrics, seeds). */
  settings: Record<string, unknown>;
  output: { tool: string; title: string };
  modelFingerprint: string;
}

export function evalPartial(job: EvalShardJob, models: readonly ModelScores[], shard: ShardSpec): { content: PartialContent; records: EvalRecords } {
  const groups: GroupInfo[] = models.flatMap((m) => m.groups.map((g) => ({ model: m.model, task: g.task, language: g.language, source: g.source, itemCount: g.itemCount, unitCount: g.unitCount })));
  const data = createHash('sha256');
  for (const m of models) for (const g of m.groups) data.update(`${m.model}\u0000${g.task}\u0000${g.language}\u0000${g.dataSha256}\u0000`);
  const tasks = [...new Set(groups.map((g) => g.task))];
  return {
    content: {
      kind: job.kind,
      model: { name: models.map((m) => m.model).join(','), fingerprint: job.modelFingerprint },
      corpus: { name: tasks.map((t) => `${t}:${[...new Set(groups.filter((g) => g.task === t).map((g) => g.language))].join(',')}`).join(' '), fingerprint: data.digest('hex') },
      settings: job.settings,
      shard,
      scalars: Object.fromEntries(models.flatMap((m) => m.groups.map((g) => [groupKey({ model: m.model, task: g.task, language: g.language }), g.scores.size]))),
      info: { output: job.output, groups },
    },
    records: {
      models: models.map((m) => ({ model: m.model, ...(m.info ? { info: m.info } : {}) })),
      groups: models.flatMap((m) => m.groups.map((g) => ({ model: m.model, task: g.task, language: g.language, seconds: g.seconds, scores: [...g.scores] }))),
    },
  };
}

/** The shards' per-item scores as one run's: every item exactly once, model info from the first shard that built the model. */
export function mergedScores(merged: Merged, parts: readonly Partial[]): { models: ModelScores[]; output: { tool: string; title: string }; settings: Record<string, unknown> } {
  const info = merged.manifest.info as { output: { tool: string; title: string }; groups: GroupInfo[] };
  const ordered = [...parts].sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  const records = ordered.map((p) => p.records as EvalRecords);
  const models: ModelScores[] = [];
  for (const [gi, g] of info.groups.entries()) {
    let m = models.at(-1);
    if (!m || m.model !== g.model) {
      const built = records.flatMap((r) => r.models).find((x) => x.model === g.model && x.info !== undefined);
      models.push((m = { model: g.model, ...(built?.info ? { info: built.info } : {}), groups: [] }));
    }
    const scores = new Map<number, ItemScore>();
    let seconds = 0;
    for (const [pi, r] of records.entries()) {
      const rg = r.groups[gi];
      if (!rg || rg.model !== g.model || rg.task !== g.task || rg.language !== g.language) throw new UserError(ordered[pi]!.dir, `records do not match the manifest (group ${gi}: ${g.model} ${g.task} ${g.language})`);
      seconds += rg.seconds;
      for (const [i, s] of rg.scores) {
        if (scores.has(i)) throw new UserError(ordered[pi]!.dir, `item ${i} of ${g.model} ${g.task} ${g.language} was scored by two shards`);
        scores.set(i, s);
      }
    }
    if (scores.size !== g.itemCount) throw new UserError('merge', `${g.model} ${g.task} ${g.language}: ${scores.size} of ${g.itemCount} items scored`);
    m.groups.push({ task: g.task, language: g.language, source: g.source, itemCount: g.itemCount, unitCount: g.unitCount, dataSha256: '', scores, seconds });
  }
  return { models, output: info.output, settings: merged.manifest.settings };
}
