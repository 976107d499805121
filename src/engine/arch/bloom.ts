/**
 * BLOOM (`bloom`): no position table but ALiBi score biases (head counts that are not powers of
 * two get HF's interleaved extra slopes), a LayerNorm right after the word embeddings, pre-LN
 * blocks with one fused query_key_value projection whose output rows are grouped per head
 * ([head, q|k|v, d_head]), a tanh-GELU MLP of width 4·d_model, tied head. Checkpoints come with
 * the `transformer.` prefix (BloomForCausalLM) or without it (the bigscience releases); graph
 * names always carry it.
 */
import type { ArchAdapter, ArchConfig, WeightSpec } from './types';
import { alibiBias, layerNorm } from './common';
import { emitPlainDecoder, plainHead } from './plainBlocks';
import { basePrefix, intKey, mhaConfig } from './configKeys';

interface BloomConfig extends ArchConfig {
  /** apply_residual_connection_post_layernorm: the residual branch starts after the LayerNorm. */
  residualAfterNorm: boolean;
}

const P = 'transformer.';

const HEAD = plainHead(`${P}ln_f`);

export const bloomAdapter: ArchAdapter = {
  modelTypes: ['bloom'],

  normalize(cfg, hasTensor): BloomConfig {
    const dModel = intKey(cfg, ['hidden_size', 'n_embed']);
    return {
      ...mhaConfig(cfg, hasTensor, {
        modelType: 'bloom',
        architecture: 'BloomForCausalLM',
        dModel,
        nHeads: intKey(cfg, ['n_head', 'num_attention_heads']),
        nLayers: intKey(cfg, ['n_layer', 'num_hidden_layers']),
        dMlp: 4 * dModel,
        // ALiBi has no position table; the training length bounds what the model has seen.
        maxPositions: intKey(cfg, ['seq_length', 'max_position_embeddings'], 2048),
        normEps: cfg.positive('layer_norm_epsilon', 1e-5),
      }),
      positions: 'alibi',
      residualAfterNorm: cfg.bool('apply_residual_connection_post_layernorm', false),
    };
  },

  weights(c, hasTensor) {
    const D = c.dModel;
    const src = basePrefix(hasTensor, 'word_embeddings.weight', P);
    const plain = (name: string, shape: number[]): WeightSpec => ({ name: `${P}${name}`, source: `${src}${name}`, shape });
    const norm = (name: string): WeightSpec[] => [plain(`${name}.weight`, [D]), plain(`${name}.bias`, [D])];
    const w: WeightSpec[] = [plain('word_embeddings.weight', [c.vocabSize, D]), ...norm('word_embeddings_layernorm')];
    for (let i = 0; i < c.nLayers; i++) {
      const p = `h.${i}.`;
      const lin = (kind: string, sub: string, out: number, inp: number, inputHook: string): WeightSpec[] => [
        { ...plain(`${p}${sub}.weight`, [out, inp]), linear: { layer: i, kind, inputHook } },
        plain(`${p}${sub}.bias`, [out]),
      ];
      w.push(...norm(`${p}input_layernorm`));
      w.push(...lin('qkv', 'self_attention.query_key_value', 3 * D, D, `blocks.${i}.ln1.hook_normalized`));
      w.push(...lin('o', 'self_attention.dense', D, D, `blocks.${i}.attn.hook_z`));
      w.push(...norm(`${p}post_attention_layernorm`));
      w.push(...lin('fc1', 'mlp.dense_h_to_4h', c.dMlp, D, `blocks.${i}.ln2.hook_normalized`));
      w.push(...lin('fc2', 'mlp.dense_4h_to_h', D, c.dMlp, `blocks.${i}.mlp.hook_post`));
    }
    w.push(...norm('ln_f'));
    w.push({ name: 'lm_head.weight', source: c.tiedEmbeddings ? `${src}word_embeddings.weight` : 'lm_head.weight', shape: [c.vocabSize, D] });
    return w;
  },

  emitForward(cfg, e) {
    const c = cfg as BloomConfig;
    const { g } = e;
    const D = c.dModel;
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    const tokens = e.hook('hook_embed', g.op('Gather', [e.weight(`${P}word_embeddings.weight`), flatIds], { axis: 0 })); // [N, D]
    const ln = `${P}word_embeddings_layernorm`;
    const x = layerNorm(g, tokens, e.weight(`${ln}.weight`), e.weight(`${ln}.bias`), c.normEps);
    const h = (i: number): string => `${P}h.${i}.`;
    emitPlainDecoder(c, e, x, {
      names: (i) => ({
        ln1: `${h(i)}input_layernorm`,
        ln2: `${h(i)}post_attention_layernorm`,
        out: `${h(i)}self_attention.dense`,
        fc1: `${h(i)}mlp.dense_h_to_4h`,
        fc2: `${h(i)}mlp.dense_4h_to_h`,
      }),
      qkv: (i, h1) => {
        const w = `${h(i)}self_attention.query_key_value`;
        // [N, 3D] viewed as [N, H, 3, hd]: each head's q, k and v rows are adjacent in the fused weight.
        const qkv = g.reshape(g.linear(h1, e.weight(`${w}.weight`), e.weight(`${w}.bias`)), [-1, c.nHeads, 3, c.dHead]);
        return [0, 1, 2].map((j) => g.reshape(g.op('Slice', [qkv, g.ints([j]), g.ints([j + 1]), g.ints([2])]), [-1, D])) as [string, string, string];
      },
      attention: { rope: false, scoreBias: alibiBias(e, c.nHeads) },
      act: 'tanh',
      residualAfterNorm: c.residualAfterNorm,
      head: HEAD,
    });
  },

  ...HEAD,
};
