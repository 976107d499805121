/**
 * A corpus held in memory, keyed by arbitrary group names: the instruction comparison uses it
 * to run the LAPE statistics with instruction variants in place of languages (methods.md §6).
 */
import type { Corpus, CorpusSummary, CorpusText } from '../corpus/types';

export class MemoryCorpus implements Corpus {
  private readonly groups: Map<string, readonly string[]>;

  constructor(
    readonly name: string,
    groups: Iterable<readonly [string, readonly string[]]>,
  ) {
    this.groups = new Map(groups);
  }

  async scan(): Promise<CorpusSummary> {
    return { languages: [...this.groups.keys()], counts: new Map([...this.groups].map(([k, v]) => [k, v.length])) };
  }

  async *texts(lang: string): AsyncIterable<CorpusText> {
    for (const [i, text] of (this.groups.get(lang) ?? []).entries()) yield { lang, text, where: `${this.name}:${lang}#${i + 1}` };
  }

  // eslint-disable-next-line require-yield
  async *parallel(): AsyncIterable<[CorpusText, CorpusText]> {
    throw new Error(`${this.name} has no parallel texts`);
  }
}
