/**
 * Gemma (`gemma`): Llama-shaped blocks with three differences that change every number:
 * RMSNorm scales by (1 + w), the embedding is multiplied by √d_model rounded to the
 * checkpoint's dtype (HF computes `torch.tensor(hidden_size**0.5, dtype=hidden.dtype)`, so a
 * bfloat16 Gemma scales by bf16(√d): 55.5 rather than 55.4256 for d = 3072), and the MLP gate is
 * tanh-GELU. head_dim is explicit (256 in the released models, not d_model / heads).
 * Gemma 2 (gemma2.ts) builds on the same pieces through `gemmaFamily`.
 */
import type { ConfigReader } from '../checkpoint/config';
import { UserError } from '../errors';
import type { ArchAdapter, ForwardEmitter, HeadEmitter } from './types';
import { attention, emitHead, gelu, rmsNorm, softcap, type GeluKind } from './common';
import { llamaStyleWeights, projection, requiredBiases, ropeScaling, type BiasedConfig } from './llama';

export interface GemmaConfig extends BiasedConfig {
  /** √d_model as the hidden dtype holds it. */
  embedScale: number;
  act: GeluKind;
  /** Multiplier of q·k: 1/√head_dim (Gemma) or query_pre_attn_scalar^-0.5 (Gemma 2). */
  queryScale: number;
  attnSoftcap?: number;
  finalSoftcap?: number;
  /** Gemma 2: post_attention_layernorm on the attention output, pre/post_feedforward_layernorm around the MLP. */
  sandwichNorms: boolean;
}

/** Rounds to the float format `torch_dtype` names (round to nearest even), as torch.tensor(v, dtype) does. */
export function roundToDtype(v: number, torchDtype: string): number {
  const f = Math.fround(v);
  const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
  if (torchDtype === 'bfloat16') {
    const r = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16;
    return new Float32Array(new Uint32Array([r]).buffer)[0]!;
  }
  if (torchDtype === 'float16') {
    const e = Math.floor(Math.log2(Math.abs(f)));
    const step = 2 ** (Math.max(e, -14) - 10);
    const q = f / step;
    const even = Math.abs(q - Math.trunc(q)) === 0.5 ? 2 * Math.round(q / 2) : Math.round(q);
    return even * step;
  }
  return f;
}

function activation(cfg: ConfigReader): GeluKind {
  // HF Gemma: hidden_activation wins; when absent it uses the tanh approximation whatever hidden_act says.
  const act = cfg.string('hidden_activation', 'gelu_pytorch_tanh');
  if (act === 'gelu_pytorch_tanh' || act === 'gelu_new' || act === 'gelu_fast') return 'tanh';
  if (act === 'gelu') return 'erf';
  throw new UserError(cfg.file, `hidden_activation: ${act} is not supported for ${cfg.string('model_type')} (gelu_pytorch_tanh and gelu are)`);
}

/** The part of config.json both Gemma generations share. */
export function gemmaBase(cfg: ConfigReader, hasTensor: (name: string) => boolean): GemmaConfig {
  const modelType = cfg.string('model_type');
  const dModel = cfg.int('hidden_size');
  const nHeads = cfg.int('num_attention_heads');
  const nKvHeads = cfg.int('num_key_value_heads', nHeads);
  if (nHeads % nKvHeads !== 0) throw new UserError(cfg.file, `num_attention_heads (${nHeads}) must be a multiple of num_key_value_heads (${nKvHeads})`);
  // HF's GemmaConfig/Gemma2Config default head_dim is 256, not hidden_size / heads.
  const dHead = cfg.int('head_dim', 256);
  if (dHead % 2 !== 0) throw new UserError(cfg.file, `head_dim ${dHead} must be even for rotary embeddings`);
  const torchDtype = cfg.string('torch_dtype', 'float32');
  return {
    modelType,
    architecture: (cfg.raw.architectures as string[] | undefined)?.[0] ?? (modelType === 'gemma2' ? 'Gemma2ForCausalLM' : 'GemmaForCausalLM'),
    nLayers: cfg.int('num_hidden_layers'),
    dModel,
    nHeads,
    nKvHeads,
    dHead,
    dMlp: cfg.int('intermediate_size'),
    vocabSize: cfg.int('vocab_size'),
    maxPositions: cfg.int('max_position_embeddings', 8192),
    normEps: cfg.number('rms_norm_eps', 1e-6),
    ropeTheta: cfg.number('rope_theta', 10000),
    ropeScaling: ropeScaling(cfg),
    // Gemma ties the head by default; a checkpoint without lm_head.weight can only be tied.
    tiedEmbeddings: cfg.bool('tie_word_embeddings', true) || !hasTensor('lm_head.weight'),
    gatedMlp: true,
    bosId: cfg.ids('bos_token_id')[0] ?? null,
    eosIds: cfg.ids('eos_token_id'),
    embedScale: roundToDtype(Math.sqrt(dModel), torchDtype),
    act: activation(cfg),
    queryScale: 1 / Math.sqrt(dHead),
    sandwichNorms: false,
    requiredBiases: requiredBiases(cfg),
  };
}

