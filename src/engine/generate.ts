/**
 * Greedy generation with a KV cache: one prefill run over the prompt, then one single-token run
 * per new token that feeds back the cached keys and values (present_* → past_*).
 */
import type { GenerateResult, JobOptions, NeuronMask } from './api';
import type { StopReason } from '../shared/generatedText';
import { throwIfAborted } from './errors';
import type { LoadedModel, Variant } from './model/model';
import { pastInput, presentOutput, type GraphPlan } from './model/plan';
import * as ort from './onnx/ort';

export interface GreedyOptions extends JobOptions {
  maxNewTokens: number;
  stopIds?: number[];
  deactivate?: NeuronMask;
  variant?: Variant;
  /** Residual shifts by hidden-state index (LRP2). */
  shifts?: Record<number, Float32Array>;
  /** Called with each step's next-token logits [vocab] (for top-k displays). */
  onLogits?: (step: number, logits: Float32Array) => void;
  /**
   * The prompt's forward already ran with the KV cache (an analysis, analyze.ts): its cache and
   * last-position logits stand in for the prefill when its ids are the prompt's, so a continuation
   * after an analysis does not pass the whole model over the prompt a second time (on a 7B model in
   * mapped mode, a read and widening of every weight).
   */
  start?: GenerationStart;
}

/** What the prefill of a generation returns: the prompt's KV cache and its last position's logits. */
export interface GenerationStart {
  ids: number[];
  /** present_* of the prompt's forward, by past_* input name. */
  past: Record<string, ort.OrtTensor>;
  logits: Float32Array;
}

type Outputs = Record<string, { data: Float32Array; dims: readonly number[] }>;

/** The present_* outputs of a KV-cache forward as the next run's past_* inputs. */
function pastOf(model: LoadedModel, out: Outputs): Record<string, ort.OrtTensor> {
  const past: Record<string, ort.OrtTensor> = {};
  for (let l = 0; l < model.cfg.nLayers; l++) {
    for (const kv of ['k', 'v'] as const) {
      const t = out[presentOutput(l, kv)]!;
      past[pastInput(l, kv)] = ort.f32(t.data, [...t.dims]);
    }
  }
  return past;
}

/** The outputs a KV-cache forward over `ids` returned, as the start of their continuation. */
export function generationStart(model: LoadedModel, ids: number[], out: Outputs): GenerationStart {
  return { ids: [...ids], past: pastOf(model, out), logits: out.logits!.data };
}

/** The KV cache before the first token: every layer's past keys and values, 0 positions. */
export function emptyPast(model: LoadedModel): Record<string, ort.OrtTensor> {
  const { nLayers, nKvHeads, dHead } = model.cfg;
  const past: Record<string, ort.OrtTensor> = {};
  for (let l = 0; l < nLayers; l++) {
    for (const kv of ['k', 'v'] as const) past[pastInput(l, kv)] = ort.f32(new Float32Array(0), [1, nKvHeads, 0, dHead]);
  }
  return past;
}

const sameIds = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

/** The plan every generation step runs (the KV-cache graph); warm.ts prepares the same one. */
export function generationPlan(model: LoadedModel, deactivate?: NeuronMask, variant?: Variant, shifts?: Record<number, Float32Array>): GraphPlan {
  return { capture: ['logits'], stats: [], kvCache: true, lastPositionOnly: true, ...model.interventionPlan(deactivate, variant, shifts) };
}

export async function greedyGenerate(model: LoadedModel, promptIds: number[], o: GreedyOptions): Promise<GenerateResult> {
  model.checkIds(promptIds, 'prompt');
  model.checkLength(promptIds.length, 'prompt');
  const stop = new Set(o.stopIds ?? model.stopIds());
  const plan = generationPlan(model, o.deactivate, o.variant, o.shifts);
  // Room left before max_position_embeddings bounds the new tokens: documented behaviour is to stop there.
  const budget = Math.min(o.maxNewTokens, model.cfg.maxPositions - promptIds.length);
  let past = emptyPast(model);
  let pastLen = 0;
  let input = promptIds;
  const generated: number[] = [];
  const start = o.start && sameIds(o.start.ids, promptIds) ? o.start : undefined;
  for (let step = 0; step < budget; step++) {
    throwIfAborted(o.signal);
    const out = step === 0 && start ? undefined : await model.run([input], plan, { deactivate: o.deactivate, variant: o.variant, shifts: o.shifts, past: { length: pastLen, tensors: past } });
    const logits = out ? out.logits!.data : start!.logits;
    o.onLogits?.(step, logits);
    const next = argmax(logits);
    generated.push(next);
    o.onProgress?.({ fraction: (step + 1) / budget, message: `token ${step + 1}/${budget}` });
    if (stop.has(next)) break;
    pastLen += input.length;
    past = out ? pastOf(model, out) : start!.past;
    input = [next];
  }
  const text = model.tokenizer.decode(generated.filter((id) => !stop.has(id)));
  const last = generated[generated.length - 1];
  const stoppedBy: StopReason = last !== undefined && stop.has(last) ? 'eos' : generated.length >= o.maxNewTokens ? 'max-new-tokens' : 'context';
  return { promptIds, generatedIds: generated, text, stoppedBy };
}
