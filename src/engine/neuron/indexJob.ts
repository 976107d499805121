/**
 * `neurons index`: streams a corpus once and keeps, for every MLP neuron, its K strongest
 * `hook_post` activations with the text, token and position. The reduction happens in the graph:
 * each batch returns only TopK over its rows per neuron ([K, d_mlp] values and row indices per
 * layer, plan.ts `topK`), which a fixed-size store merges (topExamples.ts). Rows of a batch are
 * laid out in corpus order, so TopK's lower-row-first tie rule is corpus order too. Only texts
 * that some neuron still keeps stay in memory.
 */
import type { JobOptions, TensorData } from '../api';
import { UserError, throwIfAborted } from '../errors';
import type { LoadedModel } from '../model/model';
import { statOutput, topKIndexOutput, type StatRequest } from '../model/plan';
import { chooseLanguages } from '../corpus/open';
import { languageTexts } from '../corpus/tokens';
import type { Corpus } from '../corpus/types';
import { corpusLimits } from '../lape/lape';
import { lengthGroupedBatches } from '../stats/batches';
import { groupBatches, statsPlan } from '../stats/runStats';
import { postHook } from './forward';
import { TopExampleStore } from './topExamples';

export const DEFAULT_TOP = 20;

export interface IndexOptions extends JobOptions {
  top?: number;
  languages?: string[];
  maxLength?: number;
  maxTokensPerLang?: number;
  batchTokens?: number;
}

/** One corpus sequence: its number in corpus order (languages in order, texts in order). */
export interface IndexedSequence {
  seq: number;
  text: string;
  ids: number[];
  readonly length: number;
}

export interface NeuronIndexRun {
  store: TopExampleStore;
  /** The sequences some neuron keeps, by number. */
  kept: Map<number, IndexedSequence>;
  nLayers: number;
  dMlp: number;
  top: number;
  languages: string[];
  maxLength: number;
  maxTokensPerLang: number | null;
  sequences: number;
  tokens: number;
  /** Most sequences held at once (kept + one window), for the memory claim. */
  peakKept: number;
}

async function* corpusSequences(corpus: Corpus, languages: string[], model: LoadedModel, maxLength: number, maxTokens: number | undefined, signal?: AbortSignal): AsyncGenerator<IndexedSequence> {
  let seq = 0;
  for (const lang of languages) {
    for await (const t of languageTexts(corpus, lang, model.tokenizer, { maxLength, maxTokens }, signal)) {
      yield { seq: seq++, text: t.text, ids: t.ids, length: t.ids.length };
    }
  }
}

export async function buildNeuronIndex(model: LoadedModel, corpus: Corpus, o: IndexOptions = {}): Promise<NeuronIndexRun> {
  const top = o.top ?? DEFAULT_TOP;
  if (!(Number.isInteger(top) && top >= 1 && top <= 1000)) throw new UserError('--top', `must be an integer in 1-1000, got ${top}`);
  const { maxLength, maxTokens, budget } = corpusLimits(model, o);

  o.onProgress?.({ fraction: 0, message: `reading ${corpus.name}` });
  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  const totalTexts = languages.reduce((n, l) => n + summary.counts.get(l)!, 0);
  const { nLayers, dMlp } = model.cfg;

  const kept = new Map<number, IndexedSequence>();
  const refs = new Map<number, number>();
  const store = new TopExampleStore(nLayers * dMlp, top, (seq, d) => {
    const r = (refs.get(seq) ?? 0) + d;
    if (r > 0) refs.set(seq, r);
    else {
      refs.delete(seq);
      kept.delete(seq);
    }
  });
  const stats: StatRequest[] = Array.from({ length: nLayers }, (_, l) => ({ hook: postHook(l), kind: 'topK' }));
  const plan = statsPlan(stats);
  let sequences = 0;
  let tokens = 0;
  let peakKept = 0;
  const seqs = corpusSequences(corpus, languages, model, maxLength, maxTokens, o.signal);
  // Corpus order inside a batch: flat row b·T + t then orders candidates as the corpus does.
  const sorted = async function* (): AsyncGenerator<IndexedSequence[]> {
    for await (const packed of lengthGroupedBatches(seqs, budget)) yield [...packed].sort((a, b) => a.seq - b.seq);
  };
  // Block by block, a group of batches passes each block together (stats/runStats.ts).
  for await (const group of groupBatches(model, sorted(), (b) => b.map((s) => s.ids))) {
    throwIfAborted(o.signal);
    for (const batch of group) for (const s of batch) kept.set(s.seq, s);
    const outs = await model.runMany(group.map((b) => b.map((s) => s.ids)), plan, { topK: top }, o.signal);
    group.forEach((batch, i) => offerBatch(batch, outs[i]!));
  }
  throwIfAborted(o.signal);
  if (tokens === 0) throw new UserError(corpus.name, 'no tokens to index');
  return { store, kept, nLayers, dMlp, top, languages, maxLength, maxTokensPerLang: maxTokens ?? null, sequences, tokens, peakKept };

  function offerBatch(batch: IndexedSequence[], out: Record<string, TensorData>): void {
    const T = Math.max(...batch.map((s) => s.length));
    for (let l = 0; l < nLayers; l++) {
      const values = out[statOutput(stats[l]!)]!; // [k, d_mlp]
      const rows = out[topKIndexOutput(postHook(l))]!.data; // [k, d_mlp]
      const k = values.dims[0]!;
      for (let j = 0; j < dMlp; j++) {
        const n = l * dMlp + j;
        for (let r = 0; r < k; r++) {
          const row = rows[r * dMlp + j]!;
          const b = Math.floor(row / T);
          const t = row - b * T;
          const s = batch[b]!;
          // Sorted candidates: padding (ranked last) or one that misses the top K ends the column.
          if (t >= s.length || !store.offer(n, values.data[r * dMlp + j]!, s.seq, t)) break;
        }
      }
    }
    peakKept = Math.max(peakKept, kept.size);
    for (const s of batch) if (!refs.has(s.seq)) kept.delete(s.seq);
    sequences += batch.length;
    for (const s of batch) tokens += s.length;
    o.onProgress?.({ fraction: Math.min(1, sequences / totalTexts), message: `${sequences} texts, ${tokens} tokens` });
  }
}
