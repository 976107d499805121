/**
 * The result of "Analyze Activations" on one rendered prompt: produced by the engine
 * (src/engine/analyze.ts), shown by the Activations panel, the hovers and the CLI's HTML report.
 * Packed typed arrays, so a 512-token × 32-layer × top-k result crosses the worker and the
 * webview boundary cheaply.
 */
import type { GeneratedText } from './generatedText';

export interface ActivationAnalysis {
  model: { dir: string; name: string; nLayers: number; dMlp: number };
  /** The rendered prompt text that was tokenized. */
  text: string;
  tokens: AnalyzedToken[];
  nLayers: number;
  /** How many top neurons are kept per (token, layer). */
  topK: number;
  /**
   * Top-k neurons by activation (`blocks.{l}.mlp.hook_post`) per token and layer, sorted by
   * value descending. Index layout: ((pos * nLayers) + layer) * topK + rank.
   */
  topIndex: Int32Array; // [pos, layer, k]
  topValue: Float32Array; // [pos, layer, k]
  /**
   * Greedy continuation of the prompt (empty when maxNewTokens is 0); `stoppedBy` as GenerateResult
   * (absent in results saved before it existed). `pending`: still being generated — the editor shows
   * the rest of the analysis first and the continuation when it arrives (`activations/continuation`);
   * `stopped`: the job was cancelled or failed before it was complete.
   */
  generated: GeneratedText;
  /** Optional per-neuron language profile, present when LAPE statistics were loaded. */
  languageProfiles?: NeuronLanguageProfiles;
}

export interface AnalyzedToken {
  id: number;
  /** The token's text as the tokenizer decodes it alone (may be a byte fragment). */
  text: string;
  /** Character offsets of the token in `ActivationAnalysis.text`, [start, end); null if unknown (special tokens). */
  start: number | null;
  end: number | null;
  /** The token's bytes when its text alone is not readable (a piece of a character, shown as "¿ 1/2 ‹C2›"). */
  bytes?: number[];
}

/** Activation probability per language of selected neurons (methods.md §2). */
export interface NeuronLanguageProfiles {
  languages: string[];
  /** key `L{layer}.N{index}` → p per language (same order as `languages`) and its LAPE entropy. */
  neurons: Record<string, { p: number[]; lape: number; specificTo: string[] }>;
}

/** Neuron reference as written in prompt files and shown in cards: `L3.N127`. */
export function neuronKey(layer: number, index: number): string {
  return `L${layer}.N${index}`;
}

export function parseNeuronKey(s: string): { layer: number; index: number } | null {
  const m = /^L(\d+)\.N(\d+)$/.exec(s);
  return m ? { layer: Number(m[1]), index: Number(m[2]) } : null;
}
