/**
 * What `eval --models` and `polyglot.eval.models` name (syntax: shared/modelSpec.ts): a
 * checkpoint folder, `default`, or a variant MODEL@SPEC (pruning masks, or LRP2 shifts, lrp2.ts).
 * A variant is a set of masks over the base model's weights (pruning/), never a copy: every
 * variant of one base shares one LoadedModel.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import { LoadedModel, type ModelOptions } from '../model/model';
import { defaultModelDir } from '../paths';
import { pruneFromSources, type PruneSettings } from '../pruning';
import { parseVariantText, splitModelEntry, type VariantSpec } from '../../shared/modelSpec';
import type { EvalSubject } from './types';
import { normalizeLanguage } from '../corpus/types';
import { collect, openEvalCorpora } from './data';
import { udhrLanguages } from '../corpus/udhr';
import { languageVectors, lrp2Shifts, searchLrp2, type Lrp2Search } from './lrp2';

export type { VariantSpec } from '../../shared/modelSpec';

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
  const r = parseVariantText(text, normalizeLanguage);
  if (!r.ok) throw new UserError(subject, r.error);
  return r.value;
}

/** `roots`: further folders a relative base is looked up in after `cwd` (the editor's workspace folders). */
export function parseModelSpec(spec: string, cwd = process.cwd(), roots: readonly string[] = []): ModelSpec {
  const s = spec.trim();
  if (!s) throw new UserError('--models', 'empty model entry');
  const { base, variant } = splitModelEntry(s);
  const dir = [cwd, ...roots].map((r) => resolveModelDir(base, r)).find((d) => existsSync(d)) ?? resolveModelDir(base, cwd);
  if (!existsSync(dir)) throw new UserError(s, `no checkpoint folder ${base === 'default' ? dir : base}`);
  return { spec: s, dir, variant: variant === undefined ? undefined : parseVariantSpec(variant, s) };
}

export interface SubjectSettings extends ModelOptions {
  cwd?: string;
  /** Pruning and calibration sampling seed (default 0). */
  seed?: number;
  calibrationSequences?: number;
  calibrationLength?: number;
  /** Called once per calibration shortfall of a pruning variant (as `prune` warns); also kept in the subject's info. */
  onWarning?: (message: string) => void;
}

/** Loads each base checkpoint once and builds variants as masks on it. */
export class SubjectLoader {
  private readonly models = new Map<string, LoadedModel>();
  /** Models lent by the caller (the engine process's loaded model): used, never disposed; the variants built on them are removed again. */
  private readonly borrowed = new Map<LoadedModel, string[]>();

  constructor(private readonly settings: SubjectSettings = {}) {}

  /** Uses `model` for its folder instead of loading the checkpoint again. */
  adopt(model: LoadedModel): void {
    this.models.set(model.ckpt.dir, model);
    this.borrowed.set(model, []);
  }

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
    const warnings: string[] = [];
    const variant = await pruneFromSources(model, spec.spec, this.pruneSettings(v), { ...o, onWarning: (m) => { warnings.push(m); this.settings.onWarning?.(`${spec.spec}: ${m}`); } });
    this.borrowed.get(model)?.push(spec.spec);
    const i = variant.info;
    return { name: spec.spec, model, variant, info: { method: i.method, targetSparsity: i.targetSparsity, achievedSparsity: i.achievedSparsity, seed: i.seed, calibration: i.calibration, ...(warnings.length ? { warnings } : {}) } };
  }

  /** The pruning a variant entry asks for, with the loader's seed and calibration sizes. */
  pruneSettings(v: Exclude<VariantSpec, { kind: 'lrp2' }>): PruneSettings {
    return {
      method: v.method,
      sparsity: v.sparsity,
      seed: this.settings.seed,
      calibration: v.calibration,
      codeCalibration: v.codeCalibration,
      calibrationSequences: this.settings.calibrationSequences,
      calibrationLength: this.settings.calibrationLength,
      cwd: this.settings.cwd,
    };
  }

  private async lrp2(spec: ModelSpec, model: LoadedModel, v: Extract<VariantSpec, { kind: 'lrp2' }>, o: JobOptions): Promise<EvalSubject> {
    if (v.layers && v.layers[1] > model.cfg.nLayers) throw new UserError(spec.spec, `hidden state ${v.layers[1]} does not exist (0-${model.cfg.nLayers})`);
    if (v.lang === undefined) return lrp2EachLanguage(spec, model);
    const { shifts, info } = await lrp2For(model, v.lang, v.layers, undefined, o);
    return { name: spec.spec, model, shifts, info: { method: 'lrp2', language: v.lang, ...info, sentences: LRP2_SENTENCES } };
  }

  async dispose(): Promise<void> {
    for (const m of this.models.values()) {
      const built = this.borrowed.get(m);
      if (built) built.forEach((name) => m.variants.delete(name));
      else await m.dispose();
    }
    this.models.clear();
    this.borrowed.clear();
  }
}

