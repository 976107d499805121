/**
 * The LAPE paper's main evidence (Tang et al. 2024, methods.md §2 "Deactivation"): deactivating
 * language D's neurons should raise the perplexity of text in D far more than of text in other
 * languages. For every (deactivated language D, evaluated language L) this measures
 *
 *   Δ[D][L] = mean NLL of L's tokens with D's neurons deactivated − mean NLL dense,
 *
 * NLL = −ln softmax(logits at t)[token t+1] in nats (Δ log-perplexity), averaged over every
 * predicted token of L (token-weighted over texts, like a corpus perplexity). Padding positions
 * are never read: each sequence's last valid position predicts nothing, and rows past a
 * sequence's length are skipped.
 *
 * Memory stays bounded: L's sequences are streamed through lengthGroupedBatches and each batch's
 * logits ([batch · padded length, vocab]) are reduced to NLL sums before the next run, so at most
 * one batch's logits are alive. All runs share one graph plan (logits + a keep mask on the union
 * of the masks' layers): the dense run feeds an all-ones keep (×1 is exact), so switching between
 * 1 + |D| interventions never builds or evicts sessions.
 */
import type { JobOptions, NeuronMask } from '../api';
import { throwIfAborted, UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { GraphPlan } from '../model/plan';
import { chooseLanguages } from '../corpus/open';
import { languageSequences } from '../corpus/tokens';
import type { Corpus } from '../corpus/types';
import { DEFAULT_BATCH_TOKENS, lengthGroupedBatches } from '../stats/batches';
import { languageMask, type LapeJson } from './files';
import { resolveMaxLength } from './lape';

export interface PerplexityImpactOptions extends JobOptions {
  /** Evaluated languages (columns), default: all of the corpus's, in corpus order. */
  languages?: string[];
  /** Deactivated languages (rows), default: every language of the LAPE file. */
  deactivated?: string[];
  maxLength?: number;
  /** Tokens per model run (batch × padded length). */
  batchTokens?: number;
  /** Append the tokenizer's EOS to every text so `</s>` is predicted too (the default model's
   * card measures held-out perplexity on `<s>text</s>`); default false. */
  appendEos?: boolean;
}

export interface PerplexityImpact {
  /** Evaluated languages L (columns of delta). */
  languages: string[];
  /** Deactivated languages D (rows of delta). */
  deactivated: string[];
  /** Deactivated neurons per D (all layers); 0 makes that row all zeros. */
  neuronCounts: number[];
  /** Predicted tokens per L (positions 0 … len−2 of every sequence). */
  tokens: number[];
  /** Dense mean NLL per L, nats/token (exp of it is the perplexity). */
  dense: number[];
  /** delta[d][l] = mean NLL of languages[l] with deactivated[d]'s neurons off − dense[l]. */
  delta: number[][];
}

/**
 * Adds, for each sequence of the batch, Σ_t −ln softmax(logits[b, t])[seq[t+1]] into nll and
 * returns how many positions it summed. logits is [B · T, vocab] row-major with T the batch's
 * padded length. F64 accumulation: a language's sum runs over thousands of terms.
 */
export function batchNll(logits: Float32Array, seqs: number[][], vocab: number): { nll: number; count: number } {
  const T = Math.max(...seqs.map((s) => s.length));
  let nll = 0;
  let count = 0;
  seqs.forEach((s, b) => {
    for (let t = 0; t + 1 < s.length; t++) {
      const row = (b * T + t) * vocab;
      let max = -Infinity;
      for (let v = 0; v < vocab; v++) max = Math.max(max, logits[row + v]!);
      let z = 0;
      for (let v = 0; v < vocab; v++) z += Math.exp(logits[row + v]! - max);
      nll += max + Math.log(z) - logits[row + s[t + 1]!]!;
      count++;
    }
  });
  return { nll, count };
}

export async function perplexityImpact(model: LoadedModel, corpus: Corpus, lape: LapeJson, o: PerplexityImpactOptions = {}): Promise<PerplexityImpact> {
  const maxLength = resolveMaxLength(model, o.maxLength);
  const budget = o.batchTokens ?? DEFAULT_BATCH_TOKENS;
  if (!(Number.isInteger(budget) && budget >= 1)) throw new UserError('--batch-tokens', `must be a positive integer, got ${budget}`);
  const eos = model.tokenizer.eosId;
  if (o.appendEos && eos === null) throw new UserError('appendEos', `the tokenizer of ${model.name} has no EOS token`);

  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  const deactivated = o.deactivated ?? lape.languages;
  const masks: NeuronMask[] = deactivated.map((d) => languageMask(lape, [d], 'deactivated'));
  const neuronCounts = masks.map((m) => Object.values(m).reduce((n, js) => n + js.length, 0));
  // One plan for every run: validates all masks up front and keeps a single session.
  const union: NeuronMask = Object.fromEntries([...new Set(masks.flatMap((m) => Object.keys(m).map(Number)))].map((l) => [l, [0]]));
  const plan: GraphPlan = { capture: ['logits'], stats: [], kvCache: false, lastPositionOnly: false, ...model.interventionPlan(union) };
  const vocab = model.cfg.vocabSize;

  const tokens: number[] = [];
  const dense: number[] = [];
  const delta = deactivated.map(() => [] as number[]);
  for (const [li, lang] of languages.entries()) {
    let seqs = languageSequences(corpus, lang, model.tokenizer, { maxLength: o.appendEos ? maxLength - 1 : maxLength }, o.signal);
    if (o.appendEos) seqs = withEos(seqs, eos!);
    const sums = new Float64Array(1 + masks.length); // [dense, ...per D]
    let count = 0;
    for await (const batch of lengthGroupedBatches(seqs, budget)) {
      for (let k = 0; k <= masks.length; k++) {
        throwIfAborted(o.signal);
        const out = await model.run(batch, plan, { deactivate: k === 0 ? undefined : masks[k - 1] });
        const r = batchNll(out.logits!.data, batch, vocab);
        sums[k]! += r.nll;
        if (k === 0) count += r.count;
      }
      o.onProgress?.({ fraction: (li + 0.5) / languages.length, message: `${lang}: ${count} tokens` });
    }
    if (count === 0) throw new UserError(corpus.name, `no predicted tokens for language ${lang} (every text is a single token)`);
    tokens.push(count);
    dense.push(sums[0]! / count);
    masks.forEach((_, d) => delta[d]!.push(sums[d + 1]! / count - sums[0]! / count));
  }
  o.onProgress?.({ fraction: 1, message: `${deactivated.length} deactivations × ${languages.length} languages` });
  return { languages, deactivated, neuronCounts, tokens, dense, delta };
}

async function* withEos(seqs: AsyncIterable<number[]>, eos: number): AsyncGenerator<number[]> {
  for await (const s of seqs) yield [...s, eos];
}

export interface ImpactVerdict {
  lang: string;
  /** Δ on its own text with its own neurons off. */
  own: number;
  /** Its deactivated neurons; with none, both verdicts are false (nothing was tested). */
  neurons: number;
  /** Own Δ is the largest of its row: D's neurons hurt D's text more than any other language's. */
  rowMax: boolean;
  /** Own Δ is the largest of its column: D's text is hurt more by D's neurons than by any other's. */
  colMax: boolean;
  /** The row's largest other-language Δ and its language. */
  rowRunnerUp: { lang: string; delta: number };
  /** The column's largest other-deactivation Δ and its language. */
  colRunnerUp: { lang: string; delta: number };
}

/** Per language present as both D and L: is the diagonal the strict maximum of its row / column?
 * A language without neurons has an all-zero row (the run is the dense one), so it fails both. */
export function impactVerdicts(r: PerplexityImpact): ImpactVerdict[] {
  const best = (xs: { lang: string; delta: number }[]) => xs.reduce((a, b) => (b.delta > a.delta ? b : a), { lang: '', delta: -Infinity });
  return r.deactivated
    .filter((d) => r.languages.includes(d))
    .map((lang) => {
      const d = r.deactivated.indexOf(lang);
      const l = r.languages.indexOf(lang);
      const own = r.delta[d]![l]!;
      const rowRunnerUp = best(r.languages.map((x, j) => ({ lang: x, delta: r.delta[d]![j]! })).filter((_, j) => j !== l));
      const colRunnerUp = best(r.deactivated.map((x, i) => ({ lang: x, delta: r.delta[i]![l]! })).filter((_, i) => i !== d));
      const neurons = r.neuronCounts[d]!;
      return { lang, own, neurons, rowMax: neurons > 0 && own > rowRunnerUp.delta, colMax: neurons > 0 && own > colRunnerUp.delta, rowRunnerUp, colRunnerUp };
    });
}
