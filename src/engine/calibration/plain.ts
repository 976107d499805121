/**
 * Plain calibration sources, one text per sequence, truncated to `length`:
 * - a `.jsonl` file of {"text": …} (other fields ignored) or a `.txt` file (one text per line);
 * - `code:GLOB`: every matching source file is one text (files relative to `cwd`).
 * When there are more texts than `sequences`, a seeded uniform sample is taken (in source order).
 */
import { extname, resolve } from 'node:path';
import { UserError } from '../errors';
import { readAt, withUserFile } from '../io/userFile';
import { MAX_CHARS_PER_TOKEN, type ModelTokenizer } from '../tokenizer/tokenizer';
import { readLines } from '../corpus/lines';
import { globFiles } from './glob';
import { mulberry32, reservoir } from './random';
import type { CalibrationOptions, CalibrationSet } from './types';

/** The first `cap` bytes of a regular file as UTF-8 (a character cut at the end decodes as U+FFFD). */
function readPrefix(file: string, cap: number): string {
  return withUserFile(file, 'data', ({ fd, size }) => readAt(file, fd, 0, Math.min(cap, size)).toString('utf8'));
}

type Settings = Required<Pick<CalibrationOptions, 'sequences' | 'length' | 'seed'>> & CalibrationOptions;

async function* fileTexts(file: string, signal?: AbortSignal): AsyncGenerator<string> {
  const jsonl = ['.jsonl', '.ndjson'].includes(extname(file).toLowerCase());
  for await (const { line, n } of readLines(file, signal)) {
    if (line.trim() === '') continue;
    if (!jsonl) {
      yield line;
      continue;
    }
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new UserError(`${file}:${n}`, `not valid JSON (${(e as Error).message})`);
    }
    const text = (v as { text?: unknown } | null)?.text;
    if (typeof text !== 'string' || text.trim() === '') throw new UserError(`${file}:${n}`, 'expected {"text": "…"} with a non-empty text');
    yield text;
  }
}

function finish(source: string, kind: 'text' | 'code', texts: string[], tokenizer: ModelTokenizer, o: Settings): CalibrationSet {
  const sequences = texts.map((t) => tokenizer.encodeTruncated(t, o.length)).filter((s) => s.length > 0);
  if (sequences.length === 0) throw new UserError(source, 'empty calibration set (no texts)');
  const warnings = sequences.length < o.sequences ? [`${source}: only ${sequences.length} ${kind === 'code' ? 'files' : 'texts'}, fewer than the ${o.sequences} sequences asked; using ${sequences.length}`] : [];
  return { source, kind, label: source, languages: [], sequences, tokens: sequences.reduce((n, s) => n + s.length, 0), warnings };
}

export async function fileCalibration(source: string, tokenizer: ModelTokenizer, o: Settings): Promise<CalibrationSet> {
  const file = resolve(o.cwd ?? process.cwd(), source);
  const ext = extname(file).toLowerCase();
  if (!['.jsonl', '.ndjson', '.txt'].includes(ext)) {
    throw new UserError(source, 'unknown calibration source (use mono:LANG, mt:SRC-TGT, code:GLOB, or a .jsonl {"text"} / .txt file)');
  }
  const texts = await reservoir(fileTexts(file, o.signal), o.sequences, mulberry32(o.seed));
  return finish(source, 'text', texts, tokenizer, o);
}

export async function codeCalibration(source: string, glob: string, tokenizer: ModelTokenizer, o: Settings): Promise<CalibrationSet> {
  if (!glob) throw new UserError(source, 'expected code:GLOB, e.g. code:**/*.py');
  const cwd = o.cwd ?? process.cwd();
  const files = globFiles(glob, cwd);
  if (files.length === 0) throw new UserError(source, `no files match ${glob} under ${cwd}`);
  async function* contents(): AsyncGenerator<string> {
    for (const f of files) {
      // Only a prefix of each file is read (MAX_CHARS_PER_TOKEN bytes per token ≥ that many
      // characters), so a huge file costs what its prefix costs and truncation is unaffected.
      const text = readPrefix(f, o.length * MAX_CHARS_PER_TOKEN);
      if (text.trim()) yield text;
    }
  }
  const texts = await reservoir(contents(), o.sequences, mulberry32(o.seed));
  return finish(source, 'code', texts, tokenizer, o);
}
