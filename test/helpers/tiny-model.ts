/**
 * Writes tiny random Llama-family checkpoints for tests, in the layouts real checkpoints use:
 * F32/F16/BF16, single file or shards with an index, with or without the `model.` prefix, tied or
 * untied head, q/k/v biases (qwen2), sliding window (mistral), rope scaling.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 as prng } from '../../src/engine/random';
import { writeSafetensors, type RawTensorToWrite, type SafetensorsDType, type TensorToWrite } from '../../src/engine/checkpoint/safetensors';

export interface TinySpec {
  modelType?: 'llama' | 'mistral' | 'qwen2';
  dModel?: number;
  nLayers?: number;
  nHeads?: number;
  nKvHeads?: number;
  dMlp?: number;
  vocab?: number;
  maxPositions?: number;
  tied?: boolean;
  bias?: boolean;
  /** Llama's attention_bias (q/k/v/o biases; set `bias` too) and mlp_bias. */
  attentionBias?: boolean;
  mlpBias?: boolean;
  slidingWindow?: number;
  ropeScaling?: Record<string, unknown>;
  ropeTheta?: number;
  dtype?: SafetensorsDType;
  shards?: number;
  prefix?: boolean;
  seed?: number;
}

/** The engine's seeded PRNG, so fixtures are the same on every machine. */
export { mulberry32 as prng } from '../../src/engine/random';

/** GPT-2's bytes_to_unicode as two parallel lists: printable bytes first (mapped to themselves), the rest to 256+n. */
export function bytesToUnicode(): { bytes: number[]; cs: number[] } {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const cs = [...bytes];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (bytes.includes(b)) continue;
    bytes.push(b);
    cs.push(256 + n++);
  }
  return { bytes, cs };
}

/** Byte-level BPE without merges: 3 specials then one token per byte. Loads in @huggingface/tokenizers. */
export function byteTokenizerJson(): object {
  const { bytes, cs } = bytesToUnicode();
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  bytes.forEach((_, i) => (vocab[String.fromCodePoint(cs[i]!)] = 3 + i));
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: [] },
  };
}
export const BYTE_TOKENIZER_VOCAB = 259;

export interface TinyModel {
  dir: string;
  spec: Required<Omit<TinySpec, 'ropeScaling' | 'slidingWindow' | 'attentionBias' | 'mlpBias'>> & Pick<TinySpec, 'ropeScaling' | 'slidingWindow'>;
  /** F32 values of every tensor as written (after dtype rounding), by HF name with prefix. */
  weights: Map<string, Float32Array>;
}

