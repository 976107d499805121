/**
 * What an architecture adapter provides. Adding an architecture is one adapter file plus one line
 * in registry.ts: the adapter normalises config.json once into `ArchConfig`, names the weights it
 * needs, and emits the forward pass through the `ForwardEmitter` (which decides, per hook, whether
 * the value is returned, reduced to statistics, or not needed at all).
 */
import type { ConfigReader } from '../checkpoint/config';
import type { GraphBuilder } from '../onnx/graph';
import type { HookShapeFacts } from '../hooks';

export type RopeScaling =
  | { type: 'none' }
  | { type: 'linear'; factor: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number };

/** How positions enter the model: rotary (the default), a learned table, sinusoids, or ALiBi biases. */
export type PositionKind = 'rotary' | 'learned' | 'sinusoidal' | 'alibi';

export interface ArchConfig extends HookShapeFacts {
  modelType: string;
  architecture: string;
  nKvHeads: number;
  maxPositions: number;
  normEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling;
  /** Undefined = rotary; ropeTheta and ropeScaling mean nothing for the other kinds. */
  positions?: PositionKind;
  tiedEmbeddings: boolean;
  /** Mistral-style sliding window attention; undefined = full causal attention. */
  slidingWindow?: number;
  /**
   * Layers that use `slidingWindow` (Gemma 2 alternates local and global layers); undefined = all
   * layers. When set, `inputs.mask` is the full causal mask and those layers ask `windowMask()`.
   */
  slidingWindowLayers?: number[];
  bosId: number | null;
  eosIds: number[];
}

/** One weight the graph takes as an input, read from the checkpoint under `source`. */
export interface WeightSpec {
  /** Canonical name used as the graph input (HF name with the `model.` prefix). */
  name: string;
  /** Name in the checkpoint (may differ, e.g. a tied LM head reads the embedding). */
  source: string;
  /** Shape as the graph uses it: [out, in] for every linear layer. */
  shape: number[];
  /**
   * Stored transposed, [in, out] (GPT-2's Conv1D): the loader transposes it to `shape` once, and
   * pruning export transposes it back, so everything in between sees [out, in] rows.
   */
  transposed?: boolean;
  /** A linear layer inside a decoder block: a pruning target with this input hook. */
  linear?: { layer: number; kind: string; inputHook: string };
}

export interface ForwardEmitter {
  g: GraphBuilder;
  /** The value of a weight (graph input, possibly masked by the active pruning variant). */
  weight(name: string): string;
  /** Whether the checkpoint has this optional weight (biases). */
  hasWeight(name: string): boolean;
  /** Logits only for the last position (generation). */
  lastPositionOnly: boolean;
  /** Reports a hook's value [N, width]; returns the value to continue with (after interventions). */
  hook(name: string, value: string): string;
  /** False once nothing at or after this hook is needed: the adapter stops emitting there. */
  needs(name: string): boolean;
  /** Graph inputs shared by every architecture (see model/plan.ts). */
  inputs: {
    ids: string; // [B, T] int64
    cos: string; // [T, d_head]
    sin: string; // [T, d_head]
    mask: string; // [T, S] additive causal mask (S = past + T)
  };
  /** The additive sliding-window mask [T, S] (graph input `attn_mask_window`), declared on first use. */
  windowMask(): string;
  /** Shape(ids) = [B, T] as an int64 tensor, for reshapes of [N, …] rows back to [B, T, …]. */
  shapeBT: string;
  /** KV cache: past key/value inputs and present outputs, per layer; undefined = no cache. */
  kv?: { past(layer: number): { k: string; v: string }; present(layer: number, k: string, v: string): void };
}

/** What the final norm and the unembedding need from a graph: the builder and the weights. */
export type HeadEmitter = Pick<ForwardEmitter, 'g' | 'weight' | 'hasWeight'>;

export interface ArchAdapter {
  modelTypes: string[];
  normalize(cfg: ConfigReader, hasTensor: (name: string) => boolean): ArchConfig;
  weights(cfg: ArchConfig, hasTensor: (name: string) => boolean): WeightSpec[];
  emitForward(cfg: ArchConfig, e: ForwardEmitter): void;
  /**
   * The model's final norm on residual rows [N, d_model] (the value of ln_final.hook_normalized).
   * emitForward ends with finalNorm then unembed, and the latent-language lens (model/lensHead.ts)
   * applies the same two to every layer's residual stream, so its last layer is the logits.
   */
  finalNorm(cfg: ArchConfig, e: HeadEmitter, x: string): string;
  /** Normalised rows [N, d_model] → logits [N, vocab]: the LM head, with any final soft-cap (Gemma 2). */
  unembed(cfg: ArchConfig, e: HeadEmitter, hf: string): string;
}
