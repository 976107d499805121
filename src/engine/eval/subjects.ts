/**
 * What `eval --models` names: a checkpoint folder (a pruned export is one too), `default` (the
 * embedded model), or a variant of either, `MODEL@SPEC`:
 *   MODEL@wanda:CALIBRATION:S         e.g. default@wanda:mt:fr-en:0.5
 *   MODEL@prog:TRANSLATION+CODE:S     e.g. default@prog:mt:fr-en+code:src/**\/*.ts:0.5
 *   MODEL@magnitude:S, MODEL@random:S
 *   MODEL@lrp2:T[:A-B]                LRP2 towards English for language T (lrp2.ts), layers
 *                                     searched on the dev split unless given
 * A variant is a set of masks over the base model's weights (pruning/), never a copy: every
 * variant of one base shares one LoadedModel.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import { LoadedModel, type ModelOptions } from '../model/model';
import { defaultModelDir } from '../paths';
import { checkSparsity, PRUNE_METHODS, pruneFromSources, type PruneMethod } from '../pruning';
import type { EvalSubject } from './types';
import { normalizeLanguage } from '../corpus/types';
import { collect, openEvalCorpora } from './data';
import { languageVectors, lrp2Shifts, searchLrp2, type Lrp2Search } from './lrp2';

export type VariantSpec =
  | { kind: 'prune'; method: PruneMethod; calibration?: string; codeCalibration?: string; sparsity: number }
  | { kind: 'lrp2'; lang: string; layers?: [number, number] };

/** Sentences per language vector and dev pairs for the LRP2 layer search (UDHR training articles). */
export const LRP2_SENTENCES = 100;
export const LRP2_SEARCH_PAIRS = 16;

export interface ModelSpec {
  /** As given: the name results carry. */
  spec: string;
  dir: string;
  variant?: VariantSpec;
}

export function resolveModelDir(model: string, cwd: string): string {
  return model === 'default' ? defaultModelDir() : resolve(cwd, model);
}

export function parseVariantSpec(text: string, subject: string): VariantSpec {
  const parts = text.split(':');
  if (parts[0] === 'lrp2') {
    const lang = normalizeLanguage(parts[1] ?? '');
    if (!lang || lang === 'en' || parts.length > 3) throw new UserError(subject, 'expected lrp2:LANG or lrp2:LANG:A-B with a non-English ISO 639-1 code (e.g. lrp2:fr:1-4)');
    if (parts.length === 2) return { kind: 'lrp2', lang };
    const m = /^(\d+)-(\d+)$/.exec(parts[2]!);
    if (!m || Number(m[1]) >= Number(m[2])) throw new UserError(subject, `LRP2 layers must be A-B with A < B (hidden-state indices), got ${JSON.stringify(parts[2])}`);
    return { kind: 'lrp2', lang, layers: [Number(m[1]), Number(m[2])] };
  }
  const method = parts[0] as PruneMethod;
  if (!PRUNE_METHODS.includes(method)) throw new UserError(subject, `unknown variant method ${JSON.stringify(parts[0])} (${PRUNE_METHODS.join(', ')})`);
  if (parts.length < 2) throw new UserError(subject, `expected ${method}:…:SPARSITY`);
  const sparsity = Number(parts[parts.length - 1]);
  checkSparsity(sparsity, subject);
  const calibration = parts.slice(1, -1).join(':');
  if (method === 'wanda' || method === 'prog') {
    if (!calibration) throw new UserError(subject, `${method} needs a calibration source, e.g. ${method === 'wanda' ? 'wanda:mt:fr-en:0.5' : 'prog:mt:fr-en+code:src/**/*.ts:0.5'}`);
    if (method === 'prog') {
      const [translation, code] = calibration.split('+');
      if (!translation || !code) throw new UserError(subject, 'prog needs TRANSLATION+CODE calibration sources, e.g. prog:mt:fr-en+code:src/**/*.ts:0.5');
      return { kind: 'prune', method, calibration: translation, codeCalibration: code, sparsity };
    }
    return { kind: 'prune', method, calibration, sparsity };
  }
  if (calibration) throw new UserError(subject, `${method} takes no calibration source (write ${method}:${sparsity})`);
  return { kind: 'prune', method, sparsity };
}

