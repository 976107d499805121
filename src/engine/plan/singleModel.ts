/**
 * The plan of a job on one loaded model, as the CLI's --plan and the editor's job/plan both ask
 * for it: the job's work recorded on the model (work.ts), then costed and calibrated
 * (estimate.ts), its decoding steps scaled by a slice run for real when one is given (decode.ts).
 */
import type { LoadedModel } from '../model/model';
import type { DecodeSample } from './decode';
import { isDecodeShape, planJob, type JobPlan } from './estimate';
import { WorkRecorder } from './work';

/**
 * The job's own work function, run on the model with its runs recorded; or a function that
 * records into the recorder itself and returns model-free work (seconds by name, e.g. pruning masks).
 */
export type ModelJob = (() => Promise<unknown>) | { record: (work: WorkRecorder) => Promise<Record<string, number>> };

export interface ModelJobPlanOptions {
  /** Seconds the model took to load (0 when it was loaded already). */
  loadSeconds?: number;
  /** Seconds from process start to the command. */
  startSeconds?: number;
  /** A wall time per shard: the plan adds the shard count that meets it. */
  target?: number;
  /** A slice of the job run for real to learn how long generation runs. */
  decode?: () => Promise<DecodeSample | undefined>;
  signal?: AbortSignal;
}

export async function planSingleModel(command: string, model: LoadedModel, job: ModelJob, o: ModelJobPlanOptions = {}): Promise<JobPlan> {
  const work = new WorkRecorder(model);
  const t0 = performance.now();
  const extra = typeof job === 'function' ? (await work.run(job), {}) : await job.record(work);
  const enumerateSeconds = (performance.now() - t0) / 1000;
  const sample = o.decode ? await o.decode() : undefined;
  const scale = sample?.scale ?? 1;
  return planJob({
    command,
    parts: [{ model, work, loadSeconds: o.loadSeconds ?? 0 }],
    enumerateSeconds,
    startSeconds: o.startSeconds,
    extra,
    target: o.target,
    signal: o.signal,
    ...(sample ? { decode: sample.facts, decodeScale: (c, s) => (isDecodeShape(c, s) ? scale : 1) } : {}),
  });
}
