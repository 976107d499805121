/**
 * buildCalibration(source, tokenizer, opts): the one entry point for calibration sets, shared by
 * translation features (features/) and pruning (pruning/). Sources (parsed by
 * shared/calibrationSource.ts, the parser the prompt checker uses too):
 *   mono:LANG        "{Lang}: {sent}{eos}" × shots         (methods.md §3)
 *   udhr:L1,L2       the same, from the built-in UDHR whatever the corpus option says
 *   mt:SRC-TGT       "{Src}: {s}{eos}{Tgt}: {t}{eos}" × shots, from a parallel corpus
 *   code:GLOB        source files matching GLOB under opts.cwd
 *   FILE.jsonl/.txt  one {"text"} record / line per sequence
 *   A+B              a mix: the sequences split evenly between the parts
 */
import { UserError } from '../errors';
import { parseCalibrationSource, splitSequences, type CalibrationPart } from '../../shared/calibrationSource';
import type { ModelTokenizer } from '../tokenizer/tokenizer';
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
  const parsed = parseCalibrationSource(s);
  if (!parsed.ok) throw new UserError(s, parsed.error.startsWith(s) ? parsed.error.slice(s.length).replace(/^: /, '') : parsed.error);
  const counts = splitSequences(o.sequences, parsed.parts.length);
  const sets: CalibrationSet[] = [];
  for (const [i, part] of parsed.parts.entries()) {
    if (counts[i] === 0) throw new UserError(s, `${parsed.parts.length} sources need at least ${parsed.parts.length} sequences, ${o.sequences} asked`);
    sets.push(await buildPart(part, tokenizer, { ...o, sequences: counts[i]! }));
  }
  return sets.length === 1 ? { ...sets[0]!, source: s } : mix(s, sets);
}

function buildPart(p: CalibrationPart, tokenizer: ModelTokenizer, o: Parameters<typeof monoCalibration>[3]): Promise<CalibrationSet> {
  switch (p.kind) {
    case 'mono':
      return monoCalibration(p.text, p.lang, tokenizer, p.udhr ? { ...o, corpus: undefined } : o);
    case 'mt':
      return mtCalibration(p.text, `${p.src}-${p.tgt}`, tokenizer, o);
    case 'code':
      return codeCalibration(p.text, p.glob, tokenizer, o);
    case 'file':
      return fileCalibration(p.path, tokenizer, o);
  }
}

/** A mix keeps every part's sequences in order; it is `mt` when every part is, else `mono` when every part is, else `text`. */
function mix(source: string, sets: CalibrationSet[]): CalibrationSet {
  const kinds = new Set(sets.map((x) => x.kind));
  const kind = kinds.size === 1 ? sets[0]!.kind : 'text';
  const sequences = sets.flatMap((x) => x.sequences);
  return {
    source,
    kind,
    label: sets.map((x) => x.label).join(' + '),
    languages: [...new Set(sets.flatMap((x) => x.languages))],
    sequences,
    tokens: sequences.reduce((n, q) => n + q.length, 0),
    warnings: sets.flatMap((x) => x.warnings ?? []),
  };
}

/** `NAME=SOURCE` (CLI --calibration); a bare `mono:fr` / `udhr:fr` / `mt:fr-en` names itself `fr` / `fr` / `fr-en`. */
export function parseCalibrationArg(arg: string, subject = '--calibration'): { name: string; source: string } {
  const eq = arg.indexOf('=');
  if (eq < 0) {
    const m = /^(?:mono|udhr|mt):([^+,]+)$/.exec(arg);
    if (m) return { name: m[1]!, source: arg };
    throw new UserError(subject, `expected NAME=SOURCE (e.g. fr-en=mt:fr-en), got ${JSON.stringify(arg)}`);
  }
  const name = arg.slice(0, eq).trim();
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UserError(subject, `name ${JSON.stringify(name)} may only use letters, digits, _ . - (it names tensors)`);
  return { name, source: arg.slice(eq + 1).trim() };
}
