/**
 * Translation-feature analyses (methods.md §4): quadrant overlap maps, the feature scatter and
 * large-magnitude features. Produced by the engine, shown by the Features panel and the report.
 */

/** Linear layer kinds whose input features are scored, e.g. "q", "gate", "down". */
export type LinearKind = string;

export interface CalibrationSetting {
  /** Stable id, e.g. "fr" or "fr-en". */
  id: string;
  /** Shown in the matrix, e.g. "French" or "French→English". */
  label: string;
  kind: 'mono' | 'mt';
}

/**
 * What an overlap map compares: `hidden_states` = per-dimension L2 norms of the hidden states
 * (the paper's maps; `layers` are hidden-state indices 0…L, 0 = embeddings, L = after the final
 * norm; `kinds` is ["hidden"]); `linear_inputs` = RMS importances of the linear layers' inputs
 * (`layers` are blocks; kinds sharing an input are listed once, e.g. "q/k/v", "gate/up").
 */
export type OverlapSource = 'hidden_states' | 'linear_inputs';

/**
 * overlap(A, B) = 100·|top(A) ∩ bottom(B)| / n with n = round(width·k), for every layer, kind and
 * pair of settings. Settings are ordered monolingual first, then translation (the engine
 * guarantees it; the renderer re-checks and finds the quadrant split from `kind`).
 */
export interface OverlapMaps {
  source: OverlapSource;
  settings: CalibrationSetting[];
  layers: number[];
  kinds: LinearKind[];
  /** The share of features in top/bottom, a fraction (default 0.3 = 30 %). */
  k: number;
  /** Percent, layout ((layerIdx * kinds.length + kindIdx) * S + a) * S + b with S = settings.length. */
  values: Float32Array;
}

/** RMS importances I_C[j] of every input feature of one linear layer (dense model). */
export interface FeatureImportanceLayer {
  layer: number;
  kind: LinearKind;
  /** Under translation calibration. */
  mt: Float32Array;
  /** Under monolingual calibration (same length as `mt`). */
  mono: Float32Array;
}

export interface FeatureScatterData {
  /** Names the two calibration sets, e.g. "fr→en" and "fr". */
  mtLabel: string;
  monoLabel: string;
  layers: FeatureImportanceLayer[];
}

/** Per hidden state, the top dimensions by mean per-sequence L2 norm. */
export interface LargeMagnitudeFeatures {
  /** Number of hidden states (blocks + 1): index 0 = embeddings, last = after the final norm. */
  nLayers: number;
  dModel: number;
  /** How many dimensions are kept per layer (20 by methods.md §4). */
  top: number;
  /** Dimension indices, layout hiddenState * top + rank, strongest first. */
  dims: Int32Array;
  /** Their norms, same layout. */
  norms: Float32Array;
}

export interface FeatureAnalysis {
  model: { name: string };
  /** The paper's map (hidden states), or whichever source the run asked for first. */
  overlap?: OverlapMaps;
  /** The second source (linear-layer inputs when `overlap` is over hidden states), labelled by its `source`. */
  overlapSecond?: OverlapMaps;
  scatter?: FeatureScatterData;
  largeMagnitude?: LargeMagnitudeFeatures;
}
