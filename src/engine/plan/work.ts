/**
 * A job's work as the model would run it, gathered by recording its runs (model/record.ts):
 * forward passes grouped by shape and graph plan, sequences and tokens (real and padded), and
 * the model calls (a call = one group of batches; block by block, each call widens every block's
 * weights once).
 */
import type { LoadedModel } from '../model/model';
import { planKey, type GraphPlan } from '../model/plan';
import type { GraphRun, RecordedCall, RunRecorder } from '../model/record';

/** Passes of one shape under one plan. */
export interface PassClassShape {
  batch: number;
  length: number;
  past: number;
  count: number;
}

/** Passes of one graph plan (with or without pruning masks): what one calibration covers. */
export interface PassClass {
  key: string;
  plan: GraphPlan;
  masked: boolean;
  topK?: number;
  shapes: Map<string, PassClassShape>;
  calls: number;
  /** Greedy decoding steps: one token on a KV cache, last-position logits. */
  decodeSteps: number;
}

export class WorkRecorder implements RunRecorder {
  readonly goOnToken: number;
  readonly classes = new Map<string, PassClass>();
  /** Sequences of prompt/batch passes (decoding steps add tokens, not sequences). */
  sequences = 0;
  realTokens = 0;
  paddedTokens = 0;
  passes = 0;
  calls = 0;
  /** Padded tokens of the largest call (a group of batches passes each block together). */
  maxCallTokens = 0;
  /** Marks every recorded pass as masked (a variant's runs recorded on its base model). */
  masked = false;
  /** Graphs that are not forward plans (runGraph), run once per shape while recording. */
  readonly graphRuns = new Map<string, GraphRun>();

  constructor(readonly model: LoadedModel) {
    this.goOnToken = model.goOnToken();
  }

  record(call: RecordedCall): void {
    const masked = call.masked || this.masked;
    const key = `${masked ? 'masked' : 'dense'}:${planKey({ ...call.plan, maskedWeights: [] })}`;
    let c = this.classes.get(key);
    if (!c) this.classes.set(key, (c = { key, plan: call.plan, masked, topK: call.topK, shapes: new Map(), calls: 0, decodeSteps: 0 }));
    c.calls++;
    this.calls++;
    this.maxCallTokens = Math.max(this.maxCallTokens, call.batches.reduce((n, b) => n + b.lengths.length * Math.max(...b.lengths), 0));
    for (const b of call.batches) {
      const T = Math.max(...b.lengths);
      const shape = `${b.lengths.length}x${T}+${b.past}`;
      const s = c.shapes.get(shape);
      if (s) s.count++;
      else c.shapes.set(shape, { batch: b.lengths.length, length: T, past: b.past, count: 1 });
      this.passes++;
      this.realTokens += b.lengths.reduce((x, y) => x + y, 0);
      this.paddedTokens += b.lengths.length * T;
      const decode = call.plan.kvCache && call.plan.lastPositionOnly && T === 1 && b.past > 0;
      if (decode) c.decodeSteps += b.lengths.length;
      else this.sequences += b.lengths.length;
    }
  }

  /** runGraph's seconds: every run the job asks for at its shape's measured time, and what the recording itself ran. */
  graphSeconds(): { estimated: number; measured: number } {
    let estimated = 0;
    let measured = 0;
    for (const g of this.graphRuns.values()) {
      estimated += g.seconds * g.count;
      measured += g.seconds;
    }
    return { estimated, measured };
  }

  /** Records `job`'s runs on the model (nothing is computed). */
  async run<T>(job: () => Promise<T>): Promise<T> {
    return this.model.recording(this, job);
  }
}
