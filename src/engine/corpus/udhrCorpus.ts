/**
 * `udhr:en,fr,ja`: paragraphs of the Universal Declaration of Human Rights (udhr.ts), one text
 * per paragraph. Parallel pairs use the paragraph ids present in both languages with the same
 * block structure (udhrParallelIds), so a pair is always a real translation.
 */
import { UserError } from '../errors';
import { udhrFile, udhrLanguages, udhrParagraphs, udhrParallelIds } from './udhr';
import type { Corpus, CorpusSummary, CorpusText } from './types';

export class UdhrCorpus implements Corpus {
  readonly codes: string[];

  constructor(readonly name: string) {
    const codes = name.slice('udhr:'.length).split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.length === 0) throw new UserError(name, `no language codes (e.g. udhr:en,fr,ja; available: ${udhrLanguages().join(',')})`);
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) throw new UserError(name, `language ${dup} is listed twice`);
    for (const c of codes) {
      try {
        udhrFile(c);
      } catch (e) {
        throw new UserError(name, (e as Error).message.replace(/^udhr: /, ''));
      }
    }
    this.codes = codes;
  }

  private check(lang: string): void {
    if (!this.codes.includes(lang)) throw new UserError(this.name, `has no language ${lang} (it has ${this.codes.join(', ')})`);
  }

  scan(): Promise<CorpusSummary> {
    const counts = new Map(this.codes.map((c) => [c, udhrParagraphs(c).length]));
    return Promise.resolve({ languages: [...this.codes], counts });
  }

  async *texts(lang: string): AsyncGenerator<CorpusText> {
    this.check(lang);
    for (const p of udhrParagraphs(lang)) yield { lang, text: p.text, where: `udhr:${lang}#${p.id}` };
  }

  async *parallel(src: string, tgt: string): AsyncGenerator<[CorpusText, CorpusText]> {
    this.check(src);
    this.check(tgt);
    const a = new Map(udhrParagraphs(src).map((p) => [p.id, p.text]));
    const b = new Map(udhrParagraphs(tgt).map((p) => [p.id, p.text]));
    for (const id of udhrParallelIds([src, tgt])) {
      yield [
        { lang: src, text: a.get(id)!, where: `udhr:${src}#${id}` },
        { lang: tgt, text: b.get(id)!, where: `udhr:${tgt}#${id}` },
      ];
    }
  }
}
