/**
 * config.json readers shared by the adapters whose configs predate Hugging Face's common key
 * names (GPT-2's n_embd, BLOOM's n_embed, XGLM's d_model): the first key present wins.
 */
import type { ConfigReader } from '../checkpoint/config';
import { UserError } from '../errors';
import type { GeluKind } from './common';

export function intKey(cfg: ConfigReader, keys: string[], fallback?: number): number {
  const k = keys.find((x) => cfg.has(x));
  if (k !== undefined) return cfg.int(k);
  if (fallback !== undefined) return fallback;
  throw new UserError(cfg.file, `missing key ${keys.join(' (or ')}${keys.length > 1 ? ')'.repeat(keys.length - 1) : ''}`);
}

/** HF activation names → GELU form; anything else is refused rather than run wrong. */
export function geluKey(cfg: ConfigReader, key: string, fallback: string): GeluKind {
  const act = cfg.string(key, fallback);
  if (act === 'gelu') return 'erf';
  if (act === 'gelu_new' || act === 'gelu_pytorch_tanh' || act === 'gelu_fast') return 'tanh';
  throw new UserError(cfg.file, `${key} ${act} is not supported (gelu, gelu_new, gelu_pytorch_tanh and gelu_fast are)`);
}

/** `transformer.` when the checkpoint was saved from the LM-head model, '' when from the base model. */
export function basePrefix(hasTensor: (name: string) => boolean, probe: string, prefix: string): string {
  return hasTensor(`${prefix}${probe}`) ? prefix : '';
}
