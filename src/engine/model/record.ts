/**
 * Recording instead of running (job plans, plan/): while a recorder is set on a LoadedModel, run
 * and runMany compute nothing; they report each call — a group of batches with its graph plan —
 * and return outputs of the right names and shapes filled with zeros, so a job's own code walks
 * its whole input (reads, tokenizes, batches, decodes) exactly as it would run it. Zero-filled
 * arrays cost no memory until written (the OS maps them to the zero page); generation sees logits
 * that never pick a stop token, so it records every step it may take.
 */
import type { TensorData } from '../api';
import type { OrtTensor } from '../onnx/ort';
import type { ArchConfig } from '../arch/types';
import { hookWidth } from '../hooks';
import { presentOutput, statOutput, topKIndexOutput, type GraphPlan } from './plan';

/** One batch of a recorded call: its sequences' lengths, the longest (padded) and the KV cache's length. */
export interface RecordedBatch {
  lengths: number[];
  past: number;
}

export interface RecordedCall {
  plan: GraphPlan;
  batches: RecordedBatch[];
  /** Whether the run carries pruning masks (a variant). */
  masked: boolean;
  /** k of `topK` statistics. */
  topK?: number;
}

/** A graph that is not a forward plan (runGraph: the lens head, the linear lens's least squares), run once per feed shape while recording. */
export interface GraphRun {
  outputs: Record<string, OrtTensor>;
  /** Seconds the one real run took. */
  seconds: number;
  /** Runs of this graph at this shape the job asked for. */
  count: number;
}

export interface RunRecorder {
  record(call: RecordedCall): void;
  /**
   * runGraph while recording: each graph runs for real once per feed shape (timed) and its outputs
   * stand for the later runs of that shape; keyed by graph and feed shapes.
   */
  readonly graphRuns?: Map<string, GraphRun>;
  /** A token id the fake logits favour: one that is not a stop token, so generation runs its whole budget. */
  readonly goOnToken: number;
}

/** Zero outputs of the shapes a run of `plan` over `seqs` returns (LoadedModel.run). */
export function fakeOutputs(cfg: ArchConfig, plan: GraphPlan, seqs: number[][], past: number, topK: number | undefined, goOnToken: number): Record<string, TensorData> {
  const B = seqs.length;
  const T = Math.max(...seqs.map((s) => s.length));
  const out: Record<string, TensorData> = {};
  const put = (name: string, dims: number[]): Float32Array => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    out[name] = { dims, data };
    return data;
  };
  for (const h of plan.capture) {
    const rows = h === 'logits' && plan.lastPositionOnly ? B : B * T;
    const data = put(h, [rows, hookWidth(h, cfg)]);
    if (h === 'logits') for (let r = 0; r < rows; r++) data[r * cfg.vocabSize + goOnToken] = 1;
  }
  for (const s of plan.stats) {
    const width = hookWidth(s.hook, cfg);
    if (s.kind === 'topK') {
      const k = Math.min(topK ?? 1, B * T);
      put(statOutput(s), [k, width]);
      put(topKIndexOutput(s.hook), [k, width]);
    } else put(statOutput(s), [s.kind === 'seqSumSq' ? B : 1, width]);
  }
  if (plan.kvCache) for (let l = 0; l < cfg.nLayers; l++) for (const kv of ['k', 'v'] as const) put(presentOutput(l, kv), [B, cfg.nKvHeads, past + T, cfg.dHead]);
  return out;
}
