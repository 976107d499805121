/**
 * Translation-feature job (methods.md §4): build each calibration setting, collect its input
 * statistics from the dense model, then derive importances, overlap maps, the feature scatter and
 * large-magnitude features. Settings are ordered monolingual first, then translation; plain text
 * and code sets count as monolingual (they hold no translation pairs).
 */
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import { buildCalibration, type CalibrationOptions } from '../calibration';
import type { CalibrationSetting, FeatureAnalysis, FeatureScatterData, LargeMagnitudeFeatures } from '../../shared/features';
import { collectSettingStats, importance, linearInputs, type LinearInput, type SettingStats } from './importance';
import { SequenceHash } from '../shard/fingerprint';
import { shardOf, WHOLE, type ShardSpec } from '../shard/shard';
import { DEFAULT_OVERLAP_K, orderSettings, overlapMaps } from './overlap';
import { largeMagnitude } from './largeMagnitude';

export interface FeatureRequest {
  /** Setting id, e.g. "fr" or "fr-en" (names tensors and matrix rows). */
  name: string;
  /** A calibration source (calibration/index.ts): mono:fr, mt:fr-en, code:GLOB, FILE. */
  source: string;
}

export interface FeatureOptions extends JobOptions, Omit<CalibrationOptions, 'signal'> {
  overlapK?: number;
  /** Settings for the scatter; default: the first mt setting and the mono setting of its source language (else the first mono). */
  scatter?: { mt?: string; mono?: string };
  batchTokens?: number;
}

export interface FeatureRun {
  analysis: FeatureAnalysis;
  /** In display order (mono first). */
  settings: (CalibrationSetting & { source: string; positions: number; sequences: number })[];
  /** importance(settingId, layer, kind) = I_C over that linear layer's inputs. */
  importance: (id: string, layer: number, kind: string) => Float32Array;
  kinds: string[];
  layers: number[];
  largeMagnitudeBySetting: Record<string, LargeMagnitudeFeatures>;
  /** The settings plotted in the scatter, when there is one. */
  scatterIds?: { mt: string; mono: string };
}

function settingOf(name: string, s: SettingStats): CalibrationSetting {
  return { id: name, label: s.set.kind === 'text' || s.set.kind === 'code' ? name : s.set.label, kind: s.set.kind === 'mt' ? 'mt' : 'mono' };
}

/** Everything a features run sums over its calibration sets, before any derived output. */
export interface FeatureStats {
  modelName: string;
  inputs: LinearInput[];
  nLayers: number;
  dModel: number;
  collected: SettingStats[];
  /** sha256 of every setting's full sequence set (all shards), shard/fingerprint.ts. */
  corpusFingerprint: string;
}

function checkRequests(requests: FeatureRequest[], o: FeatureOptions): void {
  if (requests.length === 0) throw new UserError('--calibration', 'give at least one calibration setting (e.g. --calibration fr=mono:fr --calibration fr-en=mt:fr-en)');
  const dup = requests.find((r, i) => requests.findIndex((x) => x.name === r.name) !== i);
  if (dup) throw new UserError('--calibration', `setting name ${dup.name} is used twice`);
  const k = o.overlapK ?? DEFAULT_OVERLAP_K;
  if (!(k > 0 && k <= 100)) throw new UserError('--overlap-k', `must be a percentage in (0, 100], got ${k}`);
}

export async function runFeatures(model: LoadedModel, requests: FeatureRequest[], o: FeatureOptions = {}): Promise<FeatureRun> {
  return finishFeatures(await collectFeatureStats(model, requests, o), o);
}

/** Builds each calibration set and sums its statistics; with `shard` i/N, over sequences k ≡ i (mod N) only. */
export async function collectFeatureStats(model: LoadedModel, requests: FeatureRequest[], o: FeatureOptions & { shard?: ShardSpec } = {}): Promise<FeatureStats> {
  checkRequests(requests, o);
  const shard = o.shard ?? WHOLE;
  const length = Math.min(o.length ?? 512, model.cfg.maxPositions);
  const hash = new SequenceHash();
  const collected: SettingStats[] = [];
  for (const [i, r] of requests.entries()) {
    o.onProgress?.({ fraction: i / requests.length, message: `building ${r.name} (${r.source})` });
    const full = await buildCalibration(r.source, model.tokenizer, { ...o, length, signal: o.signal });
    hash.part(`${r.name}=${r.source}`);
    full.sequences.forEach((seq) => hash.add(seq));
    const set = shard.count === 1 ? full : { ...full, sequences: shardOf(full.sequences, shard) };
    const stats = await collectSettingStats(model, r.name, set, {
      signal: o.signal,
      batchTokens: o.batchTokens,
      onProgress: (p) => o.onProgress?.({ fraction: (i + p.fraction) / requests.length, message: p.message }),
    });
    collected.push(stats);
  }
  return { modelName: model.name, inputs: linearInputs(model), nLayers: model.cfg.nLayers, dModel: model.cfg.dModel, collected, corpusFingerprint: hash.digest() };
}

