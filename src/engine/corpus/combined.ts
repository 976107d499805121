/**
 * Several corpora read as one: `udhr:en,fr+code:src/**\/*.ts` puts code perplexity beside the
 * languages'. Each language comes from the first part that has it; parts keep their own order.
 */
import type { Corpus, CorpusSummary, CorpusText } from './types';

export class CombinedCorpus implements Corpus {
  readonly name: string;
  private owner: Map<string, Corpus> | undefined;

  constructor(private readonly parts: readonly Corpus[]) {
    this.name = parts.map((p) => p.name).join(' + ');
  }

  async scan(signal?: AbortSignal): Promise<CorpusSummary> {
    const languages: string[] = [];
    const counts = new Map<string, number>();
    this.owner = new Map();
    for (const p of this.parts) {
      const s = await p.scan(signal);
      for (const l of s.languages) {
        if (this.owner.has(l)) continue;
        this.owner.set(l, p);
        languages.push(l);
        counts.set(l, s.counts.get(l) ?? 0);
      }
    }
    return { languages, counts };
  }

  private async part(lang: string, signal?: AbortSignal): Promise<Corpus | undefined> {
    if (!this.owner) await this.scan(signal);
    return this.owner!.get(lang);
  }

  async *texts(lang: string, signal?: AbortSignal): AsyncGenerator<CorpusText> {
    const p = await this.part(lang, signal);
    if (p) yield* p.texts(lang, signal);
  }

  async *parallel(src: string, tgt: string, signal?: AbortSignal): AsyncGenerator<[CorpusText, CorpusText]> {
    const p = await this.part(src, signal);
    if (p) yield* p.parallel(src, tgt, signal);
  }
}
