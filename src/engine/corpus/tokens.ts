/**
 * Token sequences of one language of a corpus, one per text (methods.md vocabulary: a sequence is
 * one tokenized text), with the tokenizer's default special tokens (BOS where it adds one),
 * truncated to `maxLength`. `maxTokens` caps the language's total: the sequence that crosses it
 * is cut so the total is exactly min(maxTokens, corpus tokens), then the stream ends.
 */
import type { ModelTokenizer } from '../tokenizer/tokenizer';
import type { Corpus } from './types';

export interface SequenceLimits {
  maxLength: number;
  maxTokens?: number;
}

export async function* languageSequences(
  corpus: Corpus,
  lang: string,
  tokenizer: ModelTokenizer,
  limits: SequenceLimits,
  signal?: AbortSignal,
): AsyncGenerator<number[]> {
  for await (const t of languageTexts(corpus, lang, tokenizer, limits, signal)) yield t.ids;
}

/** The same sequences with the text each came from (for tools that show examples). */
export async function* languageTexts(
  corpus: Corpus,
  lang: string,
  tokenizer: ModelTokenizer,
  limits: SequenceLimits,
  signal?: AbortSignal,
): AsyncGenerator<{ text: string; ids: number[] }> {
  let left = limits.maxTokens ?? Infinity;
  for await (const t of corpus.texts(lang, signal)) {
    if (left <= 0) return;
    const cut = tokenizer.encodeTruncated(t.text, Math.min(limits.maxLength, left));
    if (cut.length === 0) continue;
    left -= cut.length;
    yield { text: t.text, ids: cut };
  }
}
