/**
 * Tiny random GPT-2, BLOOM and XGLM checkpoints with the real tensor names and layouts (GPT-2's
 * Conv1D weights [in, out], BLOOM's fused per-head query_key_value, XGLM's separate biased
 * projections and no position table), in F32/F16/BF16, one file or shards, with or without the
 * base-model prefix, tied or untied head, and each family's tokenizer.json format: byte-level BPE
 * with merges (GPT-2, BLOOM) and Unigram with Metaspace and a `</s>`-first template (XGLM).
 */
import { mkdirSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 as prng } from '../../src/engine/random';
import type { RawTensorToWrite, SafetensorsDType, TensorToWrite } from '../../src/engine/checkpoint/safetensors';
import { bytesToUnicode, writeWeights } from './tiny-model';
import { nmtNfkcCharsmap } from './tokenizer-parity/formats';

export type GptFamily = 'gpt2' | 'bloom' | 'xglm';

export interface TinyGptSpec {
  family: GptFamily;
  dModel?: number;
  nLayers?: number;
  nHeads?: number;
  /** MLP width (GPT-2 n_inner, XGLM ffn_dim); BLOOM is always 4·d_model. */
  dMlp?: number;
  maxPositions?: number;
  tied?: boolean;
  dtype?: SafetensorsDType;
  shards?: number;
  /** Base-model prefix on tensor names (`transformer.` / `model.`). */
  prefix?: boolean;
  seed?: number;
  /** GPT-2 activation_function, XGLM activation_function. */
  act?: string;
  /** BLOOM apply_residual_connection_post_layernorm. */
  residualAfterNorm?: boolean;
  /** GPT-2 scale_attn_by_inverse_layer_idx. */
  scaleByLayer?: boolean;
  /** GPT-2: also store the old `attn.bias` (U8) and `attn.masked_bias` buffers (extras the engine must carry along). */
  buffers?: boolean;
}

/** The byte-level symbol of each byte value (GPT-2's bytes_to_unicode), indexed by byte. */
export function byteChars(): string[] {
  const { bytes, cs } = bytesToUnicode();
  const out = new Array<string>(256);
  bytes.forEach((b, i) => (out[b] = String.fromCodePoint(cs[i]!)));
  return out;
}

/** Merges of the tiny byte-level vocabularies: enough to form a few whole words. */
export const BPE_MERGES: [string, string][] = [
  ['Ġ', 't'],
  ['h', 'e'],
  ['Ġt', 'he'],
  ['Ġ', 'c'],
  ['a', 't'],
  ['Ġc', 'at'],
  ['i', 'n'],
  ['Ġ', 'in'],
];

const special = (id: number, content: string): object => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/**
 * Byte-level BPE as GPT-2 and BLOOM ship it. GPT-2: the 256 byte symbols first, merges, then
 * `<|endoftext|>` last. BLOOM: `<unk> <s> </s> <pad>` first, its Split-then-ByteLevel
 * pre-tokenizer. Neither adds a BOS.
 */
export function bpeTokenizerJson(family: 'gpt2' | 'bloom'): { json: object; config: object; vocab: number } {
  const vocab: Record<string, number> = {};
  const specials = family === 'bloom' ? ['<unk>', '<s>', '</s>', '<pad>'] : [];
  specials.forEach((s, i) => (vocab[s] = i));
  for (const ch of byteChars()) vocab[ch] = Object.keys(vocab).length;
  for (const [a, b] of BPE_MERGES) vocab[a + b] = Object.keys(vocab).length;
  const added = specials.map((s, i) => special(i, s));
  if (family === 'gpt2') {
    vocab['<|endoftext|>'] = Object.keys(vocab).length;
    added.push(special(vocab['<|endoftext|>']!, '<|endoftext|>'));
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: family === 'gpt2' };
  const pre =
    family === 'gpt2'
      ? byteLevel
      : {
          type: 'Sequence',
          pretokenizers: [{ type: 'Split', pattern: { Regex: ' ?[^(\\s|[.,!?…。，、।۔،])]+' }, behavior: 'Isolated', invert: false }, byteLevel],
        };
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: pre,
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: family === 'bloom' ? '<unk>' : null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: BPE_MERGES.map(([a, b]) => `${a} ${b}`) },
  };
  const config =
    family === 'gpt2'
      ? { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', add_prefix_space: false, model_max_length: 1024, tokenizer_class: 'GPT2Tokenizer' }
      : { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>', padding_side: 'left', tokenizer_class: 'BloomTokenizer' };
  return { json, config, vocab: Object.keys(vocab).length };
}

/** XGLM's pieces after its four specials: a few words, single letters (s above), digits, punctuation; no duplicates. */
export const UNIGRAM_PIECES: [string, number][] = [
  ['▁', -2.5],
  ['▁the', -3],
  ['▁cat', -4],
  ['▁in', -4],
  ['▁chat', -5],
  ['▁le', -4.5],
  ['s', -3.5],
  ...'abcdefghijklmnopqrtuvwxyzéàü.,!?0123456789'.split('').map((ch, i): [string, number] => [ch, -6 - i * 0.01]),
  ...'abcdefghijklmnopqrstuvwxyz'.split('').map((ch, i): [string, number] => [`▁${ch}`, -7 - i * 0.01]),
];

/** Unigram as XGLM ships it: `<s> <pad> </s> <unk>`, Metaspace, and `</s>` prepended to every text. */
export function unigramTokenizerJson(): { json: object; config: object; vocab: number } {
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const vocab: [string, number][] = [...specials.map((s): [string, number] => [s, 0]), ...UNIGRAM_PIECES];
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((s, i) => special(i, s)),
    // XGLM's own normalizer: sentencepiece's nmt_nfkc charsmap (from the parity fixtures' model),
    // then runs of spaces collapsed.
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Precompiled', precompiled_charsmap: nmtNfkcCharsmap() }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always' },
    model: { type: 'Unigram', unk_id: 3, vocab, byte_fallback: false },
  };
  const config = { bos_token: '<s>', eos_token: '</s>', sep_token: '</s>', cls_token: '<s>', unk_token: '<unk>', pad_token: '<pad>', tokenizer_class: 'XGLMTokenizer' };
  return { json, config, vocab: vocab.length };
}

