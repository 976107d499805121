/**
 * buildCalibration(source, tokenizer, opts): the one entry point for calibration sets, shared by
 * translation features (features/) and pruning (pruning/). Sources:
 *   mono:LANG        "{Lang}: {sent}{eos}" × shots         (methods.md §3)
 *   mt:SRC-TGT       "{Src}: {s}{eos}{Tgt}: {t}{eos}" × shots, from a parallel corpus
 *   code:GLOB        source files matching GLOB under opts.cwd
 *   FILE.jsonl/.txt  one {"text"} record / line per sequence
 */
import { UserError } from '../errors';
import type { ModelTokenizer } from '../tokenizer';
import { codeCalibration, fileCalibration } from './plain';
import { monoCalibration, mtCalibration } from './translation';
import { DEFAULT_LENGTH, DEFAULT_SEED, DEFAULT_SEQUENCES, DEFAULT_SHOTS, type CalibrationOptions, type CalibrationSet } from './types';

export * from './types';

function positiveInt(v: number, subject: string): number {
  if (!Number.isInteger(v) || v < 1) throw new UserError(subject, `must be a positive integer, got ${v}`);
  return v;
}

export async function buildCalibration(source: string, tokenizer: ModelTokenizer, opts: CalibrationOptions = {}): Promise<CalibrationSet> {
  const o = {
    ...opts,
    sequences: positiveInt(opts.sequences ?? DEFAULT_SEQUENCES, 'calibration sequences'),
    length: positiveInt(opts.length ?? DEFAULT_LENGTH, 'calibration length'),
    shots: positiveInt(opts.shots ?? DEFAULT_SHOTS, 'calibration shots'),
    seed: opts.seed ?? DEFAULT_SEED,
  };
  if (!Number.isInteger(o.seed)) throw new UserError('calibration seed', `must be an integer, got ${o.seed}`);
  const s = source.trim();
  if (s.startsWith('mono:')) return monoCalibration(s, s.slice(5), tokenizer, o);
  if (s.startsWith('mt:')) return mtCalibration(s, s.slice(3), tokenizer, o);
  if (s.startsWith('code:')) return codeCalibration(s, s.slice(5), tokenizer, o);
  return fileCalibration(s, tokenizer, o);
}

/** `NAME=SOURCE` (CLI --calibration); a bare `mono:fr` / `mt:fr-en` names itself `fr` / `fr-en`. */
export function parseCalibrationArg(arg: string, subject = '--calibration'): { name: string; source: string } {
  const eq = arg.indexOf('=');
  if (eq < 0) {
    const m = /^(?:mono|mt):(.+)$/.exec(arg);
    if (m) return { name: m[1]!, source: arg };
    throw new UserError(subject, `expected NAME=SOURCE (e.g. fr-en=mt:fr-en), got ${JSON.stringify(arg)}`);
  }
  const name = arg.slice(0, eq).trim();
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UserError(subject, `name ${JSON.stringify(name)} may only use letters, digits, _ . - (it names tensors)`);
  return { name, source: arg.slice(eq + 1).trim() };
}
