/**
 * Checks a pruning request against the model before any work starts, so every bad input is one
 * UserError naming the setting, and nothing is computed or written.
 */
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { MagnitudeScope, NM, PruneCalibration, PruneMethod, PruneMode, PruneSpec } from './types';

export const PRUNE_METHODS: readonly PruneMethod[] = ['wanda', 'magnitude', 'random', 'prog'];
export const PRUNE_MODES: readonly PruneMode[] = ['sequential', 'oneshot'];
/** Without an explicit seed, random pruning uses 0 — and records it, so every run is reproducible. */
export const DEFAULT_SEED = 0;

export interface ResolvedSpec {
  method: PruneMethod;
  sparsity: number;
  mode?: PruneMode;
  nm?: NM;
  seed: number;
  magnitudeScope?: MagnitudeScope;
  referenceCompatible: boolean;
}

/** "2:4" → {n: 2, m: 4}; N ≥ 1 and N < M. */
export function parseNM(text: string, subject = 'nm'): NM {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(subject, `expected N:M such as 2:4, got ${JSON.stringify(text)}`);
  const nm = { n: Number(m[1]), m: Number(m[2]) };
  checkNM(nm, subject);
  return nm;
}

function checkNM(nm: NM, subject: string): void {
  if (!(Number.isInteger(nm.n) && Number.isInteger(nm.m) && nm.n >= 1 && nm.n < nm.m)) {
    throw new UserError(subject, `N:M needs whole numbers with 1 ≤ N < M, got ${nm.n}:${nm.m}`);
  }
}

export function checkSparsity(s: number, subject = 'sparsity'): void {
  if (!(typeof s === 'number' && s > 0 && s < 1)) throw new UserError(subject, `must be a number strictly between 0 and 1, got ${s}`);
}

export function resolveSpec(model: LoadedModel, spec: PruneSpec, cal: PruneCalibration): ResolvedSpec {
  if (!PRUNE_METHODS.includes(spec.method)) throw new UserError('method', `unknown pruning method ${JSON.stringify(spec.method)} (${PRUNE_METHODS.join(', ')})`);
  const seed = spec.seed ?? DEFAULT_SEED;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new UserError('seed', `must be an integer in 0..4294967295, got ${seed}`);
  let sparsity = spec.sparsity;
  if (spec.nm) {
    checkNM(spec.nm, 'nm');
    if (spec.method === 'random') throw new UserError('nm', 'random pruning zeroes each weight independently; N:M applies to wanda, magnitude and prog');
    const implied = spec.nm.n / spec.nm.m;
    if (sparsity !== undefined && Math.abs(sparsity - implied) > 1e-12) {
      throw new UserError('sparsity', `${sparsity} contradicts N:M ${spec.nm.n}:${spec.nm.m} (which means ${implied}); give one or make them agree`);
    }
    sparsity = implied;
    for (const w of model.specs) {
      if (w.linear && w.shape[1]! % spec.nm.m !== 0) {
        throw new UserError('nm', `M=${spec.nm.m} does not divide d_in ${w.shape[1]} of ${w.name}`);
      }
    }
  }
  if (sparsity === undefined) throw new UserError('sparsity', 'is required');
  checkSparsity(sparsity);
  if (spec.mode !== undefined && !PRUNE_MODES.includes(spec.mode)) throw new UserError('mode', `unknown mode ${JSON.stringify(spec.mode)} (sequential, oneshot)`);
  const calibrated = spec.method === 'wanda' || spec.method === 'prog';
  if (spec.method === 'wanda' && !cal.calibration) throw new UserError('calibration', 'wanda needs a calibration set');
  if (spec.method === 'prog' && !cal.translation) throw new UserError('calibration', 'prog needs a translation calibration set (θ_mt)');
  if (spec.method === 'prog' && !cal.code) throw new UserError('code-calibration', 'prog needs a code calibration set');
  if (spec.magnitudeScope !== undefined && spec.magnitudeScope !== 'matrix' && spec.magnitudeScope !== 'row') {
    throw new UserError('scope', `must be matrix or row, got ${JSON.stringify(spec.magnitudeScope)}`);
  }
  if (spec.magnitudeScope !== undefined && spec.method !== 'magnitude') throw new UserError('scope', `applies to magnitude pruning only, not ${spec.method}`);
  return {
    method: spec.method,
    sparsity,
    mode: calibrated ? (spec.mode ?? 'sequential') : undefined,
    nm: spec.nm,
    seed,
    ...(spec.method === 'magnitude' && !spec.nm ? { magnitudeScope: spec.magnitudeScope ?? 'matrix' } : {}),
    referenceCompatible: spec.referenceCompatible === true,
  };
}
