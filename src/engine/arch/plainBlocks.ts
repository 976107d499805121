/**
 * The forward pass shared by the pre-LayerNorm decoders with a plain (non-gated) MLP — GPT-2,
 * BLOOM, XGLM: per block LN → attention → residual → LN → fc1 → GELU → fc2 → residual, then the
 * final LayerNorm and the head. Each adapter supplies only what differs: how q/k/v come out of
 * its projections, its attention options, the module names and the residual convention.
 * Hooks (methods.md §1): hook_pre is fc1's output, hook_post = act(fc1) is fc2's input.
 */
import type { ArchAdapter, ArchConfig, ForwardEmitter } from './types';
import { attention, emitHead, gelu, layerNorm, type AttentionOptions, type GeluKind } from './common';

export interface PlainBlockNames {
  /** LayerNorm before attention and before the MLP (weight/bias prefixes). */
  ln1: string;
  ln2: string;
  /** Biased linear layers (weight/bias prefixes). */
  out: string;
  fc1: string;
  fc2: string;
}

export interface PlainDecoder {
  names(layer: number): PlainBlockNames;
  /** q, k, v [N, H·hd] each, from the normalised rows h1 [N, D]. */
  qkv(layer: number, h1: string): [string, string, string];
  attention: AttentionOptions | ((layer: number) => AttentionOptions);
  act: GeluKind;
  /** BLOOM's apply_residual_connection_post_layernorm: each residual branch starts after its LN. */
  residualAfterNorm?: boolean;
  /** The adapter's final norm and head (plainHead). */
  head: Pick<ArchAdapter, 'finalNorm' | 'unembed'>;
}

/** Runs the blocks from the embedded rows x [N, D] (hook_resid_pre of block 0) to the logits. */
export function emitPlainDecoder(c: ArchConfig, e: ForwardEmitter, x0: string, d: PlainDecoder): void {
  const { g } = e;
  const norm = (x: string, name: string): string => layerNorm(g, x, e.weight(`${name}.weight`), e.weight(`${name}.bias`), c.normEps);
  const lin = (x: string, name: string): string => g.linear(x, e.weight(`${name}.weight`), e.weight(`${name}.bias`));
  let x = x0;
  for (let i = 0; i < c.nLayers; i++) {
    const b = `blocks.${i}.`;
    const n = d.names(i);
    if (!e.needs(`${b}hook_resid_pre`)) return;
    x = e.hook(`${b}hook_resid_pre`, x);
    if (!e.needs(`${b}ln1.hook_normalized`)) return;
    const h1 = e.hook(`${b}ln1.hook_normalized`, norm(x, n.ln1));
    if (!e.needs(`${b}attn.hook_z`)) return;
    const [q, k, v] = d.qkv(i, h1);
    const opts = typeof d.attention === 'function' ? d.attention(i) : d.attention;
    const z = e.hook(`${b}attn.hook_z`, attention(c, e, i, q, k, v, opts)); // [N, H·hd]
    const mid = g.add(d.residualAfterNorm ? h1 : x, lin(z, n.out));
    if (!e.needs(`${b}ln2.hook_normalized`)) return;
    const h2 = e.hook(`${b}ln2.hook_normalized`, norm(mid, n.ln2));
    if (!e.needs(`${b}mlp.hook_pre`)) return;
    const pre = e.hook(`${b}mlp.hook_pre`, lin(h2, n.fc1)); // [N, d_mlp]
    const post = e.hook(`${b}mlp.hook_post`, gelu(g, pre, d.act)); // [N, d_mlp]
    if (!e.needs(`${b}hook_resid_post`)) return;
    x = e.hook(`${b}hook_resid_post`, g.add(d.residualAfterNorm ? h2 : mid, lin(post, n.fc2)));
  }
  emitHead(d.head, c, e, x);
}

/** The final LayerNorm (weight/bias prefix `finalNorm`) and the LM head `lm_head.weight`. */
export function plainHead(finalNorm: string): Pick<ArchAdapter, 'finalNorm' | 'unembed'> {
  return {
    finalNorm: (c, e, x) => layerNorm(e.g, x, e.weight(`${finalNorm}.weight`), e.weight(`${finalNorm}.bias`), c.normEps),
    unembed: (_c, e, hf) => e.g.linear(hf, e.weight('lm_head.weight')),
  };
}
