/**
 * Writes tiny random Gemma / Gemma 2 checkpoints with the real tensor names and layouts
 * (explicit head_dim ≠ d_model / heads, (1 + w) norms stored as w, Gemma 2's four norms per
 * block), in F32/F16/BF16, single file or shards, with or without the `model.` prefix.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 as prng } from '../../src/engine/random';
import type { SafetensorsDType, TensorToWrite } from '../../src/engine/checkpoint/safetensors';
import { BYTE_TOKENIZER_VOCAB, byteTokenizerJson, writeWeights } from './tiny-model';

export interface TinyGemmaSpec {
  modelType: 'gemma' | 'gemma2';
  dModel?: number;
  nLayers?: number;
  nHeads?: number;
  nKvHeads?: number;
  headDim?: number;
  dMlp?: number;
  vocab?: number;
  tied?: boolean;
  dtype?: SafetensorsDType;
  shards?: number;
  prefix?: boolean;
  seed?: number;
  /** Gemma 2 only. */
  slidingWindow?: number;
  queryPreAttnScalar?: number;
  attnSoftcap?: number | null;
  finalSoftcap?: number | null;
  /** config.json hidden_activation (default gelu_pytorch_tanh, as the released models). */
  hiddenActivation?: string;
  /** Extra config.json keys (bad-input tests). */
  extraConfig?: Record<string, unknown>;
}

const TORCH_DTYPE = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' } as const;

export function writeTinyGemma(s: TinyGemmaSpec, dir = mkdtempSync(join(tmpdir(), 'pl-gemma-'))): { dir: string } {
  const spec = { dModel: 32, nLayers: 2, nHeads: 4, nKvHeads: 1, headDim: 16, dMlp: 48, vocab: BYTE_TOKENIZER_VOCAB + 5, tied: true, dtype: 'F32' as SafetensorsDType, shards: 1, prefix: true, seed: 7, ...s };
  const rnd = prng(spec.seed);
  const tensors: TensorToWrite[] = [];
  const add = (name: string, shape: number[], scale: number): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (rnd() * 2 - 1) * scale;
    tensors.push({ name: spec.prefix || !name.startsWith('model.') ? name : name.slice(6), dtype: spec.dtype, shape, data });
  };
  const D = spec.dModel;
  const hd = spec.headDim;
  const two = spec.modelType === 'gemma2';
  add('model.embed_tokens.weight', [spec.vocab, D], 1);
  for (let l = 0; l < spec.nLayers; l++) {
    const p = `model.layers.${l}.`;
    // Norm weights are stored as w in (1 + w): around 0.
    add(`${p}input_layernorm.weight`, [D], 0.2);
    add(`${p}self_attn.q_proj.weight`, [spec.nHeads * hd, D], 0.3);
    add(`${p}self_attn.k_proj.weight`, [spec.nKvHeads * hd, D], 0.3);
    add(`${p}self_attn.v_proj.weight`, [spec.nKvHeads * hd, D], 0.3);
    add(`${p}self_attn.o_proj.weight`, [D, spec.nHeads * hd], 0.3);
    add(`${p}post_attention_layernorm.weight`, [D], 0.2);
    if (two) {
      add(`${p}pre_feedforward_layernorm.weight`, [D], 0.2);
      add(`${p}post_feedforward_layernorm.weight`, [D], 0.2);
    }
    add(`${p}mlp.gate_proj.weight`, [spec.dMlp, D], 0.3);
    add(`${p}mlp.up_proj.weight`, [spec.dMlp, D], 0.3);
    add(`${p}mlp.down_proj.weight`, [D, spec.dMlp], 0.3);
  }
  add('model.norm.weight', [D], 0.2);
  if (!spec.tied) add('lm_head.weight', [spec.vocab, D], 0.3);

  mkdirSync(dir, { recursive: true });
  const config: Record<string, unknown> = {
    architectures: [two ? 'Gemma2ForCausalLM' : 'GemmaForCausalLM'],
    model_type: spec.modelType,
    hidden_size: D,
    intermediate_size: spec.dMlp,
    num_hidden_layers: spec.nLayers,
    num_attention_heads: spec.nHeads,
    num_key_value_heads: spec.nKvHeads,
    head_dim: hd,
    vocab_size: spec.vocab,
    max_position_embeddings: 64,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    hidden_act: 'gelu_pytorch_tanh',
    hidden_activation: spec.hiddenActivation ?? 'gelu_pytorch_tanh',
    tie_word_embeddings: spec.tied,
    attention_bias: false,
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
    torch_dtype: TORCH_DTYPE[spec.dtype],
  };
  if (two) {
    config.sliding_window = spec.slidingWindow ?? 4096;
    config.query_pre_attn_scalar = spec.queryPreAttnScalar ?? hd;
    config.attn_logit_softcapping = spec.attnSoftcap === undefined ? 50 : spec.attnSoftcap;
    config.final_logit_softcapping = spec.finalSoftcap === undefined ? 30 : spec.finalSoftcap;
    config.cache_implementation = 'hybrid';
  }
  Object.assign(config, spec.extraConfig ?? {});
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 1));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(byteTokenizerJson()));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', add_bos_token: true, model_max_length: 64 }));
  writeWeights(dir, tensors, spec.shards);
  return { dir };
}
