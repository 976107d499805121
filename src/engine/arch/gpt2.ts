/**
 * GPT-2 family (`gpt2`; mGPT is this architecture): learned absolute positions, pre-LayerNorm
 * blocks, one fused c_attn projection for q/k/v, a plain c_fc → GELU → c_proj MLP, tied head.
 * Weights are Conv1D, stored [in, out]: the specs mark them `transposed`, so the graph, Wanda and
 * the neuron tools see [out, in] rows like every other architecture, and export writes them back
 * as stored. Checkpoints come with the `transformer.` prefix (GPT2LMHeadModel) or without it
 * (GPT2Model); graph names always carry it.
 */
import type { ArchAdapter, ArchConfig, WeightSpec } from './types';
import { addPerPosition, newPositions, type GeluKind } from './common';
import { emitPlainDecoder, plainHead } from './plainBlocks';
import { basePrefix, geluKey, intKey, mhaConfig } from './configKeys';

interface Gpt2Config extends ArchConfig {
  act: GeluKind;
  /** scale_attn_weights: q·k / √d_head (true in every released checkpoint). */
  scaleByHead: boolean;
  /** scale_attn_by_inverse_layer_idx: q·k also divided by layer + 1. */
  scaleByLayer: boolean;
}

const P = 'transformer.';

const HEAD = plainHead(`${P}ln_f`);

export const gpt2Adapter: ArchAdapter = {
  modelTypes: ['gpt2'],

  normalize(cfg, hasTensor): Gpt2Config {
    const dModel = intKey(cfg, ['n_embd', 'hidden_size']);
    return {
      ...mhaConfig(cfg, hasTensor, {
        modelType: 'gpt2',
        architecture: 'GPT2LMHeadModel',
        dModel,
        nHeads: intKey(cfg, ['n_head', 'num_attention_heads']),
        nLayers: intKey(cfg, ['n_layer', 'num_hidden_layers']),
        dMlp: intKey(cfg, ['n_inner'], 4 * dModel),
        maxPositions: intKey(cfg, ['n_positions', 'max_position_embeddings'], 1024),
        normEps: cfg.positive('layer_norm_epsilon', 1e-5),
      }),
      positions: 'learned',
      act: geluKey(cfg, 'activation_function', 'gelu_new'),
      scaleByHead: cfg.bool('scale_attn_weights', true),
      scaleByLayer: cfg.bool('scale_attn_by_inverse_layer_idx', false),
    };
  },

  weights(c, hasTensor) {
    const D = c.dModel;
    const src = basePrefix(hasTensor, 'wte.weight', P);
    const plain = (name: string, shape: number[]): WeightSpec => ({ name: `${P}${name}`, source: `${src}${name}`, shape });
    const w: WeightSpec[] = [plain('wte.weight', [c.vocabSize, D]), plain('wpe.weight', [c.maxPositions, D])];
    for (let i = 0; i < c.nLayers; i++) {
      const p = `h.${i}.`;
      const conv = (kind: string, sub: string, out: number, inp: number, inputHook: string): WeightSpec[] => [
        { ...plain(`${p}${sub}.weight`, [out, inp]), transposed: true, linear: { layer: i, kind, inputHook } },
        plain(`${p}${sub}.bias`, [out]),
      ];
      const norm = (sub: string): WeightSpec[] => [plain(`${p}${sub}.weight`, [D]), plain(`${p}${sub}.bias`, [D])];
      w.push(...norm('ln_1'));
      w.push(...conv('qkv', 'attn.c_attn', 3 * D, D, `blocks.${i}.ln1.hook_normalized`));
      w.push(...conv('o', 'attn.c_proj', D, D, `blocks.${i}.attn.hook_z`));
      w.push(...norm('ln_2'));
      w.push(...conv('fc1', 'mlp.c_fc', c.dMlp, D, `blocks.${i}.ln2.hook_normalized`));
      w.push(...conv('fc2', 'mlp.c_proj', D, c.dMlp, `blocks.${i}.mlp.hook_post`));
    }
    w.push(plain('ln_f.weight', [D]), plain('ln_f.bias', [D]));
    w.push({ name: 'lm_head.weight', source: c.tiedEmbeddings ? `${src}wte.weight` : 'lm_head.weight', shape: [c.vocabSize, D] });
    return w;
  },

  emitForward(cfg, e) {
    const c = cfg as Gpt2Config;
    const { g } = e;
    const D = c.dModel;
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    const tokens = e.hook('hook_embed', g.op('Gather', [e.weight(`${P}wte.weight`), flatIds], { axis: 0 })); // [N, D]
    const pos = g.op('Gather', [e.weight(`${P}wpe.weight`), newPositions(e)], { axis: 0 }); // [T, D]
    const h = (i: number): string => `${P}h.${i}.`;
    emitPlainDecoder(c, e, addPerPosition(e, tokens, pos, D), {
      names: (i) => ({ ln1: `${h(i)}ln_1`, ln2: `${h(i)}ln_2`, out: `${h(i)}attn.c_proj`, fc1: `${h(i)}mlp.c_fc`, fc2: `${h(i)}mlp.c_proj` }),
      qkv: (i, h1) => {
        const w = `${h(i)}attn.c_attn`;
        const qkv = g.linear(h1, e.weight(`${w}.weight`), e.weight(`${w}.bias`)); // [N, 3D]: q | k | v
        return [0, 1, 2].map((j) => g.op('Slice', [qkv, g.ints([j * D]), g.ints([(j + 1) * D]), g.ints([1])])) as [string, string, string];
      },
      attention: (i) => ({ rope: false, scale: (c.scaleByHead ? 1 / Math.sqrt(c.dHead) : 1) / (c.scaleByLayer ? i + 1 : 1) }),
      act: c.act,
      head: HEAD,
    });
  },

  ...HEAD,
};
