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
import type { CalibrationSetting, FeatureAnalysis, FeatureScatterData, LargeMagnitudeFeatures, OverlapMaps, OverlapSource } from '../../shared/features';
import { collectSettingStats, hiddenMagnitudes, importance, linearInputs, mergeSharedInputs, type LinearInput, type SettingStats } from './importance';
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
  /** Top/bottom share of the overlap maps, a fraction (default 0.3 = 30 %). */
  overlapK?: number;
  /** The source of `analysis.overlap` (and of overlap.json); the other one is `analysis.overlapSecond`. */
  overlapSource?: OverlapSource;
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
  /** Calibration shortfalls (fewer texts than sequences asked, …), one line each. */
  warnings: string[];
}

function settingOf(name: string, s: SettingStats): CalibrationSetting {
  return { id: name, label: s.set.kind === 'text' || s.set.kind === 'code' ? name : s.set.label, kind: s.set.kind === 'mt' ? 'mt' : 'mono' };
}

/** Everything a features run sums over its calibration sets, before any derived output. */
export interface FeatureStats {
  modelName: string;
  inputs: LinearInput[];
  dModel: number;
  collected: SettingStats[];
  /** sha256 of every setting's full sequence set (all shards), shard/fingerprint.ts. */
  corpusFingerprint: string;
}

function checkOptions(requests: FeatureRequest[], o: FeatureOptions): { k: number; source: OverlapSource } {
  if (requests.length === 0) throw new UserError('--calibration', 'give at least one calibration setting (e.g. --calibration fr=mono:fr --calibration fr-en=mt:fr-en)');
  const dup = requests.find((r, i) => requests.findIndex((x) => x.name === r.name) !== i);
  if (dup) throw new UserError('--calibration', `setting name ${dup.name} is used twice`);
  const k = o.overlapK ?? DEFAULT_OVERLAP_K;
  if (!(k > 0 && k <= 1)) throw new UserError('--overlap-k', `must be a fraction in (0, 1] (0.3 = 30 % of the features), got ${k}`);
  const source = o.overlapSource ?? 'hidden_states';
  if (source !== 'hidden_states' && source !== 'linear_inputs') throw new UserError('--overlap-source', `must be hidden_states or linear_inputs, got ${String(source)}`);
  return { k, source };
}

export async function runFeatures(model: LoadedModel, requests: FeatureRequest[], o: FeatureOptions = {}): Promise<FeatureRun> {
  return finishFeatures(await collectFeatureStats(model, requests, o), o);
}

/** Builds each calibration set and sums its statistics; with `shard` i/N, over sequences k ≡ i (mod N) only. */
export async function collectFeatureStats(model: LoadedModel, requests: FeatureRequest[], o: FeatureOptions & { shard?: ShardSpec } = {}): Promise<FeatureStats> {
  checkOptions(requests, o);
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
  return { modelName: model.name, inputs: linearInputs(model), dModel: model.cfg.dModel, collected, corpusFingerprint: hash.digest() };
}

/** Importances, overlap maps, scatter and large-magnitude features from summed statistics (one run's or merged shards'). */
export function finishFeatures(fs: FeatureStats, o: Pick<FeatureOptions, 'overlapK' | 'overlapSource' | 'scatter' | 'onProgress'> = {}): FeatureRun {
  const { collected, inputs, dModel } = fs;
  const k = o.overlapK ?? DEFAULT_OVERLAP_K;
  const source = o.overlapSource ?? 'hidden_states';
  const empty = collected.find((s) => s.positions === 0);
  if (empty) throw new UserError(empty.set.source, `calibration setting ${empty.id} has no tokens`);
  const distinct = mergeSharedInputs(inputs);
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

  const plainSettings = settings.map(({ id, label, kind }) => ({ id, label, kind }));
  const magnitudes = new Map(collected.map((s) => [s.id, hiddenMagnitudes(s, dModel)]));
  const maps: Record<OverlapSource, () => OverlapMaps> = {
    hidden_states: () => {
      const states = magnitudes.get(settings[0]!.id)!.length;
      return overlapMaps('hidden_states', plainSettings, Array.from({ length: states }, (_, i) => i), ['hidden'], k, (s, i) => magnitudes.get(settings[s]!.id)![i]!);
    },
    // One map per distinct input (q/k/v read one vector): the kind named first stands for the group.
    linear_inputs: () => {
      const first = new Map(distinct.map((d) => [d.kind, d.kind.split('/')[0]!]));
      return overlapMaps('linear_inputs', plainSettings, layers, [...new Set(distinct.map((d) => d.kind))], k, (s, layer, kind) => imp(settings[s]!.id, layer, first.get(kind)!));
    },
  };
  const overlap = maps[source]();
  const overlapSecond = maps[source === 'hidden_states' ? 'linear_inputs' : 'hidden_states']();

  const largeMagnitudeBySetting = Object.fromEntries(collected.map((s) => [s.id, largeMagnitude(s.residNormSum, s.sequences, dModel)]));
  const total = new Float64Array(collected[0]!.residNormSum.length);
  collected.forEach((s) => s.residNormSum.forEach((v, i) => (total[i]! += v)));
  const allLarge = largeMagnitude(total, collected.reduce((n, s) => n + s.sequences, 0), dModel);

  // One point per feature of each distinct input: q, k and v read the same vector, so plotting
  // them separately would show every ln1 feature three times.
  const scatter = chooseScatter(settings, o.scatter, (mt, mono) => ({
    mtLabel: settings.find((s) => s.id === mt)!.label,
    monoLabel: settings.find((s) => s.id === mono)!.label,
    layers: distinct.map((l) => {
      const kind = l.kind.split('/')[0]!;
      return { layer: l.layer, kind: l.kind, mt: imp(mt, l.layer, kind), mono: imp(mono, l.layer, kind) };
    }),
  }));
  o.onProgress?.({ fraction: 1, message: 'features done' });
  return {
    analysis: { model: { name: fs.modelName }, overlap, overlapSecond, scatter: scatter?.data, largeMagnitude: allLarge },
    settings,
    importance: imp,
    kinds,
    layers,
    largeMagnitudeBySetting,
    ...(scatter ? { scatterIds: { mt: scatter.mt, mono: scatter.mono } } : {}),
    warnings: collected.flatMap((c) => c.set.warnings ?? []),
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
