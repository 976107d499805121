/**
 * The latent-language lens on one prompt (methods.md §8): for every layer ℓ = 0 … L (0 = the
 * embeddings, ℓ = the residual stream after block ℓ−1) and every position, the lens distribution's
 * top tokens, entropy, probability mass per language and the probability of named targets.
 * Produced by the engine (src/engine/lens/run.ts), shown by the Latent language panel, the CLI's
 * `lens` command and the analyze report. Packed typed arrays, layer-major.
 */
import type { AnalyzedToken } from './analysis';

export type LensKind = 'logit' | 'linear';
export const LENS_KINDS: readonly LensKind[] = ['logit', 'linear'];

/** The language column that holds tokens no language claims (methods.md §8). */
export const UNKNOWN_LANGUAGE = 'unknown';

export interface LensTarget {
  /** The string as the user named it. */
  text: string;
  /** Vocabulary ids counted for it: every token whose bytes start the string, with or without a leading space. */
  ids: number[];
  /** Lens probability Σ p(id) per (layer, position): [layers, pos]. */
  p: Float32Array;
}

export interface LensView {
  kind: LensKind;
  /** Top tokens per (layer, position), most probable first: index ((layer · T) + pos) · k + rank. */
  topIds: Int32Array; // [layers, pos, k]
  topLogp: Float32Array; // [layers, pos, k]
  /** Entropy of the lens distribution in nats: [layers, pos]. */
  entropy: Float32Array;
  /** Probability mass per language (`languages`, then unknown): [layers, pos, languages + 1]; empty without a profile. */
  mass: Float32Array;
  targets: LensTarget[];
  /** Linear lens only: where its maps came from (a `lens fit` folder). */
  source?: string;
}

export interface LatentLanguageResult {
  model: { dir: string; name: string; nLayers: number };
  /** The text that was tokenized. */
  text: string;
  tokens: AnalyzedToken[];
  /** nLayers + 1: the embeddings and the residual stream after each block. */
  layers: number;
  k: number;
  /** Languages of the token-language profile, in mass column order; the last mass column is unknown. */
  languages: string[];
  /** Where the profile came from (corpus spec or folder), empty without one. */
  profile: string;
  /**
   * Every token id that appears in a top list: its text (decoded alone) and its language, the index
   * into `languages` of its most probable language when that has p ≥ 0.5, else -1 (unknown or mixed).
   */
  vocab: Record<string, { text: string; lang: number }>;
  /** The logit lens, then the linear lens when one was given. */
  lenses: LensView[];
}

/** Index of (layer, pos) cells and their top-k entries. */
export const lensCell = (r: Pick<LatentLanguageResult, 'tokens'>, layer: number, pos: number): number => layer * r.tokens.length + pos;

/** A mean over items per layer with its percentile bootstrap interval. */
export interface LensInterval {
  mean: number[];
  lo: number[];
  hi: number[];
}

/** The lens over a dataset (methods.md §8, Wendler et al.): per layer at each item's last position. */
export interface LensDatasetSummary {
  model: string;
  lens: LensKind;
  items: number;
  /** Items left out: the target answer shares a counted token with the English one. */
  skipped: { line: number; reason: string }[];
  layers: number;
  /** Target languages of the items (usually one). */
  targets: string[];
  /** Mean probability of each language's answer, per layer. */
  answers: Record<string, LensInterval>;
  /** Profile languages (mass keys, then unknown); empty without a profile. */
  languages: string[];
  mass: Record<string, LensInterval>;
  /**
   * The first layer from which the target answer's mean probability stays above English's up to the
   * last layer; null when it is not above English at the last layer (or the target is English).
   */
  overtakes: number | null;
  /** Layers where English's answer is above the target's with non-overlapping intervals. */
  englishAbove: number[];
  bootstrap: { resamples: number; seed: number; level: number };
}