/** Importances, overlap maps, scatter and large-magnitude features from summed statistics. */
export function finishFeatures(fs: FeatureStats, o: Pick<FeatureOptions, 'overlapK' | 'scatter' | 'onProgress'> = {}): FeatureRun {
  const { collected, inputs, nLayers, dModel } = fs;
  const k = o.overlapK ?? DEFAULT_OVERLAP_K;
  const empty = collected.find((s) => s.positions === 0);
  if (empty) throw new UserError(empty.set.source, `calibration setting ${empty.id} has no tokens`);
  const byId = new Map(collected.map((s) => [s.id, s]));
  const settings = orderSettings(collected.map((s) => ({ ...settingOf(s.id, s), source: s.set.source, positions: s.positions, sequences: s.sequences })));
  const kinds = [...new Set(inputs.map((l) => l.kind))];
  const layers = [...new Set(inputs.map((l) => l.layer))];
  const hookOf = new Map(inputs.map((l) => [`${l.layer}/${l.kind}`, l.hook]));
  const cache = new Map<string, Float32Array>();
  const imp = (id: string, layer: number, kind: string): Float32Array => {
    const key = `${id}/${layer}/${kind}`;
    let v = cache.get(key);
    if (!v) {
      const hook = hookOf.get(`${layer}/${kind}`);
      if (!hook) throw new Error(`no linear ${kind} in layer ${layer}`);
      v = importance(byId.get(id)!, hook);
      cache.set(key, v);
    }
    return v;
  };

  const overlap = overlapMaps(settings.map(({ id, label, kind }) => ({ id, label, kind })), layers, kinds, k, (s, layer, kind) => imp(settings[s]!.id, layer, kind));

  const largeMagnitudeBySetting = Object.fromEntries(collected.map((s) => [s.id, largeMagnitude(s.residNormSum, s.sequences, nLayers, dModel)]));
  const total = new Float64Array(nLayers * dModel);
  collected.forEach((s) => s.residNormSum.forEach((v, i) => (total[i]! += v)));
  const allLarge = largeMagnitude(total, collected.reduce((n, s) => n + s.sequences, 0), nLayers, dModel);

  const scatter = chooseScatter(settings, o.scatter, (mt, mono) => ({
    mtLabel: settings.find((s) => s.id === mt)!.label,
    monoLabel: settings.find((s) => s.id === mono)!.label,
    layers: inputs.map((l) => ({ layer: l.layer, kind: l.kind, mt: imp(mt, l.layer, l.kind), mono: imp(mono, l.layer, l.kind) })),
  }));
  o.onProgress?.({ fraction: 1, message: 'features done' });
  return {
    analysis: { model: { name: fs.modelName }, overlap, scatter: scatter?.data, largeMagnitude: allLarge },
    settings,
    importance: imp,
    kinds,
    layers,
    largeMagnitudeBySetting,
    ...(scatter ? { scatterIds: { mt: scatter.mt, mono: scatter.mono } } : {}),
  };
}

function chooseScatter(
  settings: FeatureRun['settings'],
  want: FeatureOptions['scatter'],
  make: (mt: string, mono: string) => FeatureScatterData,
): { mt: string; mono: string; data: FeatureScatterData } | undefined {
  const check = (id: string | undefined, kind: 'mt' | 'mono'): void => {
    if (id !== undefined && !settings.some((s) => s.id === id && s.kind === kind)) throw new UserError('--scatter', `${id} is not a ${kind === 'mt' ? 'translation' : 'monolingual'} setting`);
  };
  check(want?.mt, 'mt');
  check(want?.mono, 'mono');
  const mt = want?.mt ?? settings.find((s) => s.kind === 'mt')?.id;
  if (!mt) return undefined;
  const src = settings.find((s) => s.id === mt)!.label.split('→')[0];
  const mono = want?.mono ?? (settings.find((s) => s.kind === 'mono' && s.label === src) ?? settings.find((s) => s.kind === 'mono'))?.id;
  if (!mono) return undefined;
  return { mt, mono, data: make(mt, mono) };
}
