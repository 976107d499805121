/**
 * Pruning from calibration SOURCES (mono:fr, mt:fr-en, code:GLOB, a .jsonl/.txt file): what the
 * CLI `prune` command and the editor's `polyglot.pruning` settings call. Builds the calibration
 * sets with the shared builder (calibration/index.ts), then createVariant.
 */
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import { buildCalibration } from '../calibration';
import { createVariant } from './prune';
import { parseNM } from './validate';
import type { CalibrationInput, NM, PruneCalibration, PruneMethod, PruneMode, PrunedVariant } from './types';

export interface PruneSettings {
  method: PruneMethod;
  sparsity?: number;
  mode?: PruneMode;
  /** "2:4" or {n, m}. */
  nm?: string | NM;
  /** Pruning seed (random) and calibration sampling seed; default 0. */
  seed?: number;
  /** wanda: one source; prog: {translation, code}, or a string for the translation set plus `codeCalibration`. */
  calibration?: string | { translation: string; code: string };
  codeCalibration?: string;
  calibrationSequences?: number;
  calibrationLength?: number;
  calibrationShots?: number;
  /** Folder relative files and code: globs resolve against. */
  cwd?: string;
}

export async function pruneFromSources(model: LoadedModel, name: string, s: PruneSettings, o: JobOptions = {}): Promise<PrunedVariant> {
  const nm = typeof s.nm === 'string' ? parseNM(s.nm) : s.nm;
  const cal = await buildPruneCalibration(model, s, o);
  return createVariant(model, name, { method: s.method, sparsity: s.sparsity, mode: s.mode, nm, seed: s.seed }, cal, o);
}

/** The calibration sets a method needs, by role, built from the settings' sources. */
export async function buildPruneCalibration(model: LoadedModel, s: PruneSettings, o: JobOptions = {}): Promise<PruneCalibration> {
  // Cap the length at the model's context so every sequence fits (as the features job does).
  const length = Math.min(s.calibrationLength ?? 512, model.cfg.maxPositions);
  const build = async (source: string): Promise<CalibrationInput> => {
    const set = await buildCalibration(source, model.tokenizer, {
      sequences: s.calibrationSequences,
      length,
      shots: s.calibrationShots,
      seed: s.seed,
      cwd: s.cwd,
      signal: o.signal,
    });
    return { source: set.source, sequences: set.sequences };
  };
  const cal: PruneCalibration = {};
  const needs = s.method === 'wanda' || s.method === 'prog';
  if (needs && s.calibration === undefined) throw new UserError('calibration', `${s.method} needs a calibration source (e.g. mt:fr-en, mono:ja, texts.jsonl)`);
  if (s.method === 'wanda') {
    if (typeof s.calibration !== 'string') throw new UserError('calibration', 'wanda takes one calibration source');
    cal.calibration = await build(s.calibration);
  } else if (s.method === 'prog') {
    const roles = typeof s.calibration === 'string' ? { translation: s.calibration, code: s.codeCalibration } : s.calibration!;
    if (!roles.code) throw new UserError('code-calibration', 'prog needs a code calibration source (e.g. code:**/*.py)');
    cal.translation = await build(roles.translation);
    cal.code = await build(roles.code);
  }
  return cal;
}
