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
import type { PruningSettings } from '../../shared/prompt/types';
import type { CalibrationInput, MagnitudeScope, NM, PruneCalibration, PruneMethod, PruneMode, PrunedVariant } from './types';

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
  /** Corpus for mono:/mt: sources (FLORES folder, .jsonl, .tsv of the user's parallel data); default UDHR. */
  corpus?: string;
  /** magnitude: one threshold per matrix (default) or per row. */
  magnitudeScope?: MagnitudeScope;
  /** methods.md §3 referenceCompatible: count padding as the reference code does. */
  referenceCompatible?: boolean;
  /** Folder relative files and code: globs resolve against. */
  cwd?: string;
}

/** The engine's prune settings for a prompt's `polyglot.pruning` (N:M sets the sparsity itself). */
export function pruneSettingsFromPrompt(p: PruningSettings, cwd: string | undefined, calibrationSequences?: number): PruneSettings {
  return {
    method: p.method,
    ...(p.nm ? { nm: p.nm } : { sparsity: p.sparsity }),
    mode: p.mode,
    seed: p.seed,
    ...(p.calibration !== undefined ? { calibration: p.calibration } : {}),
    ...(p.scope !== undefined ? { magnitudeScope: p.scope } : {}),
    ...(p.referenceCompatible ? { referenceCompatible: true } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    ...(calibrationSequences ? { calibrationSequences } : {}),
  };
}

export interface PruneJobOptions extends JobOptions {
  /** Called once per calibration shortfall (fewer texts than sequences asked, …). */
  onWarning?: (message: string) => void;
}

export async function pruneFromSources(model: LoadedModel, name: string, s: PruneSettings, o: PruneJobOptions = {}): Promise<PrunedVariant> {
  const nm = typeof s.nm === 'string' ? parseNM(s.nm) : s.nm;
  const cal = await buildPruneCalibration(model, s, o);
  return createVariant(model, name, { method: s.method, sparsity: s.sparsity, mode: s.mode, nm, seed: s.seed, magnitudeScope: s.magnitudeScope, referenceCompatible: s.referenceCompatible }, cal, o);
}

/** The calibration sets a method needs, by role, built from the settings' sources. */
export async function buildPruneCalibration(model: LoadedModel, s: PruneSettings, o: PruneJobOptions = {}): Promise<PruneCalibration> {
  // Cap the length at the model's context so every sequence fits (as the features job does).
  const length = Math.min(s.calibrationLength ?? 512, model.cfg.maxPositions);
  const build = async (source: string): Promise<CalibrationInput> => {
    const set = await buildCalibration(source, model.tokenizer, {
      sequences: s.calibrationSequences,
      length,
      shots: s.calibrationShots,
      seed: s.seed,
      cwd: s.cwd,
      ...(s.corpus !== undefined ? { corpus: s.corpus } : {}),
      signal: o.signal,
    });
    for (const w of set.warnings ?? []) o.onWarning?.(w);
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
