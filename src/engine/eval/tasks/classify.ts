/**
 * Task `classify` (methods.md §5): zero-shot label scoring. Each candidate label fills the
 * template's `{{label}}` (appended at the end when the template has none); the filled-in
 * sequence is scored by
 *   - `sequence-mean`: the mean log-probability over all its predicted tokens (Kim et al.), or
 *   - `continuation-sum`: the summed log-probability of the tokens after the shared prefix,
 *     i.e. the label and whatever the template puts after it (lm-evaluation-harness);
 * the prediction is the argmax (the first label on a tie).
 *
 * The text before `{{label}}` is the same for every label: it is tokenized once (with the
 * tokenizer's special tokens) and run once with a KV cache; each label's continuation
 * (tokenized without special tokens, so prefix ids + continuation ids is the scored sequence)
 * then runs on that cache, all labels in one batch. `scoreLabelsFull` recomputes every full
 * sequence from scratch; the two agree (test/eval/classify.test.ts).
 */
import type { JobOptions } from '../../api';
import { throwIfAborted, UserError } from '../../errors';
import { pastInput, presentOutput } from '../../model/plan';
import * as ort from '../../onnx/ort';
import { classifyStats } from '../metrics/classification';
import { ALL_UNITS, DataHash, finishGroup, type GroupScores, type ItemScore, type UnitSelection, type UnitWork } from '../scores';
import { tokenNll } from '../metrics/perplexity';
import type { LabelledItem } from '../datasets';
import { emptyPast } from '../../generate';
import { logitsPlan, runOptions, subjectFor } from '../run';
import type { EvalTemplate } from '../template';
import type { EvalSubject, TaskResult } from '../types';

export type LabelScoring = 'sequence-mean' | 'continuation-sum';
export const LABEL_SCORINGS: readonly LabelScoring[] = ['sequence-mean', 'continuation-sum'];
const LABEL_SLOT = '\uE010label\uE011';

export interface ClassifyTaskOptions extends JobOptions {
  /** The words scored, one per class (an item's gold is an index into them). */
  labels: string[];
  /** The words scored for items of a language, parallel to `labels` (XNLI with native verbalizers). */
  labelsByLanguage?: Readonly<Record<string, readonly string[]>>;
  template: EvalTemplate;
  scoring?: LabelScoring;
  /** false: recompute each full sequence (the reference path, and the benchmark's baseline). */
  prefixCache?: boolean;
}

/** Token ids of one item: the shared prefix and each label's continuation. */
export interface LabelSequences {
  prefix: number[];
  continuations: number[][];
}

export function labelSequences(subject: EvalSubject, template: EvalTemplate, vars: Record<string, unknown>, labels: readonly string[], where: string): LabelSequences {
  const tok = subject.model.tokenizer;
  const rendered = template.render({ ...vars, label: LABEL_SLOT });
  const at = rendered.indexOf(LABEL_SLOT);
  // Whitespace right before {{label}} belongs to the label ("Answer: yes" is "Answer:" + " yes"), as
  // lm-evaluation-harness joins context and continuation: the label word is then tokenized the way
  // it is in running text, where byte-level BPEs fold the space into the word's token.
  const head = at < 0 ? rendered : rendered.slice(0, at);
  const space = /[ \t]*$/.exec(head)![0];
  const before = head.slice(0, head.length - space.length);
  const after = at < 0 ? '' : rendered.slice(at + LABEL_SLOT.length);
  if (after.includes(LABEL_SLOT)) throw new UserError(template.source, 'uses {{label}} more than once');
  const prefix = tok.encode(before);
  if (prefix.length === 0) throw new UserError(where, 'the prompt before the label has no tokens (the tokenizer adds no BOS); put text before {{label}}');
  const continuations = labels.map((l) => tok.encode(`${space}${l}${after}`, false));
  const empty = continuations.findIndex((c) => c.length === 0);
  if (empty >= 0) throw new UserError(template.source, `label ${JSON.stringify(labels[empty])} has no tokens`);
  const longest = prefix.length + Math.max(...continuations.map((c) => c.length));
  subject.model.checkLength(longest, where);
  return { prefix, continuations };
}

/** Log-probabilities: of the prefix's own predicted tokens (Σ) and of each continuation (Σ). */
export interface LabelLogProbs {
  prefix: number;
  prefixTokens: number;
  continuation: number[];
  continuationTokens: number[];
}

export function labelScores(lp: LabelLogProbs, scoring: LabelScoring): number[] {
  return lp.continuation.map((c, i) => (scoring === 'continuation-sum' ? c : (lp.prefix + c) / (lp.prefixTokens + lp.continuationTokens[i]!)));
}

/** Reference path: every full sequence run alone, no cache. */
export async function scoreLabelsFull(subject: EvalSubject, seqs: LabelSequences): Promise<LabelLogProbs> {
  const { model } = subject;
  const V = model.cfg.vocabSize;
  const P = seqs.prefix.length;
  const plan = logitsPlan(subject);
  let prefix = 0;
  const continuation: number[] = [];
  for (const c of seqs.continuations) {
    const full = [...seqs.prefix, ...c];
    const logits = (await model.run([full], plan, runOptions(subject))).logits!.data; // [len, vocab]
    let pre = 0;
    let cont = 0;
    for (let t = 0; t + 1 < full.length; t++) {
      const lp = -tokenNll(logits, t, V, full[t + 1]!);
      if (t + 1 < P) pre += lp;
      else cont += lp;
    }
    prefix = pre;
    continuation.push(cont);
  }
  return { prefix, prefixTokens: P - 1, continuation, continuationTokens: seqs.continuations.map((c) => c.length) };
}

