/**
 * "Analyze Activations": one prompt through the model with every layer's MLP output
 * (`blocks.{l}.mlp.hook_post`) captured, reduced to the top-k neurons per token and layer, plus
 * the greedy continuation. Only the top-k leave the engine: [pos, layers, k] instead of
 * [pos, layers, d_mlp].
 */
import { basename } from 'node:path';
import type { JobOptions, NeuronMask, TensorData } from './api';
import type { ActivationAnalysis } from '../shared/analysis';
import { isByteLevel, tokenBytes } from './lens/vocabulary';
import { throwIfAborted } from './errors';
import { emptyPast, generationStart, greedyGenerate } from './generate';
import type { LoadedModel, Variant } from './model/model';
import type { GraphPlan } from './model/plan';
import type { FusedLensHead, LensHeadSpec } from './model/lensHead';

export interface AnalyzeRequest {
  text: string;
  topK?: number;
  maxNewTokens?: number;
  deactivate?: NeuronMask;
  variant?: Variant;
  /** More hooks captured in the same forward and handed to `keep` (the lens's residual streams, lens/hidden.ts). */
  extraCapture?: string[];
  /** The lens head fused into the same forward (lens/run.ts prepareLens): its outputs are handed to `keep` with the captures. */
  lensHead?: FusedLensHead;
  /**
   * The forward also returns the prompt's KV cache and its last position's logits (handed to `keep`
   * with the captures: generate.ts generationStart), so a continuation asked for later starts from
   * them instead of a second forward over the prompt. Implied by maxNewTokens > 0.
   */
  withKvCache?: boolean;
}

/** 8 neurons per cell: enough for a hover card, small enough for 512 tokens × 32 layers. */
export const DEFAULT_TOP_K = 8;

/** Indices of the k largest values of row (descending), ties by lower index. */
export function topK(row: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < row.length; j++) {
    const v = row[j]!;
    if (best.length === k && v <= row[best[k - 1]!]!) continue;
    let i = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(j);
    while (i > 0 && row[best[i - 1]!]! < v) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = j;
  }
  return best;
}

/**
 * `keep` receives the captured hook_post of every layer (the whole forward this analysis ran), so
 * the engine can answer any neuron's per-token values later without another run (neuron hovers).
 */
/** Every layer's MLP output, the hooks an analysis captures. */
export function analysisHooks(nLayers: number): string[] {
  return Array.from({ length: nLayers }, (_, l) => `blocks.${l}.mlp.hook_post`);
}

/**
 * The plan of the analysis forward (whole prompt, every layer's hook_post); warm.ts prepares the same
 * one. With `kvCache`, the forward is also the prefill of the continuation: the KV cache of every
 * layer and the last position's logits, as generation's plan returns them (unless the logits of
 * every position are captured, which a continuation cannot start from).
 */
export function analysisPlan(model: LoadedModel, deactivate?: NeuronMask, variant?: Variant, extraCapture: string[] = [], kvCache = false, lens?: LensHeadSpec): GraphPlan {
  const hooks = analysisHooks(model.cfg.nLayers);
  const capture = [...hooks, ...extraCapture.filter((h) => !hooks.includes(h))];
  const prefill = kvCache && !capture.includes('logits');
  return { capture: prefill ? [...capture, 'logits'] : capture, stats: [], kvCache: prefill, lastPositionOnly: prefill, ...model.interventionPlan(deactivate, variant), ...(lens ? { lens } : {}) };
}

/** Where an analysis spent its time (ms): the forward (with any session it had to create), top-k and token texts, the continuation. */
export interface AnalyzeTiming {
  forwardMs?: number;
  topKMs?: number;
  continuationMs?: number;
}

export async function analyzeActivations(model: LoadedModel, req: AnalyzeRequest, o: JobOptions = {}, keep?: (ids: number[], out: Record<string, TensorData>) => void, timing?: AnalyzeTiming): Promise<ActivationAnalysis> {
  const k = Math.min(req.topK ?? DEFAULT_TOP_K, model.cfg.dMlp);
  const ids = model.encodeInput(req.text, 'prompt');
  model.checkLength(ids.length, 'prompt');
  const L = model.cfg.nLayers;
  const hooks = analysisHooks(L);
  o.onProgress?.({ fraction: 0, message: 'running the prompt' });
  let t = performance.now();
  const maxNew = req.maxNewTokens ?? 0;
  const plan = analysisPlan(model, req.deactivate, req.variant, req.extraCapture, req.withKvCache || maxNew > 0, req.lensHead?.spec);
  const out = await model.run([ids], plan, {
    deactivate: req.deactivate,
    variant: req.variant,
    ...(req.lensHead ? { lens: req.lensHead.inputs } : {}),
    ...(plan.kvCache ? { past: { length: 0, tensors: emptyPast(model) } } : {}),
  });
  throwIfAborted(o.signal);
  keep?.(ids, out);
  if (timing) timing.forwardMs = performance.now() - t;
  t = performance.now();
  const P = ids.length;
  const D = model.cfg.dMlp;
  const topIndex = new Int32Array(P * L * k); // [pos, layer, k]
  const topValue = new Float32Array(P * L * k); // [pos, layer, k]
  for (let l = 0; l < L; l++) {
    const acts = out[hooks[l]!]!.data; // [pos, d_mlp]
    for (let p = 0; p < P; p++) {
      const row = acts.subarray(p * D, (p + 1) * D);
      topK(row, k).forEach((j, r) => {
        const at = (p * L + l) * k + r;
        topIndex[at] = j;
        topValue[at] = row[j]!;
      });
    }
  }
  const texts = model.tokenizer.tokenTexts(ids);
  const offsets = model.tokenizer.offsets(req.text, ids);
  // A token that is part of a character (byte-level BPE) decodes alone to U+FFFD: its bytes say which part.
  const pieces = texts.some((t) => t.includes('\ufffd')) ? tokenBytes(model.tokenizer, isByteLevel(model.ckpt.dir), ids) : undefined;
  let generated: ActivationAnalysis['generated'] = { ids: [], text: '' };
  if (timing) timing.topKMs = performance.now() - t;
  t = performance.now();
  if (maxNew > 0) {
    const g = await greedyGenerate(model, ids, {
      maxNewTokens: maxNew,
      deactivate: req.deactivate,
      variant: req.variant,
      signal: o.signal,
      ...(plan.kvCache ? { start: generationStart(model, ids, out) } : {}),
      onProgress: (p) => o.onProgress?.({ fraction: 0.2 + 0.8 * p.fraction, message: `generating: ${p.message}` }),
    });
    generated = { ids: g.generatedIds, text: g.text, stoppedBy: g.stoppedBy };
  }
  if (timing) timing.continuationMs = performance.now() - t;
  return {
    model: { dir: model.ckpt.dir, name: basename(model.ckpt.dir), nLayers: L, dMlp: D },
    text: req.text,
    tokens: ids.map((id, i) => {
      const bytes = pieces && texts[i]!.includes('\ufffd') ? pieces[i] : null;
      return { id, text: texts[i]!, start: offsets[i]?.[0] ?? null, end: offsets[i]?.[1] ?? null, ...(bytes ? { bytes: Array.from(bytes) } : {}) };
    }),
    nLayers: L,
    topK: k,
    topIndex,
    topValue,
    generated,
  };
}
