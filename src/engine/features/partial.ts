/**
 * Translation-feature statistics as partial statistics (shard/partial.ts) and back. Tensors:
 * `sumsq/{setting}/{hook}` (Σx² of each linear layer's input) and `residNormSum/{setting}`
 * (Σ over sequences of per-sequence ‖h_i‖ per hidden state, features/importance.ts); scalars
 * `positions/{setting}` and `sequences/{setting}`.
 */
import type { CalibrationKind } from '../calibration/types';
import type { Merged } from '../shard/merge';
import type { PartialContent } from '../shard/partial';
import type { ShardSpec } from '../shard/shard';
import type { FeatureStats } from './features';
import type { LinearInput } from './importance';

interface SettingInfo {
  id: string;
  source: string;
  kind: CalibrationKind;
  label: string;
  languages: string[];
}

export function featuresPartial(
  fs: FeatureStats,
  model: { name: string; fingerprint: string },
  corpusName: string,
  settings: Record<string, unknown>,
  shard: ShardSpec,
): { content: PartialContent; tensors: Map<string, Float64Array> } {
  const tensors = new Map<string, Float64Array>();
  const scalars: Record<string, number> = {};
  const described: SettingInfo[] = [];
  for (const s of fs.collected) {
    for (const [hook, v] of s.sumsq) tensors.set(`sumsq/${s.id}/${hook}`, v);
    tensors.set(`residNormSum/${s.id}`, s.residNormSum);
    scalars[`positions/${s.id}`] = s.positions;
    scalars[`sequences/${s.id}`] = s.sequences;
    described.push({ id: s.id, source: s.set.source, kind: s.set.kind, label: s.set.label, languages: s.set.languages });
  }
  return {
    content: {
      kind: 'features',
      model,
      corpus: { name: corpusName, fingerprint: fs.corpusFingerprint },
      settings,
      shard,
      scalars,
      info: { modelName: fs.modelName, dModel: fs.dModel, inputs: fs.inputs, settings: described },
    },
    tensors,
  };
}

export function featureStatsFromMerged(m: Merged): FeatureStats {
  const info = m.manifest.info as { modelName: string; dModel: number; inputs: LinearInput[]; settings: SettingInfo[] };
  const hooks = [...new Set(info.inputs.map((l) => l.hook))];
  return {
    modelName: info.modelName,
    inputs: info.inputs,
    dModel: info.dModel,
    corpusFingerprint: m.manifest.corpus.fingerprint,
    collected: info.settings.map((d) => ({
      id: d.id,
      // The merged statistics stand in for the sequences, which the final step no longer needs.
      set: { source: d.source, kind: d.kind, label: d.label, languages: d.languages, sequences: [], tokens: m.manifest.scalars[`positions/${d.id}`]! },
      positions: m.manifest.scalars[`positions/${d.id}`]!,
      sequences: m.manifest.scalars[`sequences/${d.id}`]!,
      sumsq: new Map(hooks.map((h) => [h, m.tensors.get(`sumsq/${d.id}/${h}`)!])),
      residNormSum: m.tensors.get(`residNormSum/${d.id}`)!,
    })),
  };
}