export function tokenizerFor(family: GptFamily): { json: object; config: object; vocab: number } {
  return family === 'xglm' ? unigramTokenizerJson() : bpeTokenizerJson(family);
}

export interface TinyGpt {
  dir: string;
  spec: Required<TinyGptSpec>;
  vocab: number;
}

/** Vocabulary rows in the embedding: the tokenizer's plus a few unused ones, as real models pad. */
const EXTRA_ROWS = 3;

export function writeTinyGpt(s: TinyGptSpec, dir = mkdtempSync(join(tmpdir(), `pl-tiny-${s.family}-`))): TinyGpt {
  const spec: Required<TinyGptSpec> = {
    dModel: 32,
    nLayers: 2,
    nHeads: 4,
    dMlp: s.family === 'bloom' ? 4 * (s.dModel ?? 32) : 48,
    maxPositions: 64,
    tied: true,
    dtype: 'F32',
    shards: 1,
    prefix: true,
    seed: 7,
    act: s.family === 'gpt2' ? 'gelu_new' : 'gelu',
    residualAfterNorm: false,
    scaleByLayer: false,
    buffers: false,
    ...s,
  };
  const tok = tokenizerFor(spec.family);
  const V = tok.vocab + EXTRA_ROWS;
  const D = spec.dModel;
  const F = spec.dMlp;
  const rnd = prng(spec.seed);
  const tensors: TensorToWrite[] = [];
  const buffers: RawTensorToWrite[] = [];
  const base = { gpt2: 'transformer.', bloom: 'transformer.', xglm: 'model.' }[spec.family];
  const add = (name: string, shape: number[], scale: number, offset = 0): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = offset + (rnd() * 2 - 1) * scale;
    tensors.push({ name: name === 'lm_head.weight' || !spec.prefix ? name : `${base}${name}`, dtype: spec.dtype, shape, data });
  };
  const norm = (name: string): void => {
    add(`${name}.weight`, [D], 0.2, 1);
    add(`${name}.bias`, [D], 0.1);
  };
  const linear = (name: string, out: number, inp: number, conv: boolean): void => {
    add(`${name}.weight`, conv ? [inp, out] : [out, inp], 0.3);
    add(`${name}.bias`, [out], 0.2);
  };
  if (spec.family === 'gpt2') {
    add('wte.weight', [V, D], 0.5);
    add('wpe.weight', [spec.maxPositions, D], 0.3);
    for (let l = 0; l < spec.nLayers; l++) {
      const p = `h.${l}.`;
      norm(`${p}ln_1`);
      linear(`${p}attn.c_attn`, 3 * D, D, true);
      linear(`${p}attn.c_proj`, D, D, true);
      norm(`${p}ln_2`);
      linear(`${p}mlp.c_fc`, F, D, true);
      linear(`${p}mlp.c_proj`, D, F, true);
      if (spec.buffers) {
        // As transformers 4.x saved them: the causal mask as U8, masked_bias as an F32 scalar.
        const P = spec.maxPositions;
        const mask = new Uint8Array(P * P);
        for (let i = 0; i < P; i++) for (let j = 0; j <= i; j++) mask[i * P + j] = 1;
        buffers.push({ name: `${spec.prefix ? base : ''}${p}attn.bias`, dtype: 'U8', shape: [1, 1, P, P], raw: mask });
        tensors.push({ name: `${spec.prefix ? base : ''}${p}attn.masked_bias`, dtype: 'F32', shape: [], data: new Float32Array([-1e4]) });
      }
    }
    norm('ln_f');
  } else if (spec.family === 'bloom') {
    add('word_embeddings.weight', [V, D], 0.5);
    norm('word_embeddings_layernorm');
    for (let l = 0; l < spec.nLayers; l++) {
      const p = `h.${l}.`;
      norm(`${p}input_layernorm`);
      linear(`${p}self_attention.query_key_value`, 3 * D, D, false);
      linear(`${p}self_attention.dense`, D, D, false);
      norm(`${p}post_attention_layernorm`);
      linear(`${p}mlp.dense_h_to_4h`, F, D, false);
      linear(`${p}mlp.dense_4h_to_h`, D, F, false);
    }
    norm('ln_f');
  } else {
    add('embed_tokens.weight', [V, D], 0.1);
    for (let l = 0; l < spec.nLayers; l++) {
      const p = `layers.${l}.`;
      norm(`${p}self_attn_layer_norm`);
      for (const n of ['k', 'v', 'q', 'out']) linear(`${p}self_attn.${n}_proj`, D, D, false);
      norm(`${p}final_layer_norm`);
      linear(`${p}fc1`, F, D, false);
      linear(`${p}fc2`, D, F, false);
    }
    norm('layer_norm');
  }
  if (!spec.tied) add('lm_head.weight', [V, D], 0.3);

  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(configFor(spec, V), null, 1));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.json));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.config));
  writeWeights(dir, [...tensors, ...buffers], spec.shards, { format: 'pt' });
  return { dir, spec, vocab: V };
}

