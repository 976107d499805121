/**
 * `eval|sweep --plan`: the evaluation's work recorded model by model (plan/work.ts) — every task's
 * units on the model as its run would give them (a shard's only, with --shard), each pruned
 * variant's calibration passes and masks (plan/variants.ts), LRP2's vector and search passes —
 * then costed and calibrated on each base model (plan/estimate.ts). Greedy translation stops at a
 * stop token, which a recording cannot know: it records every step a translation may take, and
 * the plan scales the decoding steps by what a few real translations of the first model take
 * (the first item of each direction, up to four).
 */
import type { JobOptions } from '../api';
import type { LoadedModel } from '../model/model';
import { isDecodeShape, planJob, type JobPlan, type ModelWork } from '../plan/estimate';
import { recordVariantBuild } from '../plan/variants';
import { WorkRecorder } from '../plan/work';
import { sampleDecodeSteps, type DecodeSample } from '../plan/decode';
import type { ShardSpec } from '../shard/shard';
import { shardUnits } from './shard';
import type { ModelSpec, SubjectLoader } from './subjects';
import type { PreparedTask } from './tasks';
import type { EvalSubject } from './types';

/** Translations run for real to learn how long outputs are. */
const DECODE_SAMPLES = 4;

export interface EvalPlanInputs {
  command: string;
  specs: ModelSpec[];
  tasks: PreparedTask[];
  loader: SubjectLoader;
  shard?: ShardSpec;
  target?: number;
  /** Seconds from process start to the command. */
  startSeconds?: number;
}

/** The first item of each translation direction, up to DECODE_SAMPLES, translated on `subject`; undefined without a translate task. */
function translationSlice(subject: EvalSubject, tasks: PreparedTask[], o: JobOptions): (() => Promise<void>) | undefined {
  const translate = tasks.filter((t) => t.kind === 'translate');
  if (translate.length === 0) return undefined;
  return async () => {
    // Counted afresh on every call: sampleDecodeSteps records the slice, then runs it.
    let items = 0;
    for (const t of translate) {
      await t.scores(subject, { signal: o.signal, units: () => (u) => u === 0 && items++ < DECODE_SAMPLES });
      if (items >= DECODE_SAMPLES) break;
    }
  };
}

export async function planEvaluation(x: EvalPlanInputs, o: JobOptions = {}): Promise<JobPlan> {
  return planSubjects({
    command: x.command,
    specs: x.specs,
    loader: x.loader,
    target: x.target,
    startSeconds: x.startSeconds,
    work: async (s, spec) => {
      for (const t of x.tasks) await t.scores(s, { signal: o.signal, units: x.shard ? shardUnits(x.shard, spec.spec, t.kind) : undefined });
    },
    decode: async (first) => {
      const slice = translationSlice(first, x.tasks, o);
      return slice && sampleDecodeSteps(first.model, `the sampled translations of ${first.name}`, slice);
    },
  }, o);
}

export interface SubjectPlanInputs {
  command: string;
  specs: ModelSpec[];
  loader: SubjectLoader;
  /** The job's own work on one model entry (its runs recorded). A pruned entry's subject carries an empty variant: its masks are estimated, not built. */
  work: (subject: EvalSubject, spec: ModelSpec) => Promise<unknown>;
  /** How long greedy generation really runs, learnt on the first entry's base model (decode.ts). */
  decode?: (first: EvalSubject) => Promise<DecodeSample | undefined>;
  target?: number;
  /** Seconds from process start to the command. */
  startSeconds?: number;
}

/**
 * The plan of a job over model entries (eval, sweep, bias, compare-instructions): each base
 * checkpoint loaded once, each entry's work recorded on it — a pruned variant's calibration passes
 * and masks estimated (plan/variants.ts) and its passes marked masked, LRP2's vector passes
 * recorded — then costed and calibrated on each base model.
 */
export async function planSubjects(x: SubjectPlanInputs, o: JobOptions = {}): Promise<JobPlan> {
  const parts = new Map<LoadedModel, ModelWork>();
  const extra: Record<string, number> = {};
  let recorded = 0;
  for (const spec of x.specs) {
    const t0 = performance.now();
    const model = x.loader.base(spec.dir);
    let part = parts.get(model);
    if (!part) parts.set(model, (part = { model, work: new WorkRecorder(model), loadSeconds: (performance.now() - t0) / 1000 }));
    const t1 = performance.now();
    let subject: EvalSubject = { name: spec.spec, model };
    const v = spec.variant;
    if (v?.kind === 'lrp2') subject = await part.work.run(() => x.loader.load(spec, o));
    else if (v) {
      extra[`masks ${spec.spec}`] = await recordVariantBuild(model, part.work, x.loader.pruneSettings(v), o);
      subject = { name: spec.spec, model, variant: new Map() };
    }
    part.work.masked = v !== undefined && v.kind !== 'lrp2';
    const s = subject;
    await part.work.run(() => x.work(s, spec));
    part.work.masked = false;
    recorded += (performance.now() - t1) / 1000;
  }
  const first = x.specs[0]!;
  const sample = x.decode ? await x.decode({ name: first.spec, model: x.loader.base(first.dir) }) : undefined;
  const ratio = sample?.scale ?? 1;
  return planJob({
    command: x.command,
    parts: [...parts.values()],
    enumerateSeconds: recorded,
    extra,
    decodeScale: (c, s) => (isDecodeShape(c, s) ? ratio : 1),
    ...(sample ? { decode: sample.facts } : {}),
    target: x.target,
    startSeconds: x.startSeconds,
    signal: o.signal,
  });
}
