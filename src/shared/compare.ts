/**
 * Dense vs pruned (or neuron-deactivated) run of the same prompt, for the Compare panel and the
 * report: two outputs side by side and how much each layer's activations moved.
 */
export interface CompareSide {
  /** e.g. "dense", "wanda 50%", "−fr neurons". */
  label: string;
  text: string;
  /** Language detected on `text`; `code` is "und" when the text is too short to tell (methods.md §6). */
  language: { code: string; name: string; confidence: number };
  /** Next-token distribution at the first generated position, highest first. */
  topNext: { token: string; id: number; p: number }[];
  /** The generated token ids and why generation stopped (absent in results saved before they existed). */
  ids?: number[];
  stoppedBy?: StopReason;
}

import type { TaskDeltas } from './results/deltas';
import type { StopReason } from './generatedText';

export interface CompareResult {
  prompt: string;
  a: CompareSide;
  b: CompareSide;
  /**
   * Per layer, relative change of `blocks.{i}.mlp.hook_post` from a to b over the prompt:
   * ‖b − a‖ / ‖a‖ (0 = identical). Length = number of layers.
   */
  layerChange: Float32Array;
  /**
   * Per-task metric deltas of side b against dense from the prompt's last Evaluate (its
   * results.csv), when b is one of the evaluated models; absent otherwise.
   */
  tasks?: TaskDeltas;
}
