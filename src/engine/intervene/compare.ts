/**
 * Dense vs neuron-deactivated generation of one prompt (methods.md §2 "Deactivation"), for the
 * Compare panel and `polyglot-lens intervene`: both greedy continuations, their detected
 * languages, the first step's next-token distribution, and how much each layer's hook_post moved
 * over the prompt (‖b − a‖ / ‖a‖).
 */
import type { JobOptions, NeuronMask } from '../api';
import { captureHooks } from '../capture';
import { greedyGenerate } from '../generate';
import type { LoadedModel } from '../model/model';
import type { CompareResult, CompareSide } from '../../shared/compare';
import { detectLanguage } from './langid';

export const DEFAULT_MAX_NEW_TOKENS = 32;
/** Next-token candidates shown per side: enough to see where probability went, few enough for a card. */
export const TOP_NEXT = 5;

export interface CompareOptions extends JobOptions {
  maxNewTokens?: number;
  /** Label of the intervened side, e.g. "−fr neurons". */
  label?: string;
}

function topNext(model: LoadedModel, logits: Float32Array): CompareSide['topNext'] {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let z = 0;
  for (const v of logits) z += Math.exp(v - max);
  const idx = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]!).slice(0, TOP_NEXT);
  return idx.map((id) => ({ id, token: model.tokenizer.tokenTexts([id])[0]!, p: Math.exp(logits[id]! - max) / z }));
}

async function side(model: LoadedModel, ids: number[], label: string, maxNewTokens: number, deactivate: NeuronMask | undefined, o: JobOptions): Promise<CompareSide> {
  let first: CompareSide['topNext'] = [];
  const r = await greedyGenerate(model, ids, { maxNewTokens, deactivate, signal: o.signal, onLogits: (step, l) => step === 0 && (first = topNext(model, l)) });
  return { label, text: r.text, language: await detectLanguage(r.text), topNext: first };
}

export async function compareDeactivation(model: LoadedModel, prompt: string, mask: NeuronMask, o: CompareOptions = {}): Promise<CompareResult> {
  const ids = model.encodeInput(prompt, 'prompt');
  const maxNew = o.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS;
  model.interventionPlan(mask); // validates layers and indices before any run
  o.onProgress?.({ fraction: 0, message: 'dense' });
  const a = await side(model, ids, 'dense', maxNew, undefined, o);
  o.onProgress?.({ fraction: 0.45, message: 'intervened' });
  const b = await side(model, ids, o.label ?? 'deactivated', maxNew, mask, o);
  const hooks = ['blocks.*.mlp.hook_post'];
  const ca = await captureHooks(model, { ids, hooks }, o);
  const cb = await captureHooks(model, { ids, hooks, deactivate: mask }, o);
  const layerChange = new Float32Array(model.cfg.nLayers);
  for (let l = 0; l < model.cfg.nLayers; l++) {
    const x = ca[`blocks.${l}.mlp.hook_post`]!.data;
    const y = cb[`blocks.${l}.mlp.hook_post`]!.data;
    let num = 0;
    let den = 0;
    for (let i = 0; i < x.length; i++) {
      num += (y[i]! - x[i]!) ** 2;
      den += x[i]! ** 2;
    }
    layerChange[l] = den > 0 ? Math.sqrt(num / den) : 0;
  }
  o.onProgress?.({ fraction: 1, message: 'compared' });
  return { prompt, a, b, layerChange };
}