export function parseModelSpec(spec: string, cwd = process.cwd()): ModelSpec {
  const s = spec.trim();
  if (!s) throw new UserError('--models', 'empty model entry');
  const at = s.lastIndexOf('@');
  const base = at < 0 ? s : s.slice(0, at);
  const dir = resolveModelDir(base, cwd);
  if (!existsSync(dir)) throw new UserError(s, `no checkpoint folder ${base === 'default' ? dir : base}`);
  return { spec: s, dir, variant: at < 0 ? undefined : parseVariantSpec(s.slice(at + 1), s) };
}

export interface SubjectSettings extends ModelOptions {
  cwd?: string;
  /** Pruning and calibration sampling seed (default 0). */
  seed?: number;
  calibrationSequences?: number;
  calibrationLength?: number;
}

/** Loads each base checkpoint once and builds variants as masks on it. */
export class SubjectLoader {
  private readonly models = new Map<string, LoadedModel>();

  constructor(private readonly settings: SubjectSettings = {}) {}

  base(dir: string): LoadedModel {
    let m = this.models.get(dir);
    if (!m) {
      m = LoadedModel.load(dir, this.settings);
      this.models.set(dir, m);
    }
    return m;
  }

  async load(spec: ModelSpec, o: JobOptions = {}): Promise<EvalSubject> {
    const model = this.base(spec.dir);
    const v = spec.variant;
    if (!v) return { name: spec.spec, model };
    if (v.kind === 'lrp2') return this.lrp2(spec, model, v, o);
    const variant = await pruneFromSources(
      model,
      spec.spec,
      {
        method: v.method,
        sparsity: v.sparsity,
        seed: this.settings.seed,
        calibration: v.calibration,
        codeCalibration: v.codeCalibration,
        calibrationSequences: this.settings.calibrationSequences,
        calibrationLength: this.settings.calibrationLength,
        cwd: this.settings.cwd,
      },
      o,
    );
    const i = variant.info;
    return { name: spec.spec, model, variant, info: { method: i.method, targetSparsity: i.targetSparsity, achievedSparsity: i.achievedSparsity, seed: i.seed, calibration: i.calibration } };
  }

  private async lrp2(spec: ModelSpec, model: LoadedModel, v: Extract<VariantSpec, { kind: 'lrp2' }>, o: JobOptions): Promise<EvalSubject> {
    if (v.layers && v.layers[1] > model.cfg.nLayers) throw new UserError(spec.spec, `hidden state ${v.layers[1]} does not exist (0-${model.cfg.nLayers})`);
    const { dev } = openEvalCorpora(`udhr:${v.lang},en`);
    const texts = async (lang: string): Promise<string[]> => (await collect(dev!.texts(lang, o.signal), LRP2_SENTENCES)).map((t) => t.text);
    const vT = await languageVectors(model, await texts(v.lang), o);
    const vE = await languageVectors(model, await texts('en'), o);
    let layers = v.layers;
    let search: Lrp2Search | undefined;
    if (!layers) {
      const pairs = (await collect(dev!.parallel(v.lang, 'en', o.signal), LRP2_SEARCH_PAIRS)).map(([s, e]): [string, string] => [s.text, e.text]);
      search = await searchLrp2(model, v.lang, pairs, vT, vE, o);
      layers = [search.a, search.b];
    }
    return {
      name: spec.spec,
      model,
      shifts: lrp2Shifts(vT, vE, layers[0], layers[1]),
      info: { method: 'lrp2', language: v.lang, layers, searched: search !== undefined, ...(search ? { search: search.scores.slice(0, 5), objective: 'mean log-probability of English dev translations' } : {}), sentences: LRP2_SENTENCES },
    };
  }

  async dispose(): Promise<void> {
    for (const m of this.models.values()) await m.dispose();
    this.models.clear();
  }
}
