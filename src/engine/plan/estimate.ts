/**
 * `--plan`: what a job would do, without doing it. Its work is recorded (work.ts: the job's own
 * code runs on a model that computes nothing), its passes are costed in FLOPs (flops.ts) and
 * memory (memory.ts), and the time comes from a short measured calibration (calibrate.ts) on this
 * machine: load + reading and tokenizing + each plan's one-time setup + Σ over passes of
 * (a + b·FLOPs) + g per call block by block + what the job computes outside the model (pruning
 * masks). `target` gives the shards (`--shard i/N`) that bring each shard under it: every shard
 * pays the load, the reading, the setup and its variants' masks; the passes divide.
 */
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { WeightsMode } from '../model/weights';
import { calibrate, type ClassRates } from './calibrate';
import { flopShape, passFlops } from './flops';
import { peakMemoryByMode } from './memory';
import type { PassClass, PassClassShape, WorkRecorder } from './work';

/** How a greedy decode step's recorded count (its maximum) is scaled to the expected count. */
export type DecodeScale = (c: PassClass, s: PassClassShape) => number;
const NO_SCALE: DecodeScale = () => 1;

/** A greedy generation step: one new token on a KV cache, logits of the last position (generate.ts). */
export function isDecodeShape(c: PassClass, s: PassClassShape): boolean {
  return c.plan.kvCache && c.plan.lastPositionOnly && s.length === 1 && s.past > 0;
}

export interface ModelWork {
  model: LoadedModel;
  work: WorkRecorder;
  /** Seconds spent loading this model in this process (what a run pays again). */
  loadSeconds: number;
}

