/**
 * Turns a corpus spec into a Corpus: `udhr:en,fr,ja` (built in), a FLORES-200 folder, or a
 * JSONL / TSV file. Paths are resolved against `cwd`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors';
import { FloresCorpus } from './flores';
import { LineCorpus, lineFormatOf } from './lineCorpus';
import type { Corpus, CorpusSummary } from './types';
import { UdhrCorpus } from './udhrCorpus';

export const CORPUS_HELP = 'udhr:CODES (e.g. udhr:en,fr,ja), a .jsonl file of {"lang","text"}, a .tsv file of lang<TAB>text, or a FLORES-200 folder';

export function openCorpus(spec: string, cwd = process.cwd()): Corpus {
  if (spec.startsWith('udhr:')) return new UdhrCorpus(spec);
  const path = resolve(cwd, spec);
  if (!existsSync(path)) throw new UserError(spec, `no such file or folder (a corpus is ${CORPUS_HELP})`);
  if (statSync(path).isDirectory()) return new FloresCorpus(path);
  const format = lineFormatOf(path);
  if (!format) throw new UserError(spec, `unknown corpus format (a corpus is ${CORPUS_HELP})`);
  return new LineCorpus(spec, path, format);
}

/**
 * The languages to analyse: all of the corpus's, or the `wanted` ones in the given order, each of
 * which must have at least one text.
 */
export function chooseLanguages(corpus: Corpus, summary: CorpusSummary, wanted: string[] | undefined, subject = '--languages'): string[] {
  const langs = wanted && wanted.length ? wanted : summary.languages;
  for (const l of langs) {
    if (!summary.counts.get(l)) throw new UserError(subject, `corpus ${corpus.name} has no text in language ${l} (it has ${summary.languages.join(', ')})`);
  }
  const dup = langs.find((c, i) => langs.indexOf(c) !== i);
  if (dup) throw new UserError(subject, `language ${dup} is listed twice`);
  return langs;
}
