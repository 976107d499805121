/**
 * A model's distribution over the scores of a range (methods.md §7, the numeric-bias study).
 *
 * Contract (docs/cli.md "bias"): a score's continuation is its decimal digits appended directly
 * to the rendered prompt text; its tokens are those of tokenize(prompt + digits) after the
 * common prefix with tokenize(prompt), and its log-probability is the sum of theirs. The
 * distribution is renormalised over the range. A tokenizer that appends EOS to every encoding
 * would make EOS part of every score: that trailing EOS is dropped from both encodings first.
 *
 * Cost: the prompt runs once (KV cache). A score whose continuation is one token is read from
 * the prompt's own logits; longer continuations are grouped by all-but-their-last token, and
 * groups of equal length run together as one batch over the cached prefix — 1–100 on a
 * digit-per-token vocabulary costs the prompt plus two short batched runs, not 100
 * prompt-length runs.
 */
import type { JobOptions, NeuronMask } from '../api';
import { throwIfAborted, UserError } from '../errors';
import { emptyPast } from '../generate';
import type { LoadedModel, Variant } from '../model/model';
import { pastInput, presentOutput, type GraphPlan } from '../model/plan';
import * as ort from '../onnx/ort';

export interface ScoreRange {
  min: number;
  max: number;
}

/** Ranges beyond this many values are almost surely a typo (1–10000) and cost a run per group. */
export const MAX_RANGE_VALUES = 1000;

export interface ScoreDistribution {
  scores: number[];
  /** Sum of the continuation tokens' log-probabilities, per score (natural log). */
  logprobs: number[];
  /** softmax over the range of `logprobs`. */
  distribution: number[];
  argmax: number;
  expected: number;
  /** Continuation token ids per score (for inspection and the tests). */
  tokens: number[][];
}

export interface ScoreOptions extends JobOptions {
  deactivate?: NeuronMask;
  variant?: Variant;
  /** Residual shifts by hidden-state index (an LRP2 model entry, `default@lrp2:fr`). */
  shifts?: Record<number, Float32Array>;
}

export function rangeValues(r: ScoreRange, subject: string): number[] {
  if (!Number.isInteger(r.min) || !Number.isInteger(r.max)) throw new UserError(subject, `score range must be integers, got ${r.min}–${r.max}`);
  if (r.max <= r.min) throw new UserError(subject, `score range max (${r.max}) must be above min (${r.min})`);
  if (r.max - r.min + 1 > MAX_RANGE_VALUES) throw new UserError(subject, `score range ${r.min}–${r.max} has more than ${MAX_RANGE_VALUES} values`);
  return Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i);
}