/** The shortcut: the prefix once with a KV cache, then every continuation on it in one batch. */
export async function scoreLabelsCached(subject: EvalSubject, seqs: LabelSequences): Promise<LabelLogProbs> {
  const { model } = subject;
  const { nLayers, nKvHeads, dHead, vocabSize: V } = model.cfg;
  const P = seqs.prefix.length;
  const plan = logitsPlan(subject, true);
  const first = await model.run([seqs.prefix], plan, runOptions(subject, { length: 0, tensors: emptyPast(model) }));
  const prefixLogits = first.logits!.data; // [P, vocab]
  let prefix = 0;
  for (let t = 0; t + 1 < P; t++) prefix -= tokenNll(prefixLogits, t, V, seqs.prefix[t + 1]!);
  // The cache of the prefix, repeated for every label: [B, kv_heads, P, d_head].
  const B = seqs.continuations.length;
  const past: Record<string, ort.OrtTensor> = {};
  for (let l = 0; l < nLayers; l++) {
    for (const kv of ['k', 'v'] as const) {
      const one = first[presentOutput(l, kv)]!.data; // [1, kv_heads, P, d_head]
      const tiled = new Float32Array(B * one.length);
      for (let b = 0; b < B; b++) tiled.set(one, b * one.length);
      past[pastInput(l, kv)] = ort.f32(tiled, [B, nKvHeads, P, dHead]);
    }
  }
  // Right-padded continuations: causal attention keeps real positions from seeing the padding.
  const T = Math.max(...seqs.continuations.map((c) => c.length));
  const padded = seqs.continuations.map((c) => [...c, ...new Array<number>(T - c.length).fill(c[c.length - 1]!)]);
  const out = await model.run(padded, plan, runOptions(subject, { length: P, tensors: past }));
  const logits = out.logits!.data; // [B·T, vocab]
  const continuation = seqs.continuations.map((c, b) => {
    let s = -tokenNll(prefixLogits, P - 1, V, c[0]!);
    for (let i = 1; i < c.length; i++) s -= tokenNll(logits, b * T + i - 1, V, c[i]!);
    return s;
  });
  return { prefix, prefixTokens: P - 1, continuation, continuationTokens: seqs.continuations.map((c) => c.length) };
}

/** The passes scoreLabelsCached (the prefix, then every label in one batch) or scoreLabelsFull run. */
export function labelWork(seqs: LabelSequences, cached: boolean): UnitWork {
  const P = seqs.prefix.length;
  const lengths = seqs.continuations.map((c) => c.length);
  const tokens = P + lengths.reduce((a, b) => a + b, 0);
  if (!cached) return { sequences: lengths.length, tokens: P * lengths.length + tokens - P, passes: lengths.map((c) => [1, P + c, 0]), logits: 'all' };
  return { sequences: lengths.length, tokens, passes: [[1, P, 0], [lengths.length, Math.max(...lengths), P]], logits: 'all' };
}

function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/** Every language's items scored; each item (its prefix and all its labels) is a unit of its own. */
export async function classifyScores(subject: EvalSubject, items: LabelledItem[], o: ClassifyTaskOptions & { units?: UnitSelection }): Promise<GroupScores[]> {
  const scoring = o.scoring ?? 'sequence-mean';
  if (o.labels.length < 2) throw new UserError('labels', 'classification needs at least two labels');
  const langs = [...new Set(items.map((i) => i.lang))];
  const groups: GroupScores[] = [];
  let done = 0;
  for (const lang of langs) {
    const keep = o.units?.(lang) ?? ALL_UNITS;
    const mine = items.filter((i) => i.lang === lang);
    // Per-language interventions (MODEL@lrp2), computed when this shard first scores an item of the language.
    let perLang: EvalSubject | undefined;
    const sub = async (): Promise<EvalSubject> => (perLang ??= await subjectFor(subject, lang, o));
    const words = [...(o.labelsByLanguage?.[lang] ?? o.labels)];
    const data = new DataHash();
    data.add(words);
    for (const it of mine) data.add(it.where, it.label, it.gold, it.vars);
    const scores = new Map<number, ItemScore>();
    let seconds = 0;
    for (const [k, it] of mine.entries()) {
      const t0 = performance.now();
      const seqs = labelSequences(subject, o.template, it.vars, words, it.where);
      if (!keep(k, mine.length, labelWork(seqs, o.prefixCache !== false))) {
        ++done;
        continue;
      }
      throwIfAborted(o.signal);
      const s = await sub();
      const lp = o.prefixCache === false ? await scoreLabelsFull(s, seqs) : await scoreLabelsCached(s, seqs);
      seconds += (performance.now() - t0) / 1000;
      const label = labelScores(lp, scoring);
      const predicted = argmax(label);
      scores.set(k, {
        stats: { classify: classifyStats(it.gold, predicted, words.length) },
        detail: { where: it.where, gold: words[it.gold], predicted: words[predicted], ...(it.label !== words[it.gold] ? { goldClass: it.label } : {}), scores: label },
      });
      o.onProgress?.({ fraction: ++done / items.length, message: `classify ${lang} ${done}/${items.length}` });
    }
    groups.push({ task: 'classify', language: lang, source: o.template.source, itemCount: mine.length, unitCount: mine.length, dataSha256: data.digest(), scores, seconds });
  }
  return groups;
}

export async function classifyTask(subject: EvalSubject, items: LabelledItem[], o: ClassifyTaskOptions): Promise<TaskResult[]> {
  return (await classifyScores(subject, items, o)).map(finishGroup);
}
