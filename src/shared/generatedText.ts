/**
 * A generated continuation as every side sees it (engine → host → webview → saved results): its
 * ids, its text and why generation stopped. Declared once here so the engine's result, the
 * analysis, the Compare side and the protocol's check cannot drift apart.
 */

/** `eos`: the model emitted a stop token; `max-new-tokens`: the budget ran out; `context`: max_position_embeddings reached. */
export const STOP_REASONS = ['eos', 'max-new-tokens', 'context'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface GeneratedText {
  ids: number[];
  text: string;
  /** Absent in results saved before it existed. */
  stoppedBy?: StopReason;
  /** Still being generated (see ActivationAnalysis.generated). */
  pending?: boolean;
  /** Stopped before it finished (the job was cancelled or failed while generating it). */
  stopped?: boolean;
}

export function isStopReason(x: unknown): x is StopReason {
  return (STOP_REASONS as readonly unknown[]).includes(x);
}
