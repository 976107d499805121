/**
 * Per calibration set, in one pass of a dense model (methods.md §4): Σx² over valid positions of
 * every linear layer's input hook (`sumsq`; q/k/v share ln1, gate/up share ln2, o reads attn.hook_z,
 * down reads mlp.hook_post — taken from the adapter's WeightSpec.linear, so other architectures
 * work unchanged), and the per-sequence L2 norms of every hidden state (`seqSumSq`, see
 * hiddenStateHooks).
 */
import type { JobOptions } from '../api';
import { hookWidth } from '../hooks';
import type { LoadedModel } from '../model/model';
import { statOutput, type StatRequest } from '../model/plan';
import { DEFAULT_BATCH_TOKENS, lengthGroupedBatches } from '../stats/batches';
import { addInto, runStatBatches } from '../stats/runStats';
import type { CalibrationSet } from '../calibration/types';

export interface LinearInput {
  layer: number;
  kind: string;
  hook: string;
  width: number;
}

/** Linear layers inside the decoder blocks, in weight order (q, k, v, o, gate, up, down for Llama). */
export function linearInputs(model: LoadedModel): LinearInput[] {
  return model.specs
    .filter((s) => s.linear)
    .map((s) => ({ layer: s.linear!.layer, kind: s.linear!.kind, hook: s.linear!.inputHook, width: hookWidth(s.linear!.inputHook, model.cfg) }));
}

/**
 * The hidden states of Hugging Face's `output_hidden_states`, as hook names: index 0 = the
 * embeddings entering block 0 (token embedding plus positions where the architecture adds them),
 * index i = the output of block i−1, and the last (index L) after the final norm — HF replaces the
 * last block's raw output by its normalised form, and the reference scripts read that tuple.
 */
export function hiddenStateHooks(nLayers: number): string[] {
  return ['blocks.0.hook_resid_pre', ...Array.from({ length: nLayers - 1 }, (_, i) => `blocks.${i}.hook_resid_post`), 'ln_final.hook_normalized'];
}

/** Linear inputs with their kinds merged where they read the same hook (q/k/v → "q/k/v"), in weight order. */
export function distinctLinearInputs(model: LoadedModel): LinearInput[] {
  return mergeSharedInputs(linearInputs(model));
}

/** `inputs` with kinds merged where they read the same hook (what distinctLinearInputs returns). */
export function mergeSharedInputs(inputs: LinearInput[]): LinearInput[] {
  const byHook = new Map<string, LinearInput>();
  for (const l of inputs) {
    const seen = byHook.get(l.hook);
    if (seen) seen.kind = `${seen.kind}/${l.kind}`;
    else byHook.set(l.hook, { ...l });
  }
  return [...byHook.values()];
}

export interface SettingStats {
  /** Setting id (the NAME of NAME=SOURCE). */
  id: string;
  set: CalibrationSet;
  /** Valid positions counted (n_C). */
  positions: number;
  /** Σ x_j² per input hook. */
  sumsq: Map<string, Float64Array>;
  /** Σ over sequences of ‖h_i[:, j]‖₂ per hidden state i (hiddenStateHooks), [(nLayers + 1) · dModel]. */
  residNormSum: Float64Array;
  sequences: number;
}

export async function collectSettingStats(model: LoadedModel, id: string, set: CalibrationSet, o: JobOptions & { batchTokens?: number } = {}): Promise<SettingStats> {
  const { nLayers, dModel } = model.cfg;
  const hooks = [...new Set(linearInputs(model).map((l) => l.hook))];
  const hidden = hiddenStateHooks(nLayers);
  const stats: StatRequest[] = [...hooks.map((hook) => ({ hook, kind: 'sumsq' as const })), ...hidden.map((hook) => ({ hook, kind: 'seqSumSq' as const }))];
  const sumsq = new Map(hooks.map((h) => [h, new Float64Array(hookWidth(h, model.cfg))]));
  const residNormSum = new Float64Array(hidden.length * dModel);
  let positions = 0;
  let sequences = 0;
  async function* seqs(): AsyncGenerator<number[]> {
    yield* set.sequences;
  }
  for (const s of set.sequences) model.checkIds(s, set.source);
  await runStatBatches(
    model,
    lengthGroupedBatches(seqs(), o.batchTokens ?? DEFAULT_BATCH_TOKENS),
    stats,
    (out, batch) => {
      for (const h of hooks) addInto(sumsq.get(h)!, out[statOutput({ hook: h, kind: 'sumsq' })]!.data);
      for (const [i, hook] of hidden.entries()) {
        const t = out[statOutput({ hook, kind: 'seqSumSq' })]!.data; // [B, dModel]
        for (let b = 0; b < batch.length; b++) for (let j = 0; j < dModel; j++) residNormSum[i * dModel + j]! += Math.sqrt(t[b * dModel + j]!);
      }
      for (const s of batch) positions += s.length;
      sequences += batch.length;
      o.onProgress?.({ fraction: sequences / set.sequences.length, message: `${id}: ${sequences}/${set.sequences.length} sequences` });
    },
    o,
  );
  return { id, set, positions, sumsq, residNormSum, sequences };
}

/** M_C[i, j] = mean over sequences of ‖h_i[:, j]‖₂, one Float32Array [dModel] per hidden state i. */
export function hiddenMagnitudes(stats: SettingStats, dModel: number): Float32Array[] {
  const n = stats.residNormSum.length / dModel;
  return Array.from({ length: n }, (_, i) => Float32Array.from(stats.residNormSum.subarray(i * dModel, (i + 1) * dModel), (v) => v / stats.sequences));
}

/** I_C[j] = sqrt(s_C[j] / n_C): the RMS of input feature j over the calibration positions. */
export function importance(stats: SettingStats, hook: string): Float32Array {
  const s = stats.sumsq.get(hook)!;
  return Float32Array.from(s, (v) => Math.sqrt(v / stats.positions));
}
