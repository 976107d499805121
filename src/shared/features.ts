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
 * overlap(A, B) = 100·|top-k%(A) ∩ bottom-k%(B)| / |top-k%(A)|, for every layer, kind and pair of
 * settings. Settings are ordered monolingual first, then translation (the engine guarantees it;
 * the renderer re-checks and finds the quadrant split from `kind`).
 */
export interface OverlapMaps {
  settings: CalibrationSetting[];
  layers: number[];
  kinds: LinearKind[];
  /** The k of top-k% / bottom-k% (default 0.3). */
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

/** Per layer, the top dimensions of the residual stream by mean per-sequence L2 norm. */
export interface LargeMagnitudeFeatures {
  nLayers: number;
  dModel: number;
  /** How many dimensions are kept per layer (20 by methods.md §4). */
  top: number;
  /** Dimension indices, layout layer * top + rank, strongest first. */
  dims: Int32Array;
  /** Their norms, same layout. */
  norms: Float32Array;
}

export interface FeatureAnalysis {
  model: { name: string };
  overlap?: OverlapMaps;
  scatter?: FeatureScatterData;
  largeMagnitude?: LargeMagnitudeFeatures;
}
