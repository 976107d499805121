/**
 * What `eval --models` names: a checkpoint folder (a pruned export is one too), `default` (the
 * embedded model), or a variant of either, `MODEL@SPEC`:
 *   MODEL@wanda:CALIBRATION:S         e.g. default@wanda:mt:fr-en:0.5
 *   MODEL@prog:TRANSLATION+CODE:S     e.g. default@prog:mt:fr-en+code:src/**\/*.ts:0.5
 *   MODEL@magnitude:S, MODEL@random:S
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

export type VariantSpec = { kind: 'prune'; method: PruneMethod; calibration?: string; codeCalibration?: string; sparsity: number };

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

  async dispose(): Promise<void> {
    for (const m of this.models.values()) await m.dispose();
    this.models.clear();
  }
}
