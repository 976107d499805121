/**
 * FLORES-200 folders: `<dir>/<split>/<lang_Script>.<split>` (the released layout, e.g.
 * flores200_dataset/devtest/fra_Latn.devtest) or the files directly in `<dir>` (`fr.devtest`,
 * `fra_Latn.dev`). Line n of every file is the same sentence, so the corpus is parallel.
 *
 * Split: files ending in .devtest when any exist (the split papers report on), else .dev; point
 * at `<dir>/dev` to force dev. File names map to ISO 639-1 (fra_Latn → fr); languages without a
 * two-letter code are skipped (FLORES has ~200, most analyses pick a few). When several scripts
 * map to one code, the standard script wins (zho_Hans over zho_Hant, arb_Arab over arb_Latn),
 * otherwise the alphabetically first file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { readLines } from './lines';
import { normalizeLanguage, zipTexts, type Corpus, type CorpusSummary, type CorpusText } from './types';

const SPLITS = ['devtest', 'dev'] as const;
const PREFERRED_SCRIPT: Readonly<Record<string, string>> = { zh: 'Hans', ar: 'Arab', ks: 'Arab', mn: 'Cyrl', pa: 'Guru', sd: 'Arab', ms: 'Latn' };

/** Language code → file, for the chosen split. */
export function floresFiles(dir: string): Map<string, string> {
  let folder = dir;
  let names = readdirSync(folder);
  let split = SPLITS.find((s) => names.some((n) => n.endsWith(`.${s}`)));
  if (!split) {
    const sub = SPLITS.find((s) => existsSync(join(dir, s)) && statSync(join(dir, s)).isDirectory());
    if (!sub) throw new UserError(dir, 'not a FLORES-200 folder (no *.devtest / *.dev files and no devtest/ or dev/ subfolder)');
    folder = join(dir, sub);
    names = readdirSync(folder);
    split = sub;
  }
  const suffix = `.${split}`;
  const byLang = new Map<string, string>();
  for (const name of names.filter((n) => n.endsWith(suffix)).sort()) {
    const code = name.slice(0, -suffix.length);
    const lang = normalizeLanguage(code);
    if (!lang) continue;
    const prev = byLang.get(lang);
    const script = code.split('_')[1];
    if (!prev || (script !== undefined && script === PREFERRED_SCRIPT[lang])) byLang.set(lang, join(folder, name));
  }
  if (byLang.size === 0) throw new UserError(folder, `no *${suffix} file names a language with an ISO 639-1 code (e.g. fra_Latn${suffix})`);
  return byLang;
}

export class FloresCorpus implements Corpus {
  private readonly files: Map<string, string>;

  constructor(readonly name: string) {
    this.files = floresFiles(name);
  }

  private file(lang: string): string {
    const f = this.files.get(lang);
    if (!f) throw new UserError(this.name, `has no file for language ${lang} (it has ${[...this.files.keys()].join(', ')})`);
    return f;
  }

  async scan(signal?: AbortSignal): Promise<CorpusSummary> {
    const counts = new Map<string, number>();
    for (const lang of this.files.keys()) {
      let n = 0;
      for await (const _ of this.texts(lang, signal)) n++;
      counts.set(lang, n);
    }
    return { languages: [...this.files.keys()], counts };
  }

  async *texts(lang: string, signal?: AbortSignal): AsyncGenerator<CorpusText> {
    const file = this.file(lang);
    for await (const { line, n } of readLines(file, signal)) {
      // A skipped line would shift every later sentence against the other languages.
      if (line.trim() === '') throw new UserError(`${file}:${n}`, 'empty line (FLORES files are line-aligned; every line must hold a sentence)');
      yield { lang, text: line, where: `${file}:${n}` };
    }
  }

  parallel(src: string, tgt: string, signal?: AbortSignal): AsyncIterable<[CorpusText, CorpusText]> {
    return zipTexts(this.texts(src, signal), this.texts(tgt, signal));
  }
}
