/**
 * A multilingual text corpus, read as a stream: nothing holds the whole corpus in memory, so
 * LAPE over a large corpus keeps a flat footprint (one window of token ids at a time).
 */
import { isLanguageCode } from '../../shared/languages';
import { iso639_1 } from './iso639';

export interface CorpusText {
  /** ISO 639-1 code. */
  lang: string;
  text: string;
  /** Where the text came from, for error messages: `file:line` or `udhr:fr#article.3.1`. */
  where: string;
}

export interface CorpusSummary {
  /** Languages in corpus order (spec order for udhr:, first appearance in files, file order in FLORES). */
  languages: string[];
  /** Texts per language. */
  counts: Map<string, number>;
}

export interface Corpus {
  /** The spec the user gave (`udhr:en,fr`, a path), for messages. */
  readonly name: string;
  /** Reads everything once, validating every line, and counts texts per language. */
  scan(signal?: AbortSignal): Promise<CorpusSummary>;
  /** Texts of one language, in corpus order. */
  texts(lang: string, signal?: AbortSignal): AsyncIterable<CorpusText>;
  /** Aligned translation pairs: the same index (line, paragraph id) in both languages. */
  parallel(src: string, tgt: string, signal?: AbortSignal): AsyncIterable<[CorpusText, CorpusText]>;
}

/** `fr`, `fra` or `fra_Latn` → `fr`; undefined for anything that is not a known language. */
export function normalizeLanguage(code: string): string | undefined {
  const c = code.trim();
  if (isLanguageCode(c)) return c;
  return /^[a-z]{3}(_[A-Za-z]{4})?$/.test(c) ? iso639_1(c) : undefined;
}

/** Pairs the nth text of src with the nth text of tgt; stops at the shorter side. */
export async function* zipTexts(a: AsyncIterable<CorpusText>, b: AsyncIterable<CorpusText>): AsyncGenerator<[CorpusText, CorpusText]> {
  const ia = a[Symbol.asyncIterator]();
  const ib = b[Symbol.asyncIterator]();
  try {
    for (;;) {
      const [x, y] = await Promise.all([ia.next(), ib.next()]);
      if (x.done || y.done) return;
      yield [x.value, y.value];
    }
  } finally {
    await ia.return?.();
    await ib.return?.();
  }
}
