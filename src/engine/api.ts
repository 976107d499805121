/**
 * The engine's public surface: what the CLI calls in-process and what the extension host calls
 * through the worker (see worker/protocol.ts). Plain data only, so every value can cross a
 * worker boundary by structured clone.
 */
import type { StopReason } from '../shared/generatedText';

/** Normalised facts about a loaded checkpoint (config fields are normalised once, in the adapter). */
export interface ModelInfo {
  dir: string;
  /** config.json `model_type`, e.g. "llama". */
  modelType: string;
  architecture: string;
  dModel: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  dHead: number;
  dMlp: number;
  vocabSize: number;
  maxPositions: number;
  /** dtype of the stored weights: "F32" | "F16" | "BF16" (the engine computes in F32). */
  dtype: string;
  parameterCount: number;
  tiedEmbeddings: boolean;
  ropeTheta: number;
  ropeScaling: string;
  /** rotary | learned | sinusoidal | alibi (rope fields apply to rotary only). */
  positions: string;
  tokenizer: { vocabSize: number; bosId: number | null; eosId: number | null; addsBos: boolean; hasChatTemplate: boolean };
  /** Languages the model declares (config.json `polyglot_languages` or the model card); empty when unknown. */
  languages: string[];
  /** How this process runs the model (docs/scale.md). */
  runtime: ModelRuntime;
  /** Where the weights came from: model.safetensors (or shards) or pytorch_model.bin (or shards). */
  weightFormat: 'safetensors' | 'pytorch';
  /** Problems that do not stop the load (tensors the architecture does not use), one line each. */
  warnings: string[];
}

export interface ModelRuntime {
  /** resident: F32 in memory, one graph; streaming: stored precision in memory, block by block;
   * mapped: read from the file block by block. */
  weights: 'resident' | 'streaming' | 'mapped';
  /** Why that mode (forced, or the sizes against the memory available at load). */
  weightsReason: string;
  /** Bytes of weights held in memory between runs. */
  heldWeightBytes: number;
  /** Bytes of the weights as stored in the checkpoint (what streaming mode holds). */
  storedWeightBytes: number;
  /** The provider graphs run on, and the one asked for (they differ after a CUDA fallback). */
  executionProvider: 'cpu' | 'cuda';
  requestedExecutionProvider: 'cpu' | 'cuda';
  /** Why the requested provider is not used, with what to do (undefined when it is used). */
  executionProviderNote?: string;
}

/** A dense F32 tensor, row-major. */
export interface TensorData {
  dims: number[];
  data: Float32Array;
}

/**
 * Neuron deactivation: for each layer, the MLP neuron indices whose `hook_post` is set to 0 at
 * every position (methods.md §2, "Deactivation").
 */
export type NeuronMask = Record<number, number[]>;

export interface GenerateRequest {
  ids: number[];
  maxNewTokens: number;
  /** Stop at any of these ids (default: the tokenizer's EOS). */
  stopIds?: number[];
  deactivate?: NeuronMask;
  /** Name of a pruned variant to run (see pruning); undefined = dense. */
  variant?: string;
}

export interface GenerateResult {
  promptIds: number[];
  generatedIds: number[];
  text: string;
  /** Why generation stopped (shared/generation.ts words it when the text is empty). */
  stoppedBy: StopReason;
}

export interface CaptureRequest {
  ids: number[];
  /** Hook names, `*` allowed for the layer index; `logits` is a hook too. */
  hooks: string[];
  deactivate?: NeuronMask;
  variant?: string;
}

/** Progress events carry a fraction in [0,1] and a short message. */
export interface Progress {
  fraction: number;
  message: string;
}

export interface JobOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}