/** Gemma's RMSNorm: x / sqrt(mean(x²) + eps) · (1 + w). */
function gemmaNorm(e: HeadEmitter, x: string, w: string, eps: number): string {
  return rmsNorm(e.g, x, e.g.add(e.weight(w), e.g.scalar(1)), eps);
}

function gemmaForward(c: GemmaConfig, e: ForwardEmitter): void {
  const { g } = e;
  const windowed = new Set(c.slidingWindowLayers ?? []);
  const flatIds = g.reshape(e.inputs.ids, [-1]);
  const embedded = g.op('Gather', [e.weight('model.embed_tokens.weight'), flatIds], { axis: 0 }); // [N, D]
  let x = e.hook('hook_embed', g.mul(embedded, g.scalar(c.embedScale)));
  for (let i = 0; i < c.nLayers; i++) {
    const b = `blocks.${i}.`;
    const p = `model.layers.${i}.`;
    if (!e.needs(`${b}hook_resid_pre`)) return;
    x = e.hook(`${b}hook_resid_pre`, x);
    if (!e.needs(`${b}ln1.hook_normalized`)) return;
    const h1 = e.hook(`${b}ln1.hook_normalized`, gemmaNorm(e, x, `${p}input_layernorm.weight`, c.normEps));
    if (!e.needs(`${b}attn.hook_z`)) return;
    const proj = (name: string, input: string): string => projection(e, input, `${p}self_attn.${name}_proj`);
    const opts = { scale: c.queryScale, softcap: c.attnSoftcap, mask: windowed.has(i) ? e.windowMask() : undefined };
    const z = e.hook(`${b}attn.hook_z`, attention(c, e, i, proj('q', h1), proj('k', h1), proj('v', h1), opts)); // [N, H·hd]
    let attnOut = proj('o', z); // [N, D]
    if (c.sandwichNorms) attnOut = gemmaNorm(e, attnOut, `${p}post_attention_layernorm.weight`, c.normEps);
    if (!e.needs(`${b}ln2.hook_normalized`)) return;
    const mid = g.add(x, attnOut);
    const preMlpNorm = c.sandwichNorms ? `${p}pre_feedforward_layernorm.weight` : `${p}post_attention_layernorm.weight`;
    const h2 = e.hook(`${b}ln2.hook_normalized`, gemmaNorm(e, mid, preMlpNorm, c.normEps));
    if (!e.needs(`${b}mlp.hook_pre`)) return;
    const gate = e.hook(`${b}mlp.hook_pre`, projection(e, h2, `${p}mlp.gate_proj`)); // [N, d_mlp]
    if (!e.needs(`${b}mlp.hook_pre_linear`)) return;
    const up = e.hook(`${b}mlp.hook_pre_linear`, projection(e, h2, `${p}mlp.up_proj`)); // [N, d_mlp]
    const post = e.hook(`${b}mlp.hook_post`, g.mul(gelu(g, gate, c.act), up)); // [N, d_mlp]
    if (!e.needs(`${b}hook_resid_post`)) return;
    let mlpOut = projection(e, post, `${p}mlp.down_proj`); // [N, D]
    if (c.sandwichNorms) mlpOut = gemmaNorm(e, mlpOut, `${p}post_feedforward_layernorm.weight`, c.normEps);
    x = e.hook(`${b}hook_resid_post`, g.add(mid, mlpOut));
  }
  emitHead(GEMMA_HEAD, c, e, x);
}

/** Gemma's final norm, and the head with Gemma 2's final soft-cap (cap·tanh(logits / cap)). */
const GEMMA_HEAD: Pick<ArchAdapter, 'finalNorm' | 'unembed'> = {
  finalNorm: (c, e, x) => gemmaNorm(e, x, 'model.norm.weight', c.normEps),
  unembed(cfg, e, hf) {
    const c = cfg as GemmaConfig;
    const logits = e.g.linear(hf, e.weight('lm_head.weight')); // [N, vocab]
    return c.finalSoftcap ? softcap(e.g, logits, c.finalSoftcap) : logits;
  },
};

/** An adapter of the Gemma family; `normalize` adds what a generation changes on top of gemmaBase. */
export function gemmaFamily(modelType: string, normalize: (cfg: ConfigReader, hasTensor: (name: string) => boolean) => GemmaConfig): ArchAdapter {
  return {
    modelTypes: [modelType],
    normalize,
    weights: (c, hasTensor) => llamaStyleWeights(c, hasTensor, (c as GemmaConfig).sandwichNorms ? ['pre_feedforward_layernorm', 'post_feedforward_layernorm'] : []),
    emitForward: (c, e) => gemmaForward(c as GemmaConfig, e),
    ...GEMMA_HEAD,
  };
}

export const gemmaAdapter = gemmaFamily('gemma', gemmaBase);
