/**
 * LRP2 (Language Representation Projection, Xu et al. 2023; the strong baseline of Kim et al.'s
 * tables; methods.md §5; reference get_lang_vector.py and models/*_lrp2.py of
 * hwichan0720/pruning_for_multilinguality).
 *
 * Language vector v_L[i] = mean over sentences of the mean over positions of hidden state i
 * (methods.md §4 indexing: i < L the input of block i — `blocks.{i}.hook_resid_pre`, i = L after
 * the final norm — `ln_final.hook_normalized`), from monolingual sentences of L (the tokenizer's
 * special tokens included, as the reference tokenizes). For target T and English E with a < b:
 * at hidden state a, h ← h − v_T[a] + v_E[a]; at hidden state b, h ← h − v_E[b] + v_T[b]; i.e.
 * two residual shifts, applied as graph inputs (model/plan.ts residualShifts).
 *
 * Positions: the shifts apply at every position of the sequence, prompt and generated tokens,
 * as the reference does (it adds the vectors to the whole hidden-state tensor). methods.md says
 * "on the positions holding T's text"; in `eval`'s inputs (a T text, a T-language prompt) that is
 * the whole input apart from template words, which we do not separate — recorded as a deviation.
 *
 * (a, b) search (`MODEL@lrp2:T`): every pair a < b in 0…L, scored on dev translation pairs
 * T→English (the non-held-out UDHR, or the corpus given) by the mean log-probability of the
 * English side given the methods.md §3 prompt "{T}: s{eos}English:" — how well T's meaning
 * reaches English under the projection; the best pair is used and reported with the results.
 */
import type { JobOptions } from '../api';
import { throwIfAborted, UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { GraphPlan } from '../model/plan';
import { languageName } from '../../shared/languages';
import { tokenNll } from './metrics/perplexity';

/** The hook whose value is hidden state i. */
export function hiddenStateHook(i: number, nLayers: number): string {
  return i === nLayers ? 'ln_final.hook_normalized' : `blocks.${i}.hook_resid_pre`;
}

/** v[i] for i = 0…L: mean over texts of the mean over positions of hidden state i. */
export async function languageVectors(model: LoadedModel, texts: string[], o: JobOptions = {}): Promise<Float32Array[]> {
  const L = model.cfg.nLayers;
  const D = model.cfg.dModel;
  if (texts.length === 0) throw new UserError('lrp2', 'no sentences for a language vector');
  const hooks = Array.from({ length: L + 1 }, (_, i) => hiddenStateHook(i, L));
  const plan: GraphPlan = { capture: hooks, stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  const acc = hooks.map(() => new Float64Array(D));
  for (const text of texts) {
    throwIfAborted(o.signal);
    const ids = model.tokenizer.encode(text).slice(0, model.cfg.maxPositions);
    const out = await model.run([ids], plan);
    hooks.forEach((h, i) => {
      const x = out[h]!.data; // [pos, d_model]
      for (let t = 0; t < ids.length; t++) for (let d = 0; d < D; d++) acc[i]![d]! += x[t * D + d]! / ids.length / texts.length;
    });
  }
  return acc.map((a) => Float32Array.from(a));
}

/** The two residual shifts of LRP2 for target T and English E at hidden states a < b. */
export function lrp2Shifts(vT: Float32Array[], vE: Float32Array[], a: number, b: number): Record<number, Float32Array> {
  if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a < b && b < vT.length)) throw new UserError('lrp2', `layers must satisfy 0 ≤ a < b ≤ ${vT.length - 1}, got ${a}-${b}`);
  const d = vT[a]!.length;
  const sa = new Float32Array(d);
  const sb = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    sa[j] = vE[a]![j]! - vT[a]![j]!;
    sb[j] = vT[b]![j]! - vE[b]![j]!;
  }
  return { [a]: sa, [b]: sb };
}

export interface Lrp2Search {
  a: number;
  b: number;
  /** Mean log-probability per English token for every pair tried, best first. */
  scores: { a: number; b: number; logProb: number }[];
}

/** Chooses (a, b) on dev pairs [T sentence, English sentence] (see the module comment). */
export async function searchLrp2(model: LoadedModel, lang: string, pairs: [string, string][], vT: Float32Array[], vE: Float32Array[], o: JobOptions = {}): Promise<Lrp2Search> {
  if (pairs.length === 0) throw new UserError('lrp2', `no ${lang}-en dev pairs for the layer search`);
  const eosId = model.tokenizer.eosId;
  const eos = eosId !== null ? (model.tokenizer.idToToken(eosId) ?? '') : '';
  const seqs = pairs.map(([s, e]) => {
    const prefix = model.tokenizer.encode(`${languageName(lang) ?? lang}: ${s}${eos}English:`);
    const cont = model.tokenizer.encode(` ${e}${eos}`, false);
    return { ids: [...prefix, ...cont].slice(0, model.cfg.maxPositions), from: prefix.length };
  });
  const V = model.cfg.vocabSize;
  const scores: Lrp2Search['scores'] = [];
  const L = vT.length - 1;
  for (let a = 0; a < L; a++) {
    for (let b = a + 1; b <= L; b++) {
      throwIfAborted(o.signal);
      const shifts = lrp2Shifts(vT, vE, a, b);
      const plan: GraphPlan = { capture: ['logits'], stats: [], kvCache: false, lastPositionOnly: false, ...model.interventionPlan(undefined, undefined, shifts) };
      let lp = 0;
      let n = 0;
      for (const s of seqs) {
        const logits = (await model.run([s.ids], plan, { shifts })).logits!.data;
        for (let t = s.from - 1; t + 1 < s.ids.length; t++) {
          lp -= tokenNll(logits, t, V, s.ids[t + 1]!);
          n++;
        }
      }
      scores.push({ a, b, logProb: n ? lp / n : -Infinity });
      o.onProgress?.({ fraction: scores.length / ((L * (L + 1)) / 2), message: `LRP2 search ${a}-${b}` });
    }
  }
  scores.sort((x, y) => y.logProb - x.logProb || x.a - y.a || x.b - y.b);
  return { a: scores[0]!.a, b: scores[0]!.b, scores };
}
