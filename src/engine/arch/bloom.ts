/**
 * BLOOM (`bloom`): no position table but ALiBi score biases (head counts that are not powers of
 * two get HF's interleaved extra slopes), a LayerNorm right after the word embeddings, pre-LN
 * blocks with one fused query_key_value projection whose output rows are grouped per head
 * ([head, q|k|v, d_head]), a tanh-GELU MLP of width 4·d_model, tied head. Checkpoints come with
 * the `transformer.` prefix (BloomForCausalLM) or without it (the bigscience releases); graph
 * names always carry it.
 */
import { UserError } from '../errors';
import type { ArchAdapter, ArchConfig, WeightSpec } from './types';
import { alibiBias, attention, gelu, layerNorm, lmHead } from './common';
import { basePrefix, intKey } from './configKeys';

interface BloomConfig extends ArchConfig {
  /** apply_residual_connection_post_layernorm: the residual branch starts after the LayerNorm. */
  residualAfterNorm: boolean;
}

const P = 'transformer.';

export const bloomAdapter: ArchAdapter = {
  modelTypes: ['bloom'],

  normalize(cfg, hasTensor): BloomConfig {
    const dModel = intKey(cfg, ['hidden_size', 'n_embed']);
    const nHeads = intKey(cfg, ['n_head', 'num_attention_heads']);
    if (dModel % nHeads !== 0) throw new UserError(cfg.file, `hidden_size (${dModel}) must be a multiple of n_head (${nHeads})`);
    return {
      modelType: 'bloom',
      architecture: (cfg.raw.architectures as string[] | undefined)?.[0] ?? 'BloomForCausalLM',
      nLayers: intKey(cfg, ['n_layer', 'num_hidden_layers']),
      dModel,
      nHeads,
      nKvHeads: nHeads,
      dHead: dModel / nHeads,
      dMlp: 4 * dModel,
      vocabSize: cfg.int('vocab_size'),
      // ALiBi has no position table; the training length bounds what the model has seen.
      maxPositions: intKey(cfg, ['seq_length', 'max_position_embeddings'], 2048),
      normEps: cfg.number('layer_norm_epsilon', 1e-5),
      ropeTheta: 10000,
      ropeScaling: { type: 'none' },
      tiedEmbeddings: cfg.bool('tie_word_embeddings', true) || !hasTensor('lm_head.weight'),
      gatedMlp: false,
      bosId: cfg.ids('bos_token_id')[0] ?? null,
      eosIds: cfg.ids('eos_token_id'),
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
    const W = (n: string): string => e.weight(`${P}${n}`);
    const norm = (x0: string, name: string): string => layerNorm(g, x0, W(`${name}.weight`), W(`${name}.bias`), c.normEps);
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    const embed = e.hook('hook_embed', g.op('Gather', [W('word_embeddings.weight'), flatIds], { axis: 0 })); // [N, D]
    let x = norm(embed, 'word_embeddings_layernorm');
    const alibi = alibiBias(e, c.nHeads); // [H, 1, 1, S]
    for (let i = 0; i < c.nLayers; i++) {
      const b = `blocks.${i}.`;
      const p = `h.${i}.`;
      const lin = (x0: string, sub: string): string => g.linear(x0, W(`${p}${sub}.weight`), W(`${p}${sub}.bias`));
      if (!e.needs(`${b}hook_resid_pre`)) return;
      x = e.hook(`${b}hook_resid_pre`, x);
      if (!e.needs(`${b}ln1.hook_normalized`)) return;
      const h1 = e.hook(`${b}ln1.hook_normalized`, norm(x, `${p}input_layernorm`));
      if (!e.needs(`${b}attn.hook_z`)) return;
      // [N, 3D] viewed as [N, H, 3, hd]: each head's q, k and v rows are adjacent in the fused weight.
      const qkv = g.reshape(lin(h1, 'self_attention.query_key_value'), [-1, c.nHeads, 3, c.dHead]);
      const [q, k, v] = [0, 1, 2].map((j) => g.reshape(g.op('Slice', [qkv, g.ints([j]), g.ints([j + 1]), g.ints([2])]), [-1, D])) as [string, string, string];
      const z = e.hook(`${b}attn.hook_z`, attention(c, e, i, q, k, v, { rope: false, scoreBias: alibi })); // [N, D]
      const mid = g.add(c.residualAfterNorm ? h1 : x, lin(z, 'self_attention.dense'));
      if (!e.needs(`${b}ln2.hook_normalized`)) return;
      const h2 = e.hook(`${b}ln2.hook_normalized`, norm(mid, `${p}post_attention_layernorm`));
      if (!e.needs(`${b}mlp.hook_pre`)) return;
      const pre = e.hook(`${b}mlp.hook_pre`, lin(h2, 'mlp.dense_h_to_4h')); // [N, d_mlp]
      const post = e.hook(`${b}mlp.hook_post`, gelu(g, pre, 'tanh')); // [N, d_mlp]
      if (!e.needs(`${b}hook_resid_post`)) return;
      x = e.hook(`${b}hook_resid_post`, g.add(c.residualAfterNorm ? h2 : mid, lin(post, 'mlp.dense_4h_to_h')));
    }
    if (!e.needs('ln_final.hook_normalized')) return;
    const hf = e.hook('ln_final.hook_normalized', norm(x, 'ln_f'));
    if (e.needs('logits')) lmHead(e, hf, e.weight('lm_head.weight'));
  },
};
