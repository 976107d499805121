/**
 * Peak memory of a job by weights mode (model/weights.ts), estimated: the weights a mode holds,
 * the widening buffers of block-by-block modes (one arena the size of the largest segment: a block,
 * or the embedding or the head, in F32: model/weights.ts WidenBuffers),
 * the residual streams a group of batches holds block by block (stats/runStats.ts, at most 256 MiB),
 * the largest pass's activations and outputs, and the process without weights (Node,
 * onnxruntime, the tokenizer). Activations of a pass of N = B·T rows and S = past + T keys:
 * 4 bytes × (N·(6·d_model + 4·d_mlp) for the block's intermediates, 2·B·heads·T·S for attention
 * scores and probabilities, the captured outputs — logits and KV cache counted twice, onnxruntime's
 * copy and the one handed to JS). With constant weights (--prepack) each whole-model plan the job
 * runs without masks holds a packed copy of the weights too (onnxruntime's prepacked B). Block by
 * block, a job of more than one model call keeps widened weights up to its mode's budget.
 */
import type { LoadedModel } from '../model/model';
import { hookWidth } from '../hooks';
import { GROUP_RESIDUAL_BYTES } from '../stats/runStats';
import { chooseWeightsMode, largestSegmentValues, type WeightsMode } from '../model/weights';
import { planKey } from '../model/plan';
import type { WorkRecorder } from './work';

/** Node + onnxruntime + a tokenizer before any weight or run (measured on the default model: RSS after loading it, minus its weights). */
export const PROCESS_BASE_BYTES = 160 * 1024 ** 2;

export function passActivationBytes(model: LoadedModel, plan: { capture: string[]; kvCache: boolean; lastPositionOnly: boolean }, batch: number, length: number, past: number): number {
  const { cfg } = model;
  const N = batch * length;
  const S = past + length;
  let values = N * (6 * cfg.dModel + 4 * cfg.dMlp) + 2 * batch * cfg.nHeads * length * S;
  for (const h of plan.capture) values += (h === 'logits' ? 2 : 1) * (h === 'logits' && plan.lastPositionOnly ? batch : N) * hookWidth(h, cfg);
  if (plan.kvCache) values += 2 * 2 * cfg.nLayers * batch * cfg.nKvHeads * S * cfg.dHead;
  return 4 * values;
}

export function peakMemoryByMode(model: LoadedModel, work: WorkRecorder): Record<WeightsMode, number> {
  const { cfg, info } = model;
  let activations = 0;
  for (const c of work.classes.values()) for (const s of c.shapes.values()) activations = Math.max(activations, passActivationBytes(model, c.plan, s.batch, s.length, s.past));
  const block = Math.max(0, ...model.specs.filter((s) => s.linear).map((s) => s.linear!.layer)) + 1;
  const blockBytes = (4 * model.specs.filter((s) => s.linear).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)) / Math.max(1, block);
  // The budget as the model chooses it at load (a block and a vocabulary matrix beside it); the
  // buffers themselves are one arena the size of the largest segment.
  const widen = blockBytes + 4 * cfg.vocabSize * cfg.dModel;
  const lent = 4 * largestSegmentValues(model.specs);
  const residuals = Math.min(GROUP_RESIDUAL_BYTES, 4 * cfg.dModel * work.maxCallTokens);
  const base = PROCESS_BASE_BYTES + activations;
  const packedPlans = model.constantWeights ? new Set([...work.classes.values()].filter((c) => c.plan.maskedWeights.length === 0).map((c) => planKey(c.plan))).size : 0;
  // Block by block, a job that passes the blocks more than once keeps widened weights within the
  // budget the mode gets from the memory available now (model/weights.ts).
  const kept = (mode: WeightsMode): number => (work.calls > 1 ? chooseWeightsMode(4 * info.parameterCount, info.runtime.storedWeightBytes, widen, mode).retainBytes : 0);
  return {
    resident: base + 4 * info.parameterCount * (1 + packedPlans),
    streaming: base + info.runtime.storedWeightBytes + lent + residuals + kept('streaming'),
    mapped: base + lent + residuals + kept('mapped'),
  };
}
