/**
 * `udhr:en,fr,ja`: paragraphs of the Universal Declaration of Human Rights (udhr.ts), one text
 * per paragraph. Parallel pairs use the paragraph ids present in both languages with the same
 * block structure (udhrParallelIds), so a pair is always a real translation.
 */
import { UserError } from '../errors';
import { UDHR_LANGUAGES, udhrFile, udhrLanguages, udhrParagraphs, udhrParallelIds } from './udhr';
import { iso639_1 } from './iso639';
import type { Corpus, CorpusSummary, CorpusText } from './types';

/**
 * The language label of a code: ISO 639-1 as everywhere else in the project. A raw UDHR file code
 * (`fra`, `deu_1996`, `cmn_hans`) is labelled with its 639-1 code (`fr`, `de`, `zh`) when it has
 * one, so `udhr:eng,fra` and `udhr:en,fr` name languages alike; codes without one stay as given.
 */
function labelOf(code: string): string {
  if (UDHR_LANGUAGES[code]) return code;
  return iso639_1(code) ?? code;
}

export class UdhrCorpus implements Corpus {
  /** Language labels (ISO 639-1 where one exists), in the order given. */
  readonly codes: string[];
  /** label → the code the texts are read from (the label itself, or the raw file code given). */
  private readonly files = new Map<string, string>();

  constructor(readonly name: string) {
    const codes = name.slice('udhr:'.length).split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.length === 0) throw new UserError(name, `no language codes (e.g. udhr:en,fr,ja; available: ${udhrLanguages().join(',')})`);
    for (const c of codes) {
      try {
        udhrFile(c);
      } catch (e) {
        throw new UserError(name, (e as Error).message.replace(/^udhr: /, ''));
      }
      const label = labelOf(c);
      if (this.files.has(label)) throw new UserError(name, `language ${label} is listed twice${label === c ? '' : ` (${c} is ${label})`}`);
      this.files.set(label, c);
    }
    this.codes = [...this.files.keys()];
  }

  private file(lang: string): string {
    return this.files.get(lang)!;
  }

  private check(lang: string): void {
    if (!this.codes.includes(lang)) throw new UserError(this.name, `has no language ${lang} (it has ${this.codes.join(', ')})`);
  }

  scan(): Promise<CorpusSummary> {
    const counts = new Map(this.codes.map((c) => [c, udhrParagraphs(this.file(c)).length]));
    return Promise.resolve({ languages: [...this.codes], counts });
  }

  async *texts(lang: string): AsyncGenerator<CorpusText> {
    this.check(lang);
    for (const p of udhrParagraphs(this.file(lang))) yield { lang, text: p.text, where: `udhr:${lang}#${p.id}` };
  }

  async *parallel(src: string, tgt: string): AsyncGenerator<[CorpusText, CorpusText]> {
    this.check(src);
    this.check(tgt);
    const a = new Map(udhrParagraphs(this.file(src)).map((p) => [p.id, p.text]));
    const b = new Map(udhrParagraphs(this.file(tgt)).map((p) => [p.id, p.text]));
    for (const id of udhrParallelIds([this.file(src), this.file(tgt)])) {
      yield [
        { lang: src, text: a.get(id)!, where: `udhr:${src}#${id}` },
        { lang: tgt, text: b.get(id)!, where: `udhr:${tgt}#${id}` },
      ];
    }
  }
}
