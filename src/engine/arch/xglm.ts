/**
 * XGLM (`xglm`, fairseq's multilingual GPT): token embeddings scaled by √d_model, sinusoidal
 * positions computed (never stored) with fairseq's offset of 2, pre-LayerNorm blocks with
 * separate biased q/k/v/out projections, a plain fc1 → GELU → fc2 MLP, a final LayerNorm and a
 * head tied to the embeddings.
 */
import { UserError } from '../errors';
import type { ArchAdapter, ArchConfig, ForwardEmitter, WeightSpec } from './types';
import { addPerPosition, newPositions, type GeluKind } from './common';
import { emitPlainDecoder, plainHead } from './plainBlocks';
import { geluKey, intKey, mhaConfig } from './configKeys';
import { DType } from '../onnx/proto';

interface XglmConfig extends ArchConfig {
  act: GeluKind;
  embedScale: number;
}

/** fairseq's SinusoidalPositionalEmbedding starts at padding_idx + 1 = 2 (HF: `offset = 2`). */
const POSITION_OFFSET = 2;
/** nn.LayerNorm's default: XGLM's config has no epsilon key. */
const LN_EPS = 1e-5;

/**
 * HF get_embedding's frequencies exp(-i·ln(10000)/(half-1)), rounded through float32 at each
 * step as torch computes them.
 */
function sinusoidFrequencies(dModel: number): number[] {
  const half = dModel / 2;
  const step = Math.fround(-Math.log(10000) / (half - 1));
  return Array.from({ length: half }, (_, i) => Math.fround(Math.exp(Math.fround(i * step))));
}

/** [T, D] = [sin(pos·f) | cos(pos·f)] for pos = position + 2. */
function sinusoids(e: ForwardEmitter, c: ArchConfig): string {
  const { g } = e;
  const pos = g.op('Cast', [g.add(newPositions(e), g.ints([POSITION_OFFSET]))], { to: DType.FLOAT }); // [T]
  const angles = g.mul(g.reshape(pos, [-1, 1]), g.floats(sinusoidFrequencies(c.dModel), [1, c.dModel / 2])); // [T, D/2]
  return g.op('Concat', [g.op('Sin', [angles]), g.op('Cos', [angles])], { axis: 1 }); // [T, D]
}

const HEAD = plainHead('model.layer_norm');

export const xglmAdapter: ArchAdapter = {
  modelTypes: ['xglm'],

  normalize(cfg, hasTensor): XglmConfig {
    const dModel = intKey(cfg, ['d_model', 'hidden_size']);
    if (dModel % 2 !== 0) throw new UserError(cfg.file, `d_model (${dModel}) must be even for sinusoidal positions`);
    return {
      ...mhaConfig(cfg, hasTensor, {
        modelType: 'xglm',
        architecture: 'XGLMForCausalLM',
        dModel,
        nHeads: intKey(cfg, ['attention_heads', 'num_attention_heads']),
        nLayers: intKey(cfg, ['num_layers', 'num_hidden_layers']),
        dMlp: cfg.int('ffn_dim'),
        maxPositions: cfg.int('max_position_embeddings', 2048),
        normEps: LN_EPS,
      }),
      positions: 'sinusoidal',
      act: geluKey(cfg, 'activation_function', 'gelu'),
      embedScale: cfg.bool('scale_embedding', true) ? Math.sqrt(dModel) : 1,
    };
  },

  weights(c) {
    const D = c.dModel;
    const plain = (name: string, shape: number[]): WeightSpec => ({ name, source: name, shape });
    const norm = (name: string): WeightSpec[] => [plain(`${name}.weight`, [D]), plain(`${name}.bias`, [D])];
    const w: WeightSpec[] = [plain('model.embed_tokens.weight', [c.vocabSize, D])];
    for (let i = 0; i < c.nLayers; i++) {
      const p = `model.layers.${i}.`;
      const lin = (kind: string, sub: string, out: number, inp: number, inputHook: string): WeightSpec[] => [
        { ...plain(`${p}${sub}.weight`, [out, inp]), linear: { layer: i, kind, inputHook } },
        plain(`${p}${sub}.bias`, [out]),
      ];
      const ln1 = `blocks.${i}.ln1.hook_normalized`;
      w.push(...norm(`${p}self_attn_layer_norm`));
      w.push(...lin('q', 'self_attn.q_proj', D, D, ln1), ...lin('k', 'self_attn.k_proj', D, D, ln1), ...lin('v', 'self_attn.v_proj', D, D, ln1));
      w.push(...lin('o', 'self_attn.out_proj', D, D, `blocks.${i}.attn.hook_z`));
      w.push(...norm(`${p}final_layer_norm`));
      w.push(...lin('fc1', 'fc1', c.dMlp, D, `blocks.${i}.ln2.hook_normalized`));
      w.push(...lin('fc2', 'fc2', D, c.dMlp, `blocks.${i}.mlp.hook_post`));
    }
    w.push(...norm('model.layer_norm'));
    w.push({ name: 'lm_head.weight', source: c.tiedEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight', shape: [c.vocabSize, D] });
    return w;
  },

  emitForward(cfg, e) {
    const c = cfg as XglmConfig;
    const { g } = e;
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    const tokens = g.op('Gather', [e.weight('model.embed_tokens.weight'), flatIds], { axis: 0 }); // [N, D]
    const embed = e.hook('hook_embed', g.mul(tokens, g.scalar(c.embedScale)));
    const p = (i: number): string => `model.layers.${i}.`;
    emitPlainDecoder(c, e, addPerPosition(e, embed, sinusoids(e, c), c.dModel), {
      names: (i) => ({ ln1: `${p(i)}self_attn_layer_norm`, ln2: `${p(i)}final_layer_norm`, out: `${p(i)}self_attn.out_proj`, fc1: `${p(i)}fc1`, fc2: `${p(i)}fc2` }),
      qkv: (i, h1) => ['q', 'k', 'v'].map((n) => g.linear(h1, e.weight(`${p(i)}self_attn.${n}_proj.weight`), e.weight(`${p(i)}self_attn.${n}_proj.bias`))) as [string, string, string],
      attention: { rope: false },
      act: c.act,
      head: HEAD,
    });
  },

  ...HEAD,
};
