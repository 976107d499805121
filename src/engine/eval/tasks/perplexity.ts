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
import { tokenNll } from '../metrics/perplexity';
import { ALL_UNITS, DataHash, finishGroup, type GroupScores, type ItemScore, type UnitSelection } from '../scores';
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

/**
 * Every language's items scored: the texts of a language are batched by length over the whole
 * language (as one run batches them), each batch a unit; a shard runs the batches `o.units` keeps,
 * so every batch has the inputs and shapes of one run and each text's NLL is the same bits.
 * Texts of at most one token predict nothing: they form one last unit of their own.
 */
export async function perplexityScores(subject: EvalSubject, corpus: Corpus, o: PerplexityTaskOptions & { units?: UnitSelection } = {}): Promise<GroupScores[]> {
  const { model } = subject;
  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  const groups: GroupScores[] = [];
  for (const [li, lang] of languages.entries()) {
    const keep = o.units?.(lang) ?? ALL_UNITS;
    // Per-language interventions (MODEL@lrp2), computed when this shard first runs a batch of the language.
    let perLang: EvalSubject | undefined;
    const sub = async (): Promise<EvalSubject> => (perLang ??= await subjectFor(subject, lang, o));
    const texts = await collect(corpus.texts(lang, o.signal), o.limit);
    const data = new DataHash();
    const seqs = texts.map((t) => {
      data.add(t.where, t.text);
      const ids = model.tokenizer.encode(t.text);
      if (ids.length > model.cfg.maxPositions) throw new UserError(t.where, `${ids.length} tokens exceed the model's ${model.cfg.maxPositions} positions (perplexity scores whole texts)`);
      return ids;
    });
    if (seqs.every((s) => s.length <= 1)) throw new UserError(corpus.name, `no predicted tokens for language ${lang}`);
    const index = new Map(seqs.map((s, i) => [s, i]));
    const batches = packBatches(seqs.filter((s) => s.length > 1), o.batchTokens ?? DEFAULT_BATCH_TOKENS);
    const trivial = seqs.filter((s) => s.length <= 1);
    const units = batches.length + (trivial.length ? 1 : 0);
    const scores = new Map<number, ItemScore>();
    const score = (s: number[], nll: number): void => {
      const i = index.get(s)!;
      const stats = [nll, Math.max(0, s.length - 1), [...texts[i]!.text].length];
      scores.set(i, { stats: { nll: stats }, detail: { where: texts[i]!.where, tokens: stats[1], nll } });
    };
    const t0 = performance.now();
    for (const [u, batch] of batches.entries()) {
      const T = Math.max(...batch.map((s) => s.length));
      if (!keep(u, units, { sequences: batch.length, tokens: batch.reduce((n, s) => n + s.length, 0), passes: [[batch.length, T, 0]], logits: 'all' })) continue;
      throwIfAborted(o.signal);
      const s = await sub();
      const out = await model.run(batch, logitsPlan(s), runOptions(s));
      sequenceNlls(out.logits!.data, batch, model.cfg.vocabSize).forEach((v, b) => score(batch[b]!, v));
      o.onProgress?.({ fraction: (li + (u + 1) / units) / languages.length, message: `perplexity ${lang}` });
    }
    if (trivial.length && keep(batches.length, units, { sequences: trivial.length, tokens: trivial.length, passes: [], logits: 'all' })) trivial.forEach((s) => score(s, 0));
    groups.push({ task: 'perplexity', language: lang, source: corpus.name, itemCount: texts.length, unitCount: units, dataSha256: data.digest(), scores, seconds: (performance.now() - t0) / 1000 });
  }
  return groups;
}

export async function perplexityTask(subject: EvalSubject, corpus: Corpus, o: PerplexityTaskOptions = {}): Promise<TaskResult[]> {
  return (await perplexityScores(subject, corpus, o)).map(finishGroup);
}
