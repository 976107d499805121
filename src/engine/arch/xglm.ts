/**
 * XGLM (`xglm`, fairseq's multilingual GPT): token embeddings scaled by √d_model, sinusoidal
 * positions computed (never stored) with fairseq's offset of 2, pre-LayerNorm blocks with
 * separate biased q/k/v/out projections, a plain fc1 → GELU → fc2 MLP, a final LayerNorm and a
 * head tied to the embeddings.
 */
import { UserError } from '../errors';
import type { ConfigReader } from '../checkpoint/config';
import type { ArchAdapter, ArchConfig, ForwardEmitter, WeightSpec } from './types';
import { addPerPosition, attention, gelu, layerNorm, lmHead, newPositions, type GeluKind } from './common';
import { geluKey, intKey } from './configKeys';
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

function tied(cfg: ConfigReader, hasTensor: (n: string) => boolean): boolean {
  return cfg.bool('tie_word_embeddings', true) || !hasTensor('lm_head.weight');
}

export const xglmAdapter: ArchAdapter = {
  modelTypes: ['xglm'],

  normalize(cfg, hasTensor): XglmConfig {
    const dModel = intKey(cfg, ['d_model', 'hidden_size']);
    const nHeads = intKey(cfg, ['attention_heads', 'num_attention_heads']);
    if (dModel % nHeads !== 0) throw new UserError(cfg.file, `d_model (${dModel}) must be a multiple of attention_heads (${nHeads})`);
    if (dModel % 2 !== 0) throw new UserError(cfg.file, `d_model (${dModel}) must be even for sinusoidal positions`);
    if (cfg.bool('add_cross_attention', false)) throw new UserError(cfg.file, 'add_cross_attention is not supported (decoder-only models are)');
    return {
      modelType: 'xglm',
      architecture: (cfg.raw.architectures as string[] | undefined)?.[0] ?? 'XGLMForCausalLM',
      nLayers: intKey(cfg, ['num_layers', 'num_hidden_layers']),
      dModel,
      nHeads,
      nKvHeads: nHeads,
      dHead: dModel / nHeads,
      dMlp: cfg.int('ffn_dim'),
      vocabSize: cfg.int('vocab_size'),
      maxPositions: cfg.int('max_position_embeddings', 2048),
      normEps: LN_EPS,
      ropeTheta: 10000,
      ropeScaling: { type: 'none' },
      tiedEmbeddings: tied(cfg, hasTensor),
      gatedMlp: false,
      bosId: cfg.ids('bos_token_id')[0] ?? null,
      eosIds: cfg.ids('eos_token_id'),
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
    const norm = (x0: string, name: string): string => layerNorm(g, x0, e.weight(`${name}.weight`), e.weight(`${name}.bias`), c.normEps);
    const flatIds = g.reshape(e.inputs.ids, [-1]);
    const tokens = g.op('Gather', [e.weight('model.embed_tokens.weight'), flatIds], { axis: 0 }); // [N, D]
    let x = e.hook('hook_embed', g.mul(tokens, g.scalar(c.embedScale)));
    x = addPerPosition(e, x, sinusoids(e, c), c.dModel);
    for (let i = 0; i < c.nLayers; i++) {
      const b = `blocks.${i}.`;
      const p = `model.layers.${i}.`;
      const lin = (x0: string, sub: string): string => g.linear(x0, e.weight(`${p}${sub}.weight`), e.weight(`${p}${sub}.bias`));
      if (!e.needs(`${b}hook_resid_pre`)) return;
      x = e.hook(`${b}hook_resid_pre`, x);
      if (!e.needs(`${b}ln1.hook_normalized`)) return;
      const h1 = e.hook(`${b}ln1.hook_normalized`, norm(x, `${p}self_attn_layer_norm`));
      if (!e.needs(`${b}attn.hook_z`)) return;
      const [q, k, v] = ['q', 'k', 'v'].map((n) => lin(h1, `self_attn.${n}_proj`)) as [string, string, string]; // [N, D] each
      const z = e.hook(`${b}attn.hook_z`, attention(c, e, i, q, k, v, { rope: false })); // [N, D]
      const mid = g.add(x, lin(z, 'self_attn.out_proj'));
      if (!e.needs(`${b}ln2.hook_normalized`)) return;
      const h2 = e.hook(`${b}ln2.hook_normalized`, norm(mid, `${p}final_layer_norm`));
      if (!e.needs(`${b}mlp.hook_pre`)) return;
      const pre = e.hook(`${b}mlp.hook_pre`, lin(h2, 'fc1')); // [N, d_mlp]
      const post = e.hook(`${b}mlp.hook_post`, gelu(g, pre, c.act)); // [N, d_mlp]
      if (!e.needs(`${b}hook_resid_post`)) return;
      x = e.hook(`${b}hook_resid_post`, g.add(mid, lin(post, 'fc2')));
    }
    if (!e.needs('ln_final.hook_normalized')) return;
    const hf = e.hook('ln_final.hook_normalized', norm(x, 'model.layer_norm'));
    if (e.needs('logits')) lmHead(e, hf, e.weight('lm_head.weight'));
  },
};
