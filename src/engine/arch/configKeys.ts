/**
 * config.json readers shared by the adapters whose configs predate Hugging Face's common key
 * names (GPT-2's n_embd, BLOOM's n_embed, XGLM's d_model): the first key present wins.
 */
import type { ConfigReader } from '../checkpoint/config';
import { UserError } from '../errors';
import type { GeluKind } from './common';
import type { ArchConfig } from './types';

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

/** The sizes each adapter reads under its own key names. */
export interface MhaSizes {
  modelType: string;
  /** Class name when config.json has no `architectures`. */
  architecture: string;
  dModel: number;
  nHeads: number;
  nLayers: number;
  dMlp: number;
  maxPositions: number;
  normEps: number;
}

/**
 * ArchConfig of a multi-head (not grouped), non-rotary, plain-MLP decoder. The head is tied
 * unless config.json says otherwise and the checkpoint has its own `lm_head.weight` (HF's
 * default for these classes is tie_word_embeddings = true).
 */
export function mhaConfig(cfg: ConfigReader, hasTensor: (name: string) => boolean, s: MhaSizes): ArchConfig {
  if (s.dModel % s.nHeads !== 0) throw new UserError(cfg.file, `hidden size ${s.dModel} must be a multiple of the number of heads ${s.nHeads}`);
  if (cfg.bool('add_cross_attention', false)) throw new UserError(cfg.file, 'add_cross_attention is not supported (decoder-only models are)');
  const { architecture, ...sizes } = s;
  return {
    ...sizes,
    architecture: (cfg.raw.architectures as string[] | undefined)?.[0] ?? architecture,
    nKvHeads: s.nHeads,
    dHead: s.dModel / s.nHeads,
    vocabSize: cfg.int('vocab_size'),
    ropeTheta: 10000,
    ropeScaling: { type: 'none' },
    tiedEmbeddings: cfg.bool('tie_word_embeddings', true) || !hasTensor('lm_head.weight'),
    gatedMlp: false,
    bosId: cfg.ids('bos_token_id')[0] ?? null,
    eosIds: cfg.ids('eos_token_id'),
  };
}
