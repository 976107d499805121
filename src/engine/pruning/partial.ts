/**
 * Wanda/θ^Prog one-shot statistics as partial statistics (shard/partial.ts): the dense model's
 * Σx² of every linear layer's input, per calibration role, split over `--shard i/N`. One-shot
 * pruning scores every layer from the dense model, so its statistics are plain sums and split
 * exactly; sequential pruning recalibrates after each block and cannot be split this way.
 * Tensors `sumsq/{role}/{hook}`; scalars `positions/{role}`; info carries each role's full-set
 * record (source, sequences, tokens, sha256), which pruning.json then reports as a single run would.
 */
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { Merged } from '../shard/merge';
import type { PartialContent } from '../shard/partial';
import { shardOf, type ShardSpec } from '../shard/shard';
import { calibrationRecord } from './calibrationRecord';
import { linearWeights } from './prune';
import { inputSumSq } from './stats';
import type { CalibrationRecord, PruneCalibration, PruneMethod } from './types';

type Role = keyof PruneCalibration;

export interface WandaShardSettings {
  method: PruneMethod;
  /** Every option that shapes the calibration sets (sources, sequences, length, shots, seed). */
  calibration: Record<string, unknown>;
}

export async function wandaPartial(
  model: LoadedModel,
  modelId: { name: string; fingerprint: string },
  cal: PruneCalibration,
  settings: WandaShardSettings,
  shard: ShardSpec,
  o: JobOptions = {},
): Promise<{ content: PartialContent; tensors: Map<string, Float64Array> }> {
  const hooks = [...new Set(linearWeights(model).map((l) => l.linear.inputHook))];
  const tensors = new Map<string, Float64Array>();
  const scalars: Record<string, number> = {};
  const records: Partial<Record<Role, CalibrationRecord>> = {};
  for (const [role, set] of Object.entries(cal) as [Role, NonNullable<PruneCalibration[Role]>][]) {
    const mine = shardOf(set.sequences, shard);
    for (const s of mine) model.checkIds(s, set.source);
    const sums = mine.length ? await inputSumSq(model, mine, hooks, undefined, o) : new Map<string, Float64Array>();
    for (const h of hooks) tensors.set(`sumsq/${role}/${h}`, sums.get(h) ?? new Float64Array(model.specs.find((w) => w.linear?.inputHook === h)!.shape[1]!));
    scalars[`positions/${role}`] = mine.reduce((n, s) => n + s.length, 0);
    records[role] = calibrationRecord(set);
  }
  const corpus = Object.entries(records).map(([role, r]) => `${role}=${r.source}`).join(' ');
  return {
    content: {
      kind: 'wanda',
      model: modelId,
      corpus: { name: corpus, fingerprint: Object.values(records).map((r) => r.sha256).join(':') },
      settings: { method: settings.method, ...settings.calibration },
      shard,
      scalars,
      info: { hooks, records },
    },
    tensors,
  };
}

/** The calibration roles of merged statistics, ready for createVariant's one-shot path. */
export function calibrationFromStats(model: LoadedModel, fingerprint: string, m: Merged, method: PruneMethod, subject: string): PruneCalibration {
  const man = m.manifest;
  if (man.kind !== 'wanda') throw new UserError(subject, `holds ${man.kind} statistics, not Wanda calibration statistics`);
  if (man.model.fingerprint !== fingerprint) throw new UserError(subject, `statistics were computed with a different model (${man.model.name}) than --model ${model.name}`);
  if (man.settings.method !== method) throw new UserError(subject, `statistics are for --method ${String(man.settings.method)}, not ${method}`);
  const info = man.info as { hooks: string[]; records: Partial<Record<Role, CalibrationRecord>> };
  const cal: PruneCalibration = {};
  for (const [role, record] of Object.entries(info.records) as [Role, CalibrationRecord][]) {
    cal[role] = { source: record.source, sequences: [], precomputed: { record, sumsq: new Map(info.hooks.map((h) => [h, m.tensors.get(`sumsq/${role}/${h}`)!])) } };
  }
  return cal;
}