export interface PlanInputs {
  command: string;
  parts: ModelWork[];
  /** Seconds the recording took: reading and tokenizing the input (every shard does it all). */
  enumerateSeconds: number;
  /** Seconds from process start to the command (Node, modules): a process pays it again. */
  startSeconds?: number;
  /** Model-free work the job does (pruning masks, …), seconds each, estimated. */
  extra?: Record<string, number>;
  decodeScale?: DecodeScale;
  /** Facts about greedy decoding's length (eval's translations). */
  decode?: Record<string, unknown>;
  /** --target in seconds. */
  target?: number;
  signal?: AbortSignal;
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** "45 s", "3.2 min", "2.5 h". */
export function durationText(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${round(seconds / 60, 1)} min`;
  return `${round(seconds / 3600, 1)} h`;
}

/** `--target`: 2h, 90m, 45min, 30s, or plain seconds. */
export function parseDuration(text: string, subject = '--target'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?|s|sec|seconds?)?\s*$/i.exec(text);
  if (!m) throw new UserError(subject, `expected a duration like 2h, 90m or 600s, got ${JSON.stringify(text)}`);
  const v = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const seconds = unit.startsWith('h') ? v * 3600 : unit.startsWith('m') ? v * 60 : v;
  if (!(seconds > 0)) throw new UserError(subject, `must be a positive duration, got ${JSON.stringify(text)}`);
  return seconds;
}

function planLabel(c: PassClass): string {
  const p = c.plan;
  const what = p.stats.length
    ? `statistics (${[...new Set(p.stats.map((s) => s.kind))].join(', ')}) on ${p.stats.length} hook${p.stats.length > 1 ? 's' : ''}`
    : p.capture.length === 1 && p.capture[0] === 'logits'
      ? p.kvCache ? (p.lastPositionOnly ? 'generation (KV cache, last logits)' : 'logits with a KV cache') : 'logits'
      : `${p.capture.length} captured hook${p.capture.length === 1 ? '' : 's'}${p.kvCache ? ' with a KV cache' : ''}`;
  return `${what}${c.masked ? ', pruning masks' : ''}`;
}

export interface JobPlan {
  command: string;
  models: { name: string; parameters: number; weights: WeightsMode; executionProvider: string; storedBytes: number }[];
  sequences: number;
  tokens: { real: number; padded: number };
  forwardPasses: number;
  modelCalls: number;
  flops: number;
  decode?: Record<string, unknown>;
  peakMemoryBytes: Record<WeightsMode, number>;
  calibration: { seconds: number; plans: { model: string; plan: string; passes: number; secondsPerPass: number; gflopsPerSecond: number | null; secondsPerCall: number; setupSeconds: number; measured: { shape: string; seconds: number }[] }[] };
  estimate: { seconds: number; text: string; start: number; load: number; enumerate: number; setup: number; compute: number; extra: Record<string, number> };
  target?: { seconds: number; shards: number | null; secondsPerShard: number | null; fixedSecondsPerShard: number; note?: string };
}

export async function planJob(x: PlanInputs): Promise<JobPlan> {
  const scale = x.decodeScale ?? NO_SCALE;
  const t0 = performance.now();
  let flops = 0;
  let compute = 0;
  let setup = 0;
  const plans: JobPlan['calibration']['plans'] = [];
  const peak: Record<WeightsMode, number> = { resident: 0, streaming: 0, mapped: 0 };
  for (const { model, work } of x.parts) {
    const shape = flopShape(model.cfg, model.specs);
    const classes = [...work.classes.values()];
    const rates: Map<string, ClassRates> = await calibrate(model, shape, classes, scale, x.signal);
    for (const c of classes) {
      const r = rates.get(c.key)!;
      let passes = 0;
      for (const s of c.shapes.values()) {
        const n = s.count * scale(c, s);
        const f = passFlops(shape, c.plan, s.batch, s.length, s.past);
        passes += n;
        flops += n * f;
        compute += n * (r.perPass + r.perFlop * f);
      }
      // Decoding steps are one call each; other calls group their batches.
      const decodeCalls = [...c.shapes.values()].filter((s) => isDecodeShape(c, s)).reduce((n, s) => n + s.count * (1 - scale(c, s)), 0);
      compute += (c.calls - decodeCalls) * r.perCall;
      setup += r.setup;
      plans.push({
        model: model.name,
        plan: planLabel(c),
        passes: Math.round(passes),
        secondsPerPass: round(r.perPass, 5),
        gflopsPerSecond: r.perFlop > 0 ? round(1 / r.perFlop / 1e9, 1) : null,
        secondsPerCall: round(r.perCall, 4),
        setupSeconds: round(r.setup, 4),
        measured: r.measured.map((m) => ({ shape: m.shape, seconds: round(m.seconds, 4) })),
      });
    }
    const m = peakMemoryByMode(model, work);
    for (const k of Object.keys(peak) as WeightsMode[]) peak[k] = Math.max(peak[k], m[k]);
  }
  const calibrationSeconds = (performance.now() - t0) / 1000;
  const load = x.parts.reduce((n, p) => n + p.loadSeconds, 0);
  const start = x.startSeconds ?? 0;
  // Graphs outside the forward plans (the lens head, least squares) ran once per shape while recording:
  // their runs are work of their own, and the recording's time is not reading.
  const graphs = x.parts.reduce((g, p) => {
    const s = p.work.graphSeconds();
    return { estimated: g.estimated + s.estimated, measured: g.measured + s.measured };
  }, { estimated: 0, measured: 0 });
  const extra = { ...(x.extra ?? {}), ...(graphs.estimated > 0 ? { 'graph runs': graphs.estimated } : {}) };
  const enumerateSeconds = Math.max(0, x.enumerateSeconds - graphs.measured);
  const extraSeconds = Object.values(extra).reduce((a, b) => a + b, 0);
  const seconds = start + load + enumerateSeconds + setup + compute + extraSeconds;
  const sum = (f: (w: WorkRecorder) => number): number => x.parts.reduce((n, p) => n + f(p.work), 0);
  // Decoding steps the scale removes (recorded: every step a generation may take).
  const dropped = (per: (s: PassClassShape) => number): number =>
    x.parts.reduce((n, p) => n + [...p.work.classes.values()].reduce((m, c) => m + [...c.shapes.values()].filter((s) => isDecodeShape(c, s)).reduce((k, s) => k + s.count * (1 - scale(c, s)) * per(s), 0), 0), 0);
  const droppedPasses = dropped(() => 1);
  const droppedTokens = dropped((s) => s.batch);
  const plan: JobPlan = {
    command: x.command,
    models: x.parts.map(({ model }) => ({ name: model.name, parameters: model.info.parameterCount, weights: model.weights.mode, executionProvider: model.info.runtime.executionProvider, storedBytes: model.info.runtime.storedWeightBytes })),
    sequences: sum((w) => w.sequences),
    tokens: { real: Math.round(sum((w) => w.realTokens) - droppedTokens), padded: Math.round(sum((w) => w.paddedTokens) - droppedTokens) },
    forwardPasses: Math.round(sum((w) => w.passes) - droppedPasses),
    modelCalls: Math.round(sum((w) => w.calls) - droppedPasses),
    flops,
    ...(x.decode ? { decode: x.decode } : {}),
    peakMemoryBytes: peak,
    calibration: { seconds: round(calibrationSeconds, 2), plans },
    estimate: { seconds: round(seconds, 2), text: durationText(seconds), start: round(start, 2), load: round(load, 2), enumerate: round(enumerateSeconds, 2), setup: round(setup, 2), compute: round(compute, 2), extra: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, round(v, 2)])) },
  };
  if (x.target !== undefined) {
    // Every shard loads, reads everything, sets up and builds its variants; the passes divide.
    const fixed = start + load + enumerateSeconds + setup + extraSeconds;
    const divisible = compute;
    const room = x.target - fixed;
    const shards = room > 0 ? Math.max(1, Math.ceil(divisible / room)) : null;
    plan.target = {
      seconds: x.target,
      shards,
      secondsPerShard: shards === null ? null : round(fixed + divisible / shards, 2),
      fixedSecondsPerShard: round(fixed, 2),
      ...(shards === null ? { note: `a shard's fixed cost (load, reading, setup, variants: ${durationText(fixed)}) alone exceeds the target` } : {}),
    };
  }
  return plan;
}
