/**
 * Gemma 2 (`gemma2`): Gemma's blocks (gemma.ts) plus, as HF's modeling_gemma2.py computes them:
 * - attention scores scaled by query_pre_attn_scalar^-0.5 and soft-capped,
 *   cap·tanh(s / cap) with cap = attn_logit_softcapping, before the mask;
 * - local and global layers alternating: even layers (0, 2, …) see only the last
 *   `sliding_window` positions (HF `is_sliding = not layer_idx % 2`, or `layer_types` when the
 *   config lists them), odd layers see everything;
 * - post_attention_layernorm on the attention output before the residual add, and
 *   pre_/post_feedforward_layernorm around the MLP (hook ln2.hook_normalized is the
 *   pre_feedforward_layernorm output, the MLP's input);
 * - final logits soft-capped with final_logit_softcapping.
 */
import type { ConfigReader } from '../checkpoint/config';
import { UserError } from '../errors';
import { gemmaBase, gemmaFamily, type GemmaConfig } from './gemma';

/** A soft-cap value: a positive number, or null/absent for "no capping" (HF checks `is not None`). */
function cap(cfg: ConfigReader, key: string, fallback: number): number | undefined {
  if (cfg.raw[key] === null) return undefined;
  const v = cfg.number(key, fallback);
  if (!(v > 0)) throw new UserError(cfg.file, `${key} must be a positive number or null, got ${v}`);
  return v;
}

function slidingLayers(cfg: ConfigReader, nLayers: number): number[] {
  const types = cfg.raw.layer_types;
  if (types === undefined || types === null) return Array.from({ length: nLayers }, (_, i) => i).filter((i) => i % 2 === 0);
  if (!Array.isArray(types) || types.length !== nLayers) throw new UserError(cfg.file, `layer_types must list one type per layer (${nLayers})`);
  return types.flatMap((t, i) => {
    if (t === 'sliding_attention') return [i];
    if (t === 'full_attention') return [];
    throw new UserError(cfg.file, `layer_types: ${JSON.stringify(t)} is not supported (sliding_attention and full_attention are)`);
  });
}

function normalizeGemma2(cfg: ConfigReader, hasTensor: (name: string) => boolean): GemmaConfig {
  const c = gemmaBase(cfg, hasTensor);
  const window = cfg.raw.sliding_window === null ? undefined : cfg.int('sliding_window', 4096);
  const layers = window === undefined ? [] : slidingLayers(cfg, c.nLayers);
  return {
    ...c,
    queryScale: cfg.number('query_pre_attn_scalar', 224) ** -0.5,
    attnSoftcap: cap(cfg, 'attn_logit_softcapping', 50),
    finalSoftcap: cap(cfg, 'final_logit_softcapping', 30),
    slidingWindow: window,
    slidingWindowLayers: layers,
    sandwichNorms: true,
  };
}

export const gemma2Adapter = gemmaFamily('gemma2', normalizeGemma2);
