/**
 * Greedy generation stops at a stop token, which a recording cannot know (its logits never pick
 * one: it records every step a generation may take). A slice of the job run for real tells how
 * many of those steps generation really takes: the slice is recorded, then run, and the steps
 * compared — the scale job plans apply to every recorded decoding step.
 */
import type { LoadedModel } from '../model/model';
import { isDecodeShape } from './estimate';
import { WorkRecorder } from './work';

export interface DecodeSample {
  /** Real decoding steps over recorded ones (1 = every generation runs its whole budget). */
  scale: number;
  /** What the plan reports as `decode`. */
  facts: { sampledItems: number; generatedTokens: number; budgetTokens: number; stepsScale: number; note: string };
}

/** Records `slice`, runs it for real on `model`, and compares the decoding steps; undefined when the slice decodes nothing. */
export async function sampleDecodeSteps(model: LoadedModel, what: string, slice: () => Promise<unknown>): Promise<DecodeSample | undefined> {
  const work = new WorkRecorder(model);
  await work.run(slice);
  let steps = 0;
  for (const c of work.classes.values()) for (const s of c.shapes.values()) if (isDecodeShape(c, s)) steps += s.count;
  if (steps === 0) return undefined;
  // Every generation's prompt pass yields its first token; each step one more.
  const items = work.passes - steps;
  const before = model.passCount;
  await slice();
  const generated = model.passCount - before;
  const scale = Math.max(0, generated - items) / steps;
  const stepsScale = Math.round(scale * 1000) / 1000;
  return {
    scale,
    facts: { sampledItems: items, generatedTokens: generated, budgetTokens: work.passes, stepsScale, note: `decoding steps scaled by ${stepsScale}: ${what} generated ${generated} of ${work.passes} tokens they could` },
  };
}
