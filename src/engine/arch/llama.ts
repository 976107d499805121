/**
 * Llama family: `llama`, `mistral` (sliding window), `qwen2` (q/k/v bias). RMSNorm, rotary
 * position embeddings in Hugging Face's rotate_half layout, grouped-query attention, SwiGLU MLP,
 * tied or untied LM head.
 */
import type { ConfigReader } from '../checkpoint/config';
import { UserError } from '../errors';
import type { ArchAdapter, ArchConfig, ForwardEmitter, RopeScaling, WeightSpec } from './types';
import { attention, emitHead, rmsNorm } from './common';

/** config.json `rope_scaling`, shared by every rotary adapter; anything not implemented is refused by name. */
export function ropeScaling(cfg: ConfigReader): RopeScaling {
  const rs = cfg.object('rope_scaling');
  if (!rs) return { type: 'none' };
  const type = String(rs.rope_type ?? rs.type ?? 'default');
  const num = (k: string, fallback?: number): number => {
    const v = rs[k] ?? fallback;
    if (typeof v !== 'number' || !(v > 0)) throw new UserError(cfg.file, `rope_scaling.${k} must be a positive number`);
    return v;
  };
  if (type === 'default') return { type: 'none' };
  if (type === 'linear') return { type: 'linear', factor: num('factor') };
  if (type === 'llama3') {
    return {
      type: 'llama3',
      factor: num('factor'),
      lowFreqFactor: num('low_freq_factor', 1),
      highFreqFactor: num('high_freq_factor', 4),
      originalMaxPositions: num('original_max_position_embeddings', 8192),
    };
  }
  throw new UserError(cfg.file, `rope_scaling.type: ${type} is not supported for ${cfg.string('model_type')} (linear and llama3 are)`);
}

/**
 * Projections whose bias the config promises: q/k/v always for qwen2 (HF hard-codes it),
 * q/k/v/o with `attention_bias`, gate/up/down with `mlp_bias`. A checkpoint missing one of them
 * is a missing-tensor error rather than a model run without it.
 */
export function requiredBiases(cfg: ConfigReader): string[] {
  const attn = cfg.bool('attention_bias', false);
  const qkv = attn || cfg.string('model_type') === 'qwen2' ? ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj'] : [];
  return [...qkv, ...(attn ? ['self_attn.o_proj'] : []), ...(cfg.bool('mlp_bias', false) ? ['mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'] : [])];
}

/** ArchConfig plus the biases the config requires (see requiredBiases). */
export interface BiasedConfig extends ArchConfig {
  requiredBiases?: string[];
}

/**
 * The weights of a Llama-shaped decoder (also Gemma's): embedding, per block input/post-attention
 * norms, q/k/v/o and gate/up/down projections with their biases (required ones, and any other
 * the checkpoint has), final norm, LM head (the embedding when tied). `extraNorms` are further
 * per-block norm vectors (Gemma 2's feedforward norms).
 */
