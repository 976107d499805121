/**
 * Plain data describing a pruning run and its result (methods.md §3). A pruned variant is a set
 * of 1-byte keep masks over the model's own F32 weights plus the record of how it was made, so
 * the engine can run it (Where(mask, W, 0) in the graph) and export it without a second copy of
 * the weights.
 */
import type { NeuronMask } from '../api';

export type PruneMethod = 'wanda' | 'magnitude' | 'random' | 'prog';
export type PruneMode = 'sequential' | 'oneshot';
/** Where magnitude pruning ranks weights: the whole matrix (default, as the reference) or each row. */
export type MagnitudeScope = 'matrix' | 'row';

/** N:M semi-structured sparsity: in each group of M consecutive inputs of a row, N are zeroed. */
export interface NM {
  n: number;
  m: number;
}

export interface PruneSpec {
  method: PruneMethod;
  /** Fraction of weights to zero, in (0, 1). With `nm` it may be omitted (it is then N/M). */
  sparsity?: number;
  /** wanda/prog only; default `sequential` (as the reference). */
  mode?: PruneMode;
  nm?: NM;
  /** random only (required there); recorded for every method. */
  seed?: number;
  /** magnitude only: one threshold per weight matrix (default) or per output row. */
  magnitudeScope?: MagnitudeScope;
  /**
   * Reproduce the reference code where it differs from our defaults (methods.md §3): calibration
   * sequences padded to the longest with every padding position counted, and magnitude's
   * threshold rule |W| ≤ sorted(|W|)[⌊N·s⌋] (which zeroes one weight more than ⌊N·s⌋, ties all).
   */
  referenceCompatible?: boolean;
}

/** Tokenized calibration sequences and where they came from (e.g. "mt:fr-en", a file path). */
export interface CalibrationInput {
  source: string;
  sequences: number[][];
  /**
   * Dense-model Σx² per input hook computed elsewhere (merged `--shard` partials, see
   * pruning/partial.ts) with the record of the set it came from; one-shot pruning then uses these
   * sums instead of running `sequences` (which may be empty).
   */
  precomputed?: { sumsq: Map<string, Float64Array>; record: CalibrationRecord };
}

/**
 * Calibration by role, named explicitly: `calibration` for wanda; `translation` (θ_mt) and
 * `code` for prog (methods.md §3 — the reference picks the roles from set iteration order; we
 * never do).
 */
export interface PruneCalibration {
  calibration?: CalibrationInput;
  translation?: CalibrationInput;
  code?: CalibrationInput;
}

/** How a calibration set is recorded: its source, size, and sha256 of the token ids (see hash.ts). */
export interface CalibrationRecord {
  source: string;
  sequences: number;
  tokens: number;
  sha256: string;
}

/** Achieved sparsity of one masked linear layer. */
export interface LinearSparsity {
  weight: string;
  layer: number;
  kind: string;
  zeroed: number;
  total: number;
  sparsity: number;
}

export interface VariantInfo {
  name: string;
  /** `neurons` = a neuron deactivation expressed as weight masks (see neurons.ts). */
  kind: 'pruned' | 'neurons';
  method: PruneMethod | 'neurons';
  mode?: PruneMode;
  nm?: NM;
  seed?: number;
  magnitudeScope?: MagnitudeScope;
  referenceCompatible?: boolean;
  targetSparsity?: number;
  /** By role: `calibration`, or `translation` + `code` (prog). */
  calibration: Partial<Record<'calibration' | 'translation' | 'code', CalibrationRecord>>;
  /** Over every masked linear: zeroed / total. */
  achievedSparsity: number;
  linears: LinearSparsity[];
  /** Neuron variants: the deactivated neurons. */
  neurons?: NeuronMask;
  createdAt: string;
}

/**
 * A Variant (weight name → keep mask, see model.ts) that also carries how it was made. It is a
 * Map, so it goes straight into `model.variants` and into generate/capture.
 */
export class PrunedVariant extends Map<string, Uint8Array> {
  constructor(
    readonly info: VariantInfo,
    masks: Iterable<readonly [string, Uint8Array]>,
  ) {
    super(masks);
  }
}
