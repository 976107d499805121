/**
 * Evaluation data: corpora for perplexity and translation (the corpus readers of corpus/ with
 * their line-numbered errors); labelled classification data is datasets.ts.
 *
 * `udhr:CODES` in evaluation means the held-out articles of the default model (3, 13 and 23,
 * their titles and paragraphs: models/default/README.md), so a score is never on training text;
 * the rest of the declaration is the dev split that translation demonstrations come from.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openCorpus } from '../corpus/open';
import { CodeCorpus } from '../corpus/codeCorpus';
import { CombinedCorpus } from '../corpus/combined';
import type { Corpus, CorpusSummary, CorpusText } from '../corpus/types';

export const UDHR_HELD_OUT_ARTICLES: readonly number[] = [3, 13, 23];

/** `udhr:fr#article.13.2` → true for the held-out articles. */
export function isUdhrHeldOut(where: string): boolean {
  const m = /#article\.(\d+)\./.exec(where);
  return m !== null && UDHR_HELD_OUT_ARTICLES.includes(Number(m[1]));
}

/** A corpus restricted to the texts `keep` accepts (by their `where`); parallel pairs are kept when both sides are. */
class FilteredCorpus implements Corpus {
  constructor(
    private readonly inner: Corpus,
    readonly name: string,
    private readonly keep: (where: string) => boolean,
  ) {}

  async scan(signal?: AbortSignal): Promise<CorpusSummary> {
    const s = await this.inner.scan(signal);
    const counts = new Map<string, number>();
    for (const lang of s.languages) {
      let n = 0;
      for await (const _ of this.texts(lang, signal)) n++;
      counts.set(lang, n);
    }
    return { languages: s.languages, counts };
  }

  async *texts(lang: string, signal?: AbortSignal): AsyncGenerator<CorpusText> {
    for await (const t of this.inner.texts(lang, signal)) if (this.keep(t.where)) yield t;
  }

  async *parallel(src: string, tgt: string, signal?: AbortSignal): AsyncGenerator<[CorpusText, CorpusText]> {
    for await (const p of this.inner.parallel(src, tgt, signal)) if (this.keep(p[0].where) && this.keep(p[1].where)) yield p;
  }
}

export interface EvalCorpora {
  test: Corpus;
  /** Where demonstrations come from; undefined when the corpus has no dev split and none was given. */
  dev?: Corpus;
}

/**
 * The test corpus and its dev split: `udhr:` → held-out / the rest; a FLORES folder → its
 * devtest and its `dev` subfolder when there is one; files → `dev` only when given.
 */
export function openEvalCorpora(spec: string, devSpec?: string, cwd = process.cwd()): EvalCorpora {
  // `code:GLOB` (source files as the pseudo-language `code`), alone or after another corpus with `+`.
  const plus = spec.indexOf('+code:');
  if (plus > 0) {
    const first = openEvalCorpora(spec.slice(0, plus), devSpec, cwd);
    return { test: new CombinedCorpus([first.test, new CodeCorpus(spec.slice(plus + 1), spec.slice(plus + 6), cwd)]), dev: first.dev };
  }
  if (spec.startsWith('code:')) return { test: new CodeCorpus(spec, spec.slice(5), cwd), ...(devSpec ? { dev: openCorpus(devSpec, cwd) } : {}) };
  if (spec.startsWith('udhr:')) {
    const all = openCorpus(spec);
    return {
      test: new FilteredCorpus(all, `${spec} (held-out articles ${UDHR_HELD_OUT_ARTICLES.join(', ')})`, isUdhrHeldOut),
      dev: devSpec ? openCorpus(devSpec, cwd) : new FilteredCorpus(all, `${spec} (training articles)`, (w) => !isUdhrHeldOut(w)),
    };
  }
  const test = openCorpus(spec, cwd);
  if (devSpec) return { test, dev: openCorpus(devSpec, cwd) };
  const path = resolve(cwd, spec);
  if (statSync(path).isDirectory() && existsSync(join(path, 'dev')) && existsSync(join(path, 'devtest'))) return { test, dev: openCorpus(join(path, 'dev')) };
  return { test };
}

export async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const x of items) {
    out.push(x);
    if (out.length >= limit) break;
  }
  return out;
}

export type { LabelledItem } from './datasets';
