/**
 * Token sequences of one language of a corpus, one per text (methods.md vocabulary: a sequence is
 * one tokenized text), with the tokenizer's default special tokens (BOS where it adds one),
 * truncated to `maxLength`. `maxTokens` caps the language's total: the sequence that crosses it
 * is cut so the total is exactly min(maxTokens, corpus tokens), then the stream ends.
 */
import type { ModelTokenizer } from '../tokenizer';
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
  let left = limits.maxTokens ?? Infinity;
  for await (const t of corpus.texts(lang, signal)) {
    if (left <= 0) return;
    const cut = tokenizer.encodeTruncated(t.text, Math.min(limits.maxLength, left));
    if (cut.length === 0) continue;
    left -= cut.length;
    yield cut;
  }
}
