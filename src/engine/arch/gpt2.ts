/**
 * GPT-2 family (`gpt2`; mGPT is this architecture): learned absolute positions, pre-LayerNorm
 * blocks, one fused c_attn projection for q/k/v, a plain c_fc → GELU → c_proj MLP, tied head.
 * Weights are Conv1D, stored [in, out]: the specs mark them `transposed`, so the graph, Wanda and
 * the neuron tools see [out, in] rows like every other architecture, and export writes them back
 * as stored. Checkpoints come with the `transformer.` prefix (GPT2LMHeadModel) or without it
 * (GPT2Model); graph names always carry it.
 */
import { UserError } from '../errors';
import type { ArchAdapter, ArchConfig, WeightSpec } from './types';
import { addPerPosition, attention, gelu, layerNorm, lmHead, newPositions, type GeluKind } from './common';
import { basePrefix, geluKey, intKey } from './configKeys';

interface Gpt2Config extends ArchConfig {
  act: GeluKind;
  /** scale_attn_weights: q·k / √d_head (true in every released checkpoint). */
  scaleByHead: boolean;
  /** scale_attn_by_inverse_layer_idx: q·k also divided by layer + 1. */
  scaleByLayer: boolean;
}

const P = 'transformer.';

export const gpt2Adapter: ArchAdapter = {
  modelTypes: ['gpt2'],

  normalize(cfg, hasTensor): Gpt2Config {
    const dModel = intKey(cfg, ['n_embd', 'hidden_size']);
    const nHeads = intKey(cfg, ['n_head', 'num_attention_heads']);
    if (dModel % nHeads !== 0) throw new UserError(cfg.file, `n_embd (${dModel}) must be a multiple of n_head (${nHeads})`);
    if (cfg.bool('add_cross_attention', false)) throw new UserError(cfg.file, 'add_cross_attention is not supported (decoder-only models are)');
    return {
      modelType: 'gpt2',
      architecture: (cfg.raw.architectures as string[] | undefined)?.[0] ?? 'GPT2LMHeadModel',
      nLayers: intKey(cfg, ['n_layer', 'num_hidden_layers']),
      dModel,
      nHeads,
      nKvHeads: nHeads,
      dHead: dModel / nHeads,
      dMlp: intKey(cfg, ['n_inner'], 4 * dModel),
      vocabSize: cfg.int('vocab_size'),
      maxPositions: intKey(cfg, ['n_positions', 'max_position_embeddings'], 1024),
      normEps: cfg.number('layer_norm_epsilon', 1e-5),
      ropeTheta: 10000,
      ropeScaling: { type: 'none' },
      // GPT2LMHeadModel always ties unless told not to and given its own head.
      tiedEmbeddings: cfg.bool('tie_word_embeddings', true) || !hasTensor('lm_head.weight'),
      gatedMlp: false,
      bosId: cfg.ids('bos_token_id')[0] ?? null,
      eosIds: cfg.ids('eos_token_id'),
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
    const W = (n: string): string => e.weight(`${P}${n}`);
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    let x = e.hook('hook_embed', g.op('Gather', [W('wte.weight'), flatIds], { axis: 0 })); // [N, D]
    const pos = g.op('Gather', [W('wpe.weight'), newPositions(e)], { axis: 0 }); // [T, D]
    x = addPerPosition(e, x, pos, D);
    for (let i = 0; i < c.nLayers; i++) {
      const b = `blocks.${i}.`;
      const p = `h.${i}.`;
      const lin = (x0: string, sub: string): string => g.linear(x0, W(`${p}${sub}.weight`), W(`${p}${sub}.bias`));
      if (!e.needs(`${b}hook_resid_pre`)) return;
      x = e.hook(`${b}hook_resid_pre`, x);
      if (!e.needs(`${b}ln1.hook_normalized`)) return;
      const h1 = e.hook(`${b}ln1.hook_normalized`, layerNorm(g, x, W(`${p}ln_1.weight`), W(`${p}ln_1.bias`), c.normEps));
      if (!e.needs(`${b}attn.hook_z`)) return;
      const qkv = lin(h1, 'attn.c_attn'); // [N, 3D]: q, k, v side by side
      const [q, k, v] = [0, 1, 2].map((j) => g.op('Slice', [qkv, g.ints([j * D]), g.ints([(j + 1) * D]), g.ints([1])])) as [string, string, string];
      const scale = (c.scaleByHead ? 1 / Math.sqrt(c.dHead) : 1) / (c.scaleByLayer ? i + 1 : 1);
      const z = e.hook(`${b}attn.hook_z`, attention(c, e, i, q, k, v, { rope: false, scale })); // [N, D]
      const mid = g.add(x, lin(z, 'attn.c_proj'));
      if (!e.needs(`${b}ln2.hook_normalized`)) return;
      const h2 = e.hook(`${b}ln2.hook_normalized`, layerNorm(g, mid, W(`${p}ln_2.weight`), W(`${p}ln_2.bias`), c.normEps));
      if (!e.needs(`${b}mlp.hook_pre`)) return;
      const pre = e.hook(`${b}mlp.hook_pre`, lin(h2, 'mlp.c_fc')); // [N, d_mlp]
      const post = e.hook(`${b}mlp.hook_post`, gelu(g, pre, c.act)); // [N, d_mlp]
      if (!e.needs(`${b}hook_resid_post`)) return;
      x = e.hook(`${b}hook_resid_post`, g.add(mid, lin(post, 'mlp.c_proj')));
    }
    if (!e.needs('ln_final.hook_normalized')) return;
    const hf = e.hook('ln_final.hook_normalized', layerNorm(g, x, W('ln_f.weight'), W('ln_f.bias'), c.normEps));
    if (e.needs('logits')) lmHead(e, hf, e.weight('lm_head.weight'));
  },
};