export function writeTinyModel(s: TinySpec = {}, dir = mkdtempSync(join(tmpdir(), 'pl-tiny-'))): TinyModel {
  const spec = {
    modelType: 'llama' as const,
    dModel: 32,
    nLayers: 2,
    nHeads: 4,
    nKvHeads: 2,
    dMlp: 48,
    vocab: BYTE_TOKENIZER_VOCAB + 5,
    maxPositions: 64,
    tied: false,
    bias: false,
    ropeTheta: 10000,
    dtype: 'F32' as SafetensorsDType,
    shards: 1,
    prefix: true,
    seed: 1,
    ...s,
  };
  const rnd = prng(spec.seed);
  const hd = spec.dModel / spec.nHeads;
  const tensors: TensorToWrite[] = [];
  const weights = new Map<string, Float32Array>();
  const add = (name: string, shape: number[], scale: number, offset = 0): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = offset + (rnd() * 2 - 1) * scale;
    tensors.push({ name: spec.prefix || !name.startsWith('model.') ? name : name.slice(6), dtype: spec.dtype, shape, data });
  };
  const D = spec.dModel;
  add('model.embed_tokens.weight', [spec.vocab, D], 1);
  for (let l = 0; l < spec.nLayers; l++) {
    const p = `model.layers.${l}.`;
    add(`${p}input_layernorm.weight`, [D], 0.2, 1);
    add(`${p}self_attn.q_proj.weight`, [spec.nHeads * hd, D], 0.3);
    add(`${p}self_attn.k_proj.weight`, [spec.nKvHeads * hd, D], 0.3);
    add(`${p}self_attn.v_proj.weight`, [spec.nKvHeads * hd, D], 0.3);
    if (spec.bias) {
      add(`${p}self_attn.q_proj.bias`, [spec.nHeads * hd], 0.3);
      add(`${p}self_attn.k_proj.bias`, [spec.nKvHeads * hd], 0.3);
      add(`${p}self_attn.v_proj.bias`, [spec.nKvHeads * hd], 0.3);
    }
    add(`${p}self_attn.o_proj.weight`, [D, spec.nHeads * hd], 0.3);
    if (s.attentionBias) add(`${p}self_attn.o_proj.bias`, [D], 0.3);
    add(`${p}post_attention_layernorm.weight`, [D], 0.2, 1);
    add(`${p}mlp.gate_proj.weight`, [spec.dMlp, D], 0.3);
    add(`${p}mlp.up_proj.weight`, [spec.dMlp, D], 0.3);
    add(`${p}mlp.down_proj.weight`, [D, spec.dMlp], 0.3);
    if (s.mlpBias) {
      add(`${p}mlp.gate_proj.bias`, [spec.dMlp], 0.3);
      add(`${p}mlp.up_proj.bias`, [spec.dMlp], 0.3);
      add(`${p}mlp.down_proj.bias`, [D], 0.3);
    }
  }
  add('model.norm.weight', [D], 0.2, 1);
  if (!spec.tied) add('lm_head.weight', [spec.vocab, D], 0.3);

  mkdirSync(dir, { recursive: true });
  const config: Record<string, unknown> = {
    architectures: [{ llama: 'LlamaForCausalLM', mistral: 'MistralForCausalLM', qwen2: 'Qwen2ForCausalLM' }[spec.modelType]],
    model_type: spec.modelType,
    hidden_size: D,
    intermediate_size: spec.dMlp,
    num_hidden_layers: spec.nLayers,
    num_attention_heads: spec.nHeads,
    num_key_value_heads: spec.nKvHeads,
    vocab_size: spec.vocab,
    max_position_embeddings: spec.maxPositions,
    rms_norm_eps: 1e-5,
    rope_theta: spec.ropeTheta,
    rope_scaling: s.ropeScaling ?? null,
    tie_word_embeddings: spec.tied,
    hidden_act: 'silu',
    bos_token_id: 1,
    eos_token_id: 2,
    torch_dtype: ({ F32: 'float32', F16: 'float16', BF16: 'bfloat16' } as Record<string, string>)[spec.dtype],
  };
  if (s.slidingWindow !== undefined) config.sliding_window = s.slidingWindow;
  if (s.attentionBias) config.attention_bias = true;
  if (s.mlpBias) config.mlp_bias = true;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 1));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(byteTokenizerJson()));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', add_bos_token: true, model_max_length: spec.maxPositions }));
  writeWeights(dir, tensors, spec.shards);
  // Record the values as stored (rounded to the dtype), under prefixed names.
  for (const t of tensors) weights.set(t.name.startsWith('model.') || t.name === 'lm_head.weight' ? t.name : `model.${t.name}`, roundTo(t.data as Float32Array, spec.dtype));
  return { dir, spec: { ...spec, ropeScaling: s.ropeScaling, slidingWindow: s.slidingWindow }, weights };
}

/** model.safetensors, or `shards` files named as the Hub names them plus model.safetensors.index.json. */
export function writeWeights(dir: string, tensors: (TensorToWrite | RawTensorToWrite)[], shards: number, metadata?: Record<string, string>): void {
  if (shards <= 1) {
    writeSafetensors(join(dir, 'model.safetensors'), tensors, metadata);
    return;
  }
  const per = Math.ceil(tensors.length / shards);
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < shards; i++) {
    const file = `model-${String(i + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
    const part = tensors.slice(i * per, (i + 1) * per);
    part.forEach((t) => (weightMap[t.name] = file));
    writeSafetensors(join(dir, file), part, metadata);
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
}

function roundTo(a: Float32Array, dtype: SafetensorsDType): Float32Array {
  if (dtype === 'F32') return a;
  const out = new Float32Array(a.length);
  const bits = new Uint32Array(out.buffer);
  const src = new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (let i = 0; i < a.length; i++) {
    if (dtype === 'BF16') {
      const b = src[i]!;
      bits[i] = ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) << 16;
    } else {
      out[i] = f16Round(a[i]!);
    }
  }
  return out;
}

/** Rounds to the nearest F16 value (normal range; the tiny models stay well inside it). */
function f16Round(v: number): number {
  if (v === 0) return 0;
  const e = Math.floor(Math.log2(Math.abs(v)));
  const step = 2 ** (Math.max(e, -14) - 10);
  const q = v / step;
  const r = Math.round(q);
  // round half to even, like the writer
  const even = Math.abs(q - Math.trunc(q)) === 0.5 ? 2 * Math.round(q / 2) : r;
  return even * step;
}
