/**
 * Task `perplexity` (issue #11): per language, every text is one sequence with the tokenizer's
 * own special tokens (BOS where it adds one), every predicted token counted. Perplexity =
 * exp(Σ NLL / Σ predicted tokens) over the language, pooled; bits per character = Σ NLL / ln 2 /
 * Σ characters (Unicode code points of the texts). Texts are batched by length; padding is
 * never read (each sequence's own positions only).
 */
import type { JobOptions } from '../../api';
import { throwIfAborted, UserError } from '../../errors';
import { chooseLanguages } from '../../corpus/open';
import type { Corpus } from '../../corpus/types';
import { DEFAULT_BATCH_TOKENS, packBatches } from '../../stats/batches';
import { bitsPerCharFromStats, perplexityFromStats, tokenNll } from '../metrics/perplexity';
import { sumStats } from '../metrics/chrf';
import { collect } from '../data';
import { logitsPlan, runOptions, subjectFor } from '../run';
import type { EvalSubject, TaskResult } from '../types';

export interface PerplexityTaskOptions extends JobOptions {
  languages?: string[];
  /** Texts per language (default: all). */
  limit?: number;
  batchTokens?: number;
}

/** Σ NLL of each sequence of a batch from its logits [B·T, vocab] (T = the batch's longest). */
export function sequenceNlls(logits: Float32Array, seqs: number[][], vocab: number): number[] {
  const T = Math.max(...seqs.map((s) => s.length));
  return seqs.map((s, b) => {
    let nll = 0;
    for (let t = 0; t + 1 < s.length; t++) nll += tokenNll(logits, b * T + t, vocab, s[t + 1]!);
    return nll;
  });
}

export async function perplexityTask(subject: EvalSubject, corpus: Corpus, o: PerplexityTaskOptions = {}): Promise<TaskResult[]> {
  const { model } = subject;
  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  const results: TaskResult[] = [];
  for (const [li, lang] of languages.entries()) {
    const sub = await subjectFor(subject, lang, o);
    const plan = logitsPlan(sub);
    const texts = await collect(corpus.texts(lang, o.signal), o.limit);
    const seqs = texts.map((t) => {
      const ids = model.tokenizer.encode(t.text);
      if (ids.length > model.cfg.maxPositions) throw new UserError(t.where, `${ids.length} tokens exceed the model's ${model.cfg.maxPositions} positions (perplexity scores whole texts)`);
      return ids;
    });
    const index = new Map(seqs.map((s, i) => [s, i]));
    const nll = new Array<number>(seqs.length).fill(0);
    const t0 = performance.now();
    for (const batch of packBatches(seqs.filter((s) => s.length > 1), o.batchTokens ?? DEFAULT_BATCH_TOKENS)) {
      throwIfAborted(o.signal);
      const out = await model.run(batch, plan, runOptions(sub));
      sequenceNlls(out.logits!.data, batch, model.cfg.vocabSize).forEach((v, b) => (nll[index.get(batch[b]!)!] = v));
      o.onProgress?.({ fraction: (li + 0.5) / languages.length, message: `perplexity ${lang}` });
    }
    const seconds = (performance.now() - t0) / 1000;
    const stats = seqs.map((s, i) => [nll[i]!, Math.max(0, s.length - 1), [...texts[i]!.text].length]);
    const sum = sumStats(stats);
    if (sum[1] === 0) throw new UserError(corpus.name, `no predicted tokens for language ${lang}`);
    results.push({
      task: 'perplexity',
      language: lang,
      metrics: { perplexity: perplexityFromStats(sum), bits_per_char: bitsPerCharFromStats(sum) },
      stats: { nll: stats },
      items: texts.map((t, i) => ({ where: t.where, tokens: stats[i]![1], nll: stats[i]![0] })),
      itemsPerSecond: texts.length / Math.max(seconds, 1e-9),
    });
  }
  return results;
}