const TORCH_DTYPE = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/** config.json in each family's own key names, as the Hub's checkpoints have them. */
function configFor(s: Required<TinyGptSpec>, V: number): Record<string, unknown> {
  const common = { vocab_size: V, torch_dtype: (TORCH_DTYPE as Record<string, string>)[s.dtype], tie_word_embeddings: s.tied, use_cache: true };
  if (s.family === 'gpt2') {
    return {
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      n_embd: s.dModel,
      n_layer: s.nLayers,
      n_head: s.nHeads,
      n_inner: s.dMlp,
      n_positions: s.maxPositions,
      n_ctx: s.maxPositions,
      activation_function: s.act,
      layer_norm_epsilon: 1e-5,
      scale_attn_weights: true,
      scale_attn_by_inverse_layer_idx: s.scaleByLayer,
      bos_token_id: V - 1 - EXTRA_ROWS,
      eos_token_id: V - 1 - EXTRA_ROWS,
      ...common,
    };
  }
  if (s.family === 'bloom') {
    return {
      architectures: ['BloomForCausalLM'],
      model_type: 'bloom',
      n_embed: s.dModel,
      n_layer: s.nLayers,
      num_attention_heads: s.nHeads,
      layer_norm_epsilon: 1e-5,
      apply_residual_connection_post_layernorm: s.residualAfterNorm,
      seq_length: s.maxPositions,
      bos_token_id: 1,
      eos_token_id: 2,
      pad_token_id: 3,
      ...common,
    };
  }
  return {
    architectures: ['XGLMForCausalLM'],
    model_type: 'xglm',
    d_model: s.dModel,
    num_layers: s.nLayers,
    attention_heads: s.nHeads,
    ffn_dim: s.dMlp,
    max_position_embeddings: s.maxPositions,
    activation_function: s.act,
    scale_embedding: true,
    layerdrop: 0,
    bos_token_id: 0,
    eos_token_id: 2,
    pad_token_id: 1,
    decoder_start_token_id: 2,
    ...common,
  };
}

/**
 * GPT-2's older tokenizer files for a byte-level BPE tokenizer.json: its vocabulary as vocab.json
 * and its merges as merges.txt (with the `#version` header), written into `dir`.
 */
export function writeVocabMerges(dir: string, tokenizerJson: object): void {
  const model = (tokenizerJson as { model: { vocab: Record<string, number>; merges: (string | [string, string])[] } }).model;
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(model.vocab));
  writeFileSync(join(dir, 'merges.txt'), `#version: 0.2\n${model.merges.map((m) => (typeof m === 'string' ? m : m.join(' '))).join('\n')}\n`);
}

/** A tiny GPT-2 checkpoint whose tokenizer is only vocab.json + merges.txt (no tokenizer.json), as the original gpt2 repositories and mGPT ship it. */
export function writeTinyGpt2VocabMerges(s: Omit<TinyGptSpec, 'family'> = {}, dir?: string): TinyGpt {
  const tiny = writeTinyGpt({ ...s, family: 'gpt2' }, dir);
  const file = join(tiny.dir, 'tokenizer.json');
  writeVocabMerges(tiny.dir, JSON.parse(readFileSync(file, 'utf8')) as object);
  unlinkSync(file);
  return tiny;
}
