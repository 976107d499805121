/**
 * LAPE job (methods.md §2): per language, stream the corpus through a statistics-only graph that
 * counts, for every `blocks.{i}.mlp.hook_pre`, the valid positions with hook_pre > 0 (for SiLU
 * gates act > 0 ⇔ hook_pre > 0; padding rows have valid = 0 and never count), then select
 * language-specific neurons from the counts (select.ts).
 */
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { StatRequest } from '../model/plan';
import { statOutput } from '../model/plan';
import { chooseLanguages } from '../corpus/open';
import { languageSequences } from '../corpus/tokens';
import type { Corpus } from '../corpus/types';
import { DEFAULT_BATCH_TOKENS, lengthGroupedBatches } from '../stats/batches';
import { addInto, runStatBatches } from '../stats/runStats';
import type { LapeResult } from '../../shared/lape';
import { selectLanguageNeurons } from './select';
import { SequenceHash } from '../shard/fingerprint';
import { inShard, WHOLE, type ShardSpec } from '../shard/shard';

/** Default truncation: 512 tokens per text, as the brief for issue #5 and common LAPE setups use;
 * lowered to the model's max_position_embeddings when that is smaller. */
export const DEFAULT_MAX_LENGTH = 512;
export const DEFAULT_PROB_QUANTILE = 0.95;
/** `topRate` of methods.md §2 (named entropyQuantile in files and the API: the share of all
 * neurons, ranked by entropy, that is kept). */
export const DEFAULT_ENTROPY_QUANTILE = 0.01;

export interface LapeOptions extends JobOptions {
  /** Languages to analyse, in output order (default: all of the corpus's, in corpus order). */
  languages?: string[];
  maxLength?: number;
  maxTokensPerLang?: number;
  probQuantile?: number;
  /** topRate: the share of ALL neurons kept (methods.md §2). */
  entropyQuantile?: number;
  /** Tokens per model run (batch × padded length). */
  batchTokens?: number;
}

export interface LapeRun {
  result: LapeResult;
  /** Counted positions per language (same order as result.languages). */
  tokenCounts: number[];
  /** Active-position counts per language, [nLayers · dMlp] each. */
  counts: Float64Array[];
  entropyThreshold: number | null;
  /** Neurons passing the probability filter. */
  passing: number;
  /** Neurons kept: round(topRate · all neurons), or all passing ones when fewer pass. */
  kept: number;
  maxLength: number;
  corpus: string;
}

export function checkFraction(v: number, subject: string, openLow: boolean): number {
  if (!(openLow ? v > 0 : v >= 0) || !(v <= 1)) throw new UserError(subject, `must be in ${openLow ? '(0, 1]' : '[0, 1]'}, got ${v}`);
  return v;
}

export function resolveMaxLength(model: LoadedModel, maxLength: number | undefined): number {
  const maxPos = model.cfg.maxPositions;
  if (maxLength === undefined) return Math.min(DEFAULT_MAX_LENGTH, maxPos);
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new UserError('--max-length', `must be a positive integer, got ${maxLength}`);
  if (maxLength > maxPos) throw new UserError('--max-length', `${maxLength} exceeds the model's max_position_embeddings (${maxPos})`);
  return maxLength;
}

/** The corpus-streaming limits every corpus job shares, checked once. */
export function corpusLimits(model: LoadedModel, o: Pick<LapeOptions, 'maxLength' | 'maxTokensPerLang' | 'batchTokens'>): { maxLength: number; maxTokens: number | undefined; budget: number } {
  const maxLength = resolveMaxLength(model, o.maxLength);
  const maxTokens = o.maxTokensPerLang;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens >= 1)) throw new UserError('--max-tokens-per-lang', `must be a positive integer, got ${maxTokens}`);
  const budget = o.batchTokens ?? DEFAULT_BATCH_TOKENS;
  if (!(Number.isInteger(budget) && budget >= 1)) throw new UserError('--batch-tokens', `must be a positive integer, got ${budget}`);
  return { maxLength, maxTokens, budget };
}

/** Per-language activation counts (the statistics a LAPE run sums; what shards split). */
export interface LapeCounts {
  languages: string[];
  /** Active-position counts per language, [nLayers · dMlp] each. */
  counts: Float64Array[];
  /** Counted positions per language. */
  tokenCounts: number[];
  nLayers: number;
  dMlp: number;
  maxLength: number;
  maxTokensPerLang: number | null;
  probQuantile: number;
  entropyQuantile: number;
  corpus: string;
  /** sha256 of every sequence of the whole stream (all shards), shard/fingerprint.ts. */
  corpusFingerprint: string;
}

export async function runLape(model: LoadedModel, corpus: Corpus, o: LapeOptions = {}): Promise<LapeRun> {
  const c = await collectLapeCounts(model, corpus, o);
  const run = lapeFromCounts(model.name, c);
  o.onProgress?.({ fraction: 1, message: `selected neurons for ${c.languages.length} languages` });
  return run;
}