export function llamaStyleWeights(c: BiasedConfig, hasTensor: (name: string) => boolean, extraNorms: string[] = []): WeightSpec[] {
  const required = new Set(c.requiredBiases ?? []);
  const D = c.dModel;
  const w: WeightSpec[] = [{ name: 'model.embed_tokens.weight', source: 'model.embed_tokens.weight', shape: [c.vocabSize, D] }];
  const vec = (name: string, n: number): WeightSpec => ({ name, source: name, shape: [n] });
  for (let i = 0; i < c.nLayers; i++) {
    const p = `model.layers.${i}.`;
    const ln1 = `blocks.${i}.ln1.hook_normalized`;
    const ln2 = `blocks.${i}.ln2.hook_normalized`;
    const lin = (kind: string, sub: string, out: number, inp: number, inputHook: string): void => {
      w.push({ name: `${p}${sub}.weight`, source: `${p}${sub}.weight`, shape: [out, inp], linear: { layer: i, kind, inputHook } });
      if (required.has(sub) || hasTensor(`${p}${sub}.bias`)) w.push(vec(`${p}${sub}.bias`, out));
    };
    w.push(vec(`${p}input_layernorm.weight`, D));
    lin('q', 'self_attn.q_proj', c.nHeads * c.dHead, D, ln1);
    lin('k', 'self_attn.k_proj', c.nKvHeads * c.dHead, D, ln1);
    lin('v', 'self_attn.v_proj', c.nKvHeads * c.dHead, D, ln1);
    lin('o', 'self_attn.o_proj', D, c.nHeads * c.dHead, `blocks.${i}.attn.hook_z`);
    w.push(vec(`${p}post_attention_layernorm.weight`, D));
    for (const n of extraNorms) w.push(vec(`${p}${n}.weight`, D));
    lin('gate', 'mlp.gate_proj', c.dMlp, D, ln2);
    lin('up', 'mlp.up_proj', c.dMlp, D, ln2);
    lin('down', 'mlp.down_proj', D, c.dMlp, `blocks.${i}.mlp.hook_post`);
  }
  w.push(vec('model.norm.weight', D));
  w.push({ name: 'lm_head.weight', source: c.tiedEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight', shape: [c.vocabSize, D] });
  return w;
}

/** y = x·Wᵀ (+ b when the checkpoint has `<sub>.bias`). */
export function projection(e: ForwardEmitter, x: string, sub: string): string {
  const bias = `${sub}.bias`;
  return e.g.linear(x, e.weight(`${sub}.weight`), e.hasWeight(bias) ? e.weight(bias) : undefined);
}

export const llamaAdapter: ArchAdapter = {
  modelTypes: ['llama', 'mistral', 'qwen2'],

  normalize(cfg, hasTensor): BiasedConfig {
    const modelType = cfg.string('model_type');
    const dModel = cfg.int('hidden_size');
    const nHeads = cfg.int('num_attention_heads');
    const nKvHeads = cfg.int('num_key_value_heads', nHeads);
    if (nHeads % nKvHeads !== 0) throw new UserError(cfg.file, `num_attention_heads (${nHeads}) must be a multiple of num_key_value_heads (${nKvHeads})`);
    const dHead = cfg.int('head_dim', Math.floor(dModel / nHeads));
    if (dHead % 2 !== 0) throw new UserError(cfg.file, `head size ${dHead} must be even for rotary embeddings`);
    const act = cfg.string('hidden_act', 'silu');
    if (act !== 'silu') throw new UserError(cfg.file, `hidden_act: ${act} is not supported for ${modelType} (silu is)`);
    // Qwen2's optional sliding window applies to some layers only, with rules that changed across
    // transformers versions; the released checkpoints leave it off. Refuse rather than guess.
    if (modelType === 'qwen2' && cfg.bool('use_sliding_window', false)) throw new UserError(cfg.file, 'use_sliding_window: true is not supported for qwen2');
    const window = modelType === 'mistral' && cfg.has('sliding_window') ? cfg.int('sliding_window') : undefined;
    // A checkpoint without lm_head.weight can only mean a tied head, whatever the flag says.
    const tied = cfg.bool('tie_word_embeddings', false) || !hasTensor('lm_head.weight');
    // Checked against the tensors before anything is sized by it: num_hidden_layers 1e9 would
    // otherwise build a billion-layer weight list and abort out of memory.
    const nLayers = cfg.int('num_hidden_layers');
    if (!hasTensor(`model.layers.${nLayers - 1}.input_layernorm.weight`)) {
      throw new UserError(cfg.file, `num_hidden_layers is ${nLayers} but the checkpoint has no tensors for layer ${nLayers - 1}`);
    }
    return {
      modelType,
      architecture: (cfg.raw.architectures as string[] | undefined)?.[0] ?? 'LlamaForCausalLM',
      nLayers,
      dModel,
      nHeads,
      nKvHeads,
      dHead,
      dMlp: cfg.int('intermediate_size'),
      vocabSize: cfg.int('vocab_size'),
      maxPositions: cfg.int('max_position_embeddings', 2048),
      normEps: cfg.positive('rms_norm_eps', 1e-6),
      ropeTheta: cfg.positive('rope_theta', 10000),
      ropeScaling: ropeScaling(cfg),
      tiedEmbeddings: tied,
      slidingWindow: window,
      gatedMlp: true,
      bosId: cfg.ids('bos_token_id')[0] ?? null,
      eosIds: cfg.ids('eos_token_id'),
      requiredBiases: requiredBiases(cfg),
    };
  },

  weights: (c, hasTensor) => llamaStyleWeights(c, hasTensor),

  emitForward(c, e) {
    const { g } = e;
    // [N, D] with N = B·T: token rows, so every linear layer is one Gemm.
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    let x = g.op('Gather', [e.weight('model.embed_tokens.weight'), flatIds], { axis: 0 });
    x = e.hook('hook_embed', x);
    for (let i = 0; i < c.nLayers; i++) {
      const b = `blocks.${i}.`;
      const p = `model.layers.${i}.`;
      if (!e.needs(`${b}hook_resid_pre`)) return;
      x = e.hook(`${b}hook_resid_pre`, x);
      if (!e.needs(`${b}ln1.hook_normalized`)) return;
      const h1 = e.hook(`${b}ln1.hook_normalized`, rmsNorm(g, x, e.weight(`${p}input_layernorm.weight`), c.normEps));
      if (!e.needs(`${b}attn.hook_z`)) return;
      const q = projection(e, h1, `${p}self_attn.q_proj`); // [N, H·hd]
      const k = projection(e, h1, `${p}self_attn.k_proj`); // [N, KV·hd]
      const v = projection(e, h1, `${p}self_attn.v_proj`); // [N, KV·hd]
      const z = e.hook(`${b}attn.hook_z`, attention(c, e, i, q, k, v)); // [N, H·hd]
      const attnOut = projection(e, z, `${p}self_attn.o_proj`);
      if (!e.needs(`${b}ln2.hook_normalized`)) return;
      const mid = g.add(x, attnOut);
      const h2 = e.hook(`${b}ln2.hook_normalized`, rmsNorm(g, mid, e.weight(`${p}post_attention_layernorm.weight`), c.normEps));
      if (!e.needs(`${b}mlp.hook_pre`)) return;
      const gate = e.hook(`${b}mlp.hook_pre`, projection(e, h2, `${p}mlp.gate_proj`)); // [N, d_mlp]
      if (!e.needs(`${b}mlp.hook_pre_linear`)) return;
      const up = e.hook(`${b}mlp.hook_pre_linear`, projection(e, h2, `${p}mlp.up_proj`)); // [N, d_mlp]
      const silu = g.mul(gate, g.op('Sigmoid', [gate]));
      const post = e.hook(`${b}mlp.hook_post`, g.mul(silu, up)); // [N, d_mlp]
      if (!e.needs(`${b}hook_resid_post`)) return;
      x = e.hook(`${b}hook_resid_post`, g.add(mid, projection(e, post, `${p}mlp.down_proj`)));
    }
    emitHead(llamaAdapter, c, e, x);
  },

  finalNorm: (c, e, x) => rmsNorm(e.g, x, e.weight('model.norm.weight'), c.normEps),
  unembed: (_c, e, hf) => e.g.linear(hf, e.weight('lm_head.weight')),
};
