/**
 * User corpus files with one text per line: JSONL `{"lang": "fr", "text": "…"}` or TSV
 * `lang<TAB>text`. Languages may be interleaved; the nth line of a language is its nth text, so
 * two languages' nth texts are a translation pair when the file is parallel.
 */
import { extname } from 'node:path';
import { UserError } from '../errors';
import { readLines } from './lines';
import { CODE_LANGUAGE } from './codeCorpus';
import { normalizeLanguage, zipTexts, type Corpus, type CorpusSummary, type CorpusText } from './types';

export type LineFormat = 'jsonl' | 'tsv';

export function lineFormatOf(file: string): LineFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.tsv') return 'tsv';
  return undefined;
}

function language(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new UserError(where, 'missing language code');
  // Source code as a pseudo-language: its perplexity is a column beside the languages' (θ^Prog).
  if (raw.trim().toLowerCase() === CODE_LANGUAGE) return CODE_LANGUAGE;
  const lang = normalizeLanguage(raw);
  if (!lang) throw new UserError(where, `unknown language code ${JSON.stringify(raw)} (use ISO 639-1 codes such as fr, FLORES codes such as fra_Latn, or code for source code)`);
  return lang;
}

function text(raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw new UserError(where, 'missing "text" string');
  if (raw.trim() === '') throw new UserError(where, 'empty text');
  return raw;
}

/** One line → a text, or null for a blank line (not a record). */
export function parseLine(line: string, format: LineFormat, where: string): CorpusText | null {
  if (line.trim() === '') return null;
  if (format === 'tsv') {
    const tab = line.indexOf('\t');
    if (tab < 0) throw new UserError(where, 'expected lang<TAB>text');
    return { lang: language(line.slice(0, tab), where), text: text(line.slice(tab + 1), where), where };
  }
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new UserError(where, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(where, 'expected a JSON object {"lang": …, "text": …}');
  const o = v as Record<string, unknown>;
  return { lang: language(o.lang, where), text: text(o.text, where), where };
}

export class LineCorpus implements Corpus {
  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly format: LineFormat,
  ) {}

  async *all(signal?: AbortSignal): AsyncGenerator<CorpusText> {
    for await (const { line, n } of readLines(this.file, signal)) {
      const t = parseLine(line, this.format, `${this.file}:${n}`);
      if (t) yield t;
    }
  }

  async scan(signal?: AbortSignal): Promise<CorpusSummary> {
    const counts = new Map<string, number>();
    for await (const t of this.all(signal)) counts.set(t.lang, (counts.get(t.lang) ?? 0) + 1);
    if (counts.size === 0) throw new UserError(this.file, 'no texts (empty corpus)');
    return { languages: [...counts.keys()], counts };
  }

  async *texts(lang: string, signal?: AbortSignal): AsyncGenerator<CorpusText> {
    for await (const t of this.all(signal)) if (t.lang === lang) yield t;
  }

  parallel(src: string, tgt: string, signal?: AbortSignal): AsyncIterable<[CorpusText, CorpusText]> {
    return zipTexts(this.texts(src, signal), this.texts(tgt, signal));
  }
}