function commonPrefix(a: number[], b: number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** log softmax(row)[id], in float64. */
function logProb(row: Float32Array, id: number): number {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  let z = 0;
  for (const v of row) z += Math.exp(v - max);
  return row[id]! - max - Math.log(z);
}

/** The first `length` positions of a [1, heads, S, dHead] KV tensor, repeated `batch` times along the batch axis. */
function repeatPast(t: { data: Float32Array; dims: number[] }, length: number, batch: number): ort.OrtTensor {
  const [, h, s, d] = t.dims as [number, number, number, number];
  if (length === s && batch === 1) return ort.f32(t.data, t.dims);
  const one = h * length * d;
  const out = new Float32Array(batch * one);
  for (let hh = 0; hh < h; hh++) out.set(t.data.subarray(hh * s * d, hh * s * d + length * d), hh * length * d);
  for (let b = 1; b < batch; b++) out.copyWithin(b * one, 0, one);
  return ort.f32(out, [batch, h, length, d]);
}

/** Encodings of the prompt and of each prompt+score, with a shared trailing EOS removed. */
export function scoreContinuations(model: LoadedModel, prompt: string, scores: number[]): { promptIds: number[]; cuts: number[]; conts: number[][] } {
  const eos = model.tokenizer.eosId;
  const trim = (ids: number[]): number[] => (eos !== null && ids.length > 1 && ids[ids.length - 1] === eos ? ids.slice(0, -1) : ids);
  const promptIds = trim(model.tokenizer.encode(prompt));
  const cuts: number[] = [];
  const conts: number[][] = [];
  for (const s of scores) {
    const full = trim(model.tokenizer.encode(prompt + String(s)));
    const c = commonPrefix(full, promptIds);
    if (c === 0) throw new UserError('prompt', `nothing precedes the score ${s}: the prompt must tokenize to at least one token before it`);
    if (c === full.length) throw new UserError('prompt', `the score ${s} adds no token after the prompt`);
    cuts.push(c);
    conts.push(full.slice(c));
  }
  return { promptIds, cuts, conts };
}

export async function scoreDistribution(model: LoadedModel, prompt: string, range: ScoreRange, o: ScoreOptions = {}): Promise<ScoreDistribution> {
  const scores = rangeValues(range, 'polyglot.scores');
  const { promptIds, cuts, conts } = scoreContinuations(model, prompt, scores);
  model.checkIds(promptIds, 'prompt');
  const longest = Math.max(...cuts.map((c, i) => c + conts[i]!.length));
  model.checkLength(Math.max(promptIds.length, longest), 'prompt');
  const plan: GraphPlan = { capture: ['logits'], stats: [], kvCache: true, lastPositionOnly: false, ...model.interventionPlan(o.deactivate, o.variant, o.shifts) };
  const vocab = model.cfg.vocabSize;
  const run = { deactivate: o.deactivate, variant: o.variant, shifts: o.shifts };

  throwIfAborted(o.signal);
  const pre = await model.run([promptIds], plan, { ...run, past: { length: 0, tensors: emptyPast(model) } });
  const preLogits = pre.logits!.data; // [T, vocab]
  const row = (data: Float32Array, i: number): Float32Array => data.subarray(i * vocab, (i + 1) * vocab);

  const logprobs = new Array<number>(scores.length).fill(0);
  // Group continuations by (cut, all tokens but the last): one run per group over the cached prefix.
  const groups = new Map<string, number[]>();
  conts.forEach((cont, i) => {
    logprobs[i] = logProb(row(preLogits, cuts[i]! - 1), cont[0]!);
    if (cont.length === 1) return;
    const key = JSON.stringify([cuts[i], cont.slice(0, -1)]);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  // Groups with the same cut and input length share one batched run: the cached prefix is
  // repeated along the batch axis, and no row needs padding.
  const batches = new Map<string, number[][]>();
  for (const members of groups.values()) {
    const first = members[0]!;
    const key = `${cuts[first]}:${conts[first]!.length - 1}`;
    batches.set(key, [...(batches.get(key) ?? []), members]);
  }
  let done = 0;
  for (const batch of batches.values()) {
    throwIfAborted(o.signal);
    const cut = cuts[batch[0]![0]!]!;
    const inputs = batch.map((members) => conts[members[0]!]!.slice(0, -1));
    const past: Record<string, ort.OrtTensor> = {};
    for (let l = 0; l < model.cfg.nLayers; l++) {
      for (const kv of ['k', 'v'] as const) past[pastInput(l, kv)] = repeatPast(pre[presentOutput(l, kv)]!, cut, inputs.length);
    }
    const out = await model.run(inputs, plan, { ...run, past: { length: cut, tensors: past } });
    const logits = out.logits!.data; // [B · len, vocab]; row b·len + t predicts cont[t + 1] of group b
    const len = inputs[0]!.length;
    batch.forEach((members, b) => {
      for (const i of members) {
        const cont = conts[i]!;
        for (let t = 1; t < cont.length; t++) logprobs[i]! += logProb(row(logits, b * len + t - 1), cont[t]!);
      }
    });
    o.onProgress?.({ fraction: ++done / batches.size, message: `scores ${done}/${batches.size}` });
  }

  const top = Math.max(...logprobs);
  const weights = logprobs.map((lp) => Math.exp(lp - top));
  const z = weights.reduce((a, b) => a + b, 0);
  const distribution = weights.map((w) => w / z);
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (distribution[i]! > distribution[best]!) best = i;
  const expected = distribution.reduce((s, p, i) => s + p * scores[i]!, 0);
  return { scores, logprobs, distribution, argmax: scores[best]!, expected, tokens: conts };
}