/**
 * Streams the corpus through the counting graph. With `shard` i/N, every sequence of the stream
 * is read (and fingerprinted) and batched exactly as one run batches it; only the batches with
 * index k ≡ i (mod N) within their language run. A shard therefore computes each of its batches
 * with the same inputs and shapes as the single run, so an activation that is within rounding of
 * 0 falls on the same side of it and the merged counts equal one run's exactly (splitting by
 * sequence instead re-batched them, and one count in 12,672 differed on the default model).
 */
export async function collectLapeCounts(model: LoadedModel, corpus: Corpus, o: LapeOptions & { shard?: ShardSpec } = {}): Promise<LapeCounts> {
  const shard = o.shard ?? WHOLE;
  const probQuantile = checkFraction(o.probQuantile ?? DEFAULT_PROB_QUANTILE, '--prob-quantile', false);
  const entropyQuantile = checkFraction(o.entropyQuantile ?? DEFAULT_ENTROPY_QUANTILE, '--top-rate', true);
  const { maxLength, maxTokens, budget } = corpusLimits(model, o);

  o.onProgress?.({ fraction: 0, message: `reading ${corpus.name}` });
  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  // Entropy over one language is 0 for every neuron: nothing would be language-specific.
  if (languages.length < 2) {
    throw new UserError(o.languages?.length ? '--languages' : corpus.name, `LAPE compares languages and needs at least 2; got only ${languages.join(', ') || 'none'}`);
  }
  const { nLayers, dMlp } = model.cfg;
  const stats: StatRequest[] = Array.from({ length: nLayers }, (_, i) => ({ hook: `blocks.${i}.mlp.hook_pre`, kind: 'countPos' }));
  const outputs = stats.map(statOutput);
  const hash = new SequenceHash();

  const counts = languages.map(() => new Float64Array(nLayers * dMlp));
  const tokenCounts = languages.map(() => 0);
  // Every language's batches in one stream, tagged, so that block by block a group of batches
  // may span languages (each block's weights widened once per group, runStats.ts).
  interface Tagged {
    li: number;
    seqs: number[][];
    /** Progress when the batch was read: texts read or tokens allowed, whichever limit is closer. */
    fraction: number;
  }
  async function* tagged(): AsyncGenerator<Tagged> {
    for (const [li, lang] of languages.entries()) {
      const total = summary.counts.get(lang)!;
      let seen = 0;
      let seenTokens = 0;
      hash.part(lang);
      const all = languageSequences(corpus, lang, model.tokenizer, { maxLength, maxTokens }, o.signal);
      async function* every(): AsyncGenerator<number[]> {
        for await (const s of all) {
          hash.add(s);
          seenTokens += s.length;
          seen++;
          yield s;
        }
      }
      let batch = 0;
      for await (const seqs of lengthGroupedBatches(every(), budget)) {
        if (!inShard(batch++, shard)) continue;
        const within = Math.min(1, Math.max(seen / total, maxTokens ? seenTokens / maxTokens : 0));
        yield { li, seqs, fraction: (li + within) / languages.length };
      }
    }
  }
  await runStatBatches(
    model,
    tagged(),
    stats,
    (out, { li, seqs, fraction }) => {
      const acc = counts[li]!;
      outputs.forEach((name, layer) => addInto(acc.subarray(layer * dMlp, (layer + 1) * dMlp), out[name]!.data));
      for (const s of seqs) tokenCounts[li]! += s.length;
      o.onProgress?.({ fraction, message: `${languages[li]}: ${tokenCounts[li]} tokens` });
    },
    o,
    (b) => b.seqs,
  );
  // A shard may hold no text of a language (N larger than its text count); the merge checks the total.
  const empty = languages.findIndex((_, li) => tokenCounts[li] === 0);
  if (empty >= 0 && shard.count === 1) throw new UserError(corpus.name, `no tokens for language ${languages[empty]}`);
  return {
    languages,
    counts,
    tokenCounts,
    nLayers,
    dMlp,
    maxLength,
    maxTokensPerLang: maxTokens ?? null,
    probQuantile,
    entropyQuantile,
    corpus: corpus.name,
    corpusFingerprint: hash.digest(),
  };
}

/** Selection (select.ts) from counts: the same whether the counts come from one run or a merge. */
export function lapeFromCounts(modelName: string, c: LapeCounts): LapeRun {
  const { nLayers, dMlp, languages, probQuantile, entropyQuantile } = c;
  const empty = languages.find((_, i) => c.tokenCounts[i] === 0);
  if (empty) throw new UserError(c.corpus, `no tokens for language ${empty}`);
  const sel = selectLanguageNeurons({ counts: c.counts, tokens: c.tokenCounts, nLayers, dMlp, probQuantile, entropyQuantile });
  const result: LapeResult = {
    model: { name: modelName, nLayers, dMlp },
    languages,
    nLayers,
    dMlp,
    neurons: sel.neurons,
    activationProbability: Float32Array.from(sel.p),
    lape: Float32Array.from(sel.lape),
    bar: sel.bar,
    probQuantile,
    entropyQuantile,
  };
  return { result, tokenCounts: c.tokenCounts, counts: c.counts, entropyThreshold: sel.entropyThreshold, passing: sel.passing, kept: sel.kept, maxLength: c.maxLength, corpus: c.corpus };
}