/** UDHR training sentences of a language (the language vectors' text). */
async function lrp2Texts(lang: string, o: JobOptions): Promise<string[]> {
  const { dev } = openEvalCorpora(`udhr:${lang}`);
  return (await collect(dev!.texts(lang, o.signal), LRP2_SENTENCES)).map((t) => t.text);
}

/** LRP2 shifts towards English for `lang`: language vectors from UDHR, (a, b) given or searched on UDHR T→English pairs. */
async function lrp2For(model: LoadedModel, lang: string, layers: [number, number] | undefined, vE: Float32Array[] | undefined, o: JobOptions): Promise<{ shifts: Record<number, Float32Array>; info: Record<string, unknown> }> {
  const vT = await languageVectors(model, await lrp2Texts(lang, o), o);
  const en = vE ?? (await languageVectors(model, await lrp2Texts('en', o), o));
  let search: Lrp2Search | undefined;
  if (!layers) {
    const { dev } = openEvalCorpora(`udhr:${lang},en`);
    const pairs = (await collect(dev!.parallel(lang, 'en', o.signal), LRP2_SEARCH_PAIRS)).map(([s, e]): [string, string] => [s.text, e.text]);
    search = await searchLrp2(model, lang, pairs, vT, en, o);
    layers = [search.a, search.b];
  }
  return {
    shifts: lrp2Shifts(vT, en, layers[0], layers[1]),
    info: { layers, searched: search !== undefined, ...(search ? { search: search.scores.slice(0, 5), objective: 'mean log-probability of English dev translations' } : {}) },
  };
}

/**
 * `MODEL@lrp2`: the paper's LRP2 row — each evaluated language gets its own vectors and searched
 * (a, b), built when a task first asks for it; English and languages without UDHR text (code)
 * run unchanged. results.json records each language's choice under `info.perLanguage`.
 */
function lrp2EachLanguage(spec: ModelSpec, model: LoadedModel): EvalSubject {
  const perLanguage: Record<string, unknown> = {};
  const built = new Map<string, Promise<EvalSubject>>();
  let vE: Promise<Float32Array[]> | undefined;
  const subject: EvalSubject = {
    name: spec.spec,
    model,
    info: { method: 'lrp2', language: 'each evaluated language', perLanguage, sentences: LRP2_SENTENCES },
  };
  const plain: EvalSubject = { name: spec.spec, model, info: subject.info };
  subject.perLanguage = (lang, o) => {
    const code = normalizeLanguage(lang) ?? lang;
    let s = built.get(code);
    if (!s) {
      if (code === 'en' || !udhrLanguages().includes(code)) {
        perLanguage[code] = code === 'en' ? 'unchanged (English)' : 'unchanged (no UDHR text for a language vector)';
        s = Promise.resolve(plain);
      } else {
        s = (async () => {
          vE ??= lrp2Texts('en', o).then((t) => languageVectors(model, t, o));
          const { shifts, info } = await lrp2For(model, code, undefined, await vE, o);
          perLanguage[code] = info;
          return { name: spec.spec, model, shifts, info: subject.info };
        })();
      }
      built.set(code, s);
    }
    return s;
  };
  return subject;
}
