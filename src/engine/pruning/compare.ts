/**
 * Compare data for the Compare panel (src/shared/compare.ts): the same prompt run by two arms
 * (dense, a pruned variant, or a neuron deactivation) — greedy text, the top-10 next-token
 * distribution, and per layer the relative change ‖b − a‖ / ‖a‖ of blocks.{i}.mlp.hook_post over
 * the prompt's positions.
 */
import type { JobOptions, NeuronMask } from '../api';
import type { CompareResult, CompareSide } from '../../shared/compare';
import { captureHooks } from '../capture';
import { greedyGenerate } from '../generate';
import type { LoadedModel, Variant } from '../model/model';
import { PrunedVariant } from './types';

export interface CompareArm {
  label?: string;
  variant?: Variant;
  deactivate?: NeuronMask;
  /** Residual shifts by hidden-state index (an LRP2 variant). */
  shifts?: Record<number, Float32Array>;
}

export interface CompareOptions extends JobOptions {
  /** Greedy tokens per side (default 32, as `generate`). */
  maxNewTokens?: number;
  /** Entries of the next-token list (default 10, what the panel shows). */
  topK?: number;
  /** Prompt text to show; defaults to the decoded ids. */
  prompt?: string;
  /** Language identification of each output; without it every side reads "und" (undetermined). */
  detectLanguage?: (text: string) => CompareSide['language'];
}

const UNDETERMINED: CompareSide['language'] = { code: 'und', name: 'undetermined', confidence: 0 };

function armOf(x: Variant | CompareArm | undefined): CompareArm {
  if (x === undefined) return { label: 'dense' };
  if (x instanceof Map) return { variant: x, label: x instanceof PrunedVariant ? x.info.name : 'variant' };
  return x;
}

/** The k most probable next tokens from logits (softmax in F64, max subtracted for stability). */
export function topNext(model: LoadedModel, logits: Float32Array, k: number): CompareSide['topNext'] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += Math.exp(logits[i]! - max);
  const ids = Array.from({ length: logits.length }, (_, i) => i)
    .sort((a, b) => logits[b]! - logits[a]! || a - b)
    .slice(0, k);
  const texts = model.tokenizer.tokenTexts(ids);
  return ids.map((id, i) => ({ token: texts[i]!, id, p: Math.exp(logits[id]! - max) / z }));
}

async function side(model: LoadedModel, ids: number[], arm: CompareArm, o: CompareOptions): Promise<{ side: CompareSide; post: Record<string, Float32Array> }> {
  let first: Float32Array | undefined;
  const gen = await greedyGenerate(model, ids, {
    maxNewTokens: o.maxNewTokens ?? 32,
    deactivate: arm.deactivate,
    variant: arm.variant,
    shifts: arm.shifts,
    signal: o.signal,
    onLogits: (step, l) => {
      if (step === 0) first = Float32Array.from(l);
    },
  });
  const cap = await captureHooks(model, { ids, hooks: ['blocks.*.mlp.hook_post'], deactivate: arm.deactivate, variant: arm.variant, shifts: arm.shifts }, { signal: o.signal });
  return {
    side: {
      label: arm.label ?? 'variant',
      text: gen.text,
      ids: gen.generatedIds,
      stoppedBy: gen.stoppedBy,
      language: o.detectLanguage?.(gen.text) ?? UNDETERMINED,
      topNext: first ? topNext(model, first, o.topK ?? 10) : [],
    },
    post: Object.fromEntries(Object.entries(cap).map(([h, t]) => [h, t.data])),
  };
}

/** Relative L2 change ‖b − a‖ / ‖a‖ (0 when both are zero). */
export function relativeChange(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = b[i]! - a[i]!;
    d += x * x;
    n += a[i]! * a[i]!;
  }
  return n === 0 ? (d === 0 ? 0 : Infinity) : Math.sqrt(d / n);
}

export async function compareVariants(
  model: LoadedModel,
  ids: number[],
  a: Variant | CompareArm | undefined,
  b: Variant | CompareArm | undefined,
  o: CompareOptions = {},
): Promise<CompareResult> {
  const A = await side(model, ids, armOf(a), o);
  o.onProgress?.({ fraction: 0.5, message: `ran ${A.side.label}` });
  const B = await side(model, ids, armOf(b), o);
  o.onProgress?.({ fraction: 1, message: `ran ${B.side.label}` });
  const layerChange = new Float32Array(model.cfg.nLayers);
  for (let i = 0; i < model.cfg.nLayers; i++) {
    const h = `blocks.${i}.mlp.hook_post`;
    layerChange[i] = relativeChange(A.post[h]!, B.post[h]!);
  }
  return { prompt: o.prompt ?? model.tokenizer.decode(ids), a: A.side, b: B.side, layerChange };
}
