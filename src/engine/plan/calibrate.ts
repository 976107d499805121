/**
 * The measured part of a job plan: a few real passes of the job's own graph plans at its own
 * shapes, timed on this machine with this model and weights mode. Per plan (dense or with pruning
 * masks) a pass costs a + b·FLOPs (a: per-pass overhead — onnxruntime packing every weight matrix
 * again, since weights are inputs, and the run's fixed cost; b: seconds per FLOP at the job's batch
 * sizes), plus, block by block, g per model call (widening every block's weights once per group of
 * batches). Each plan runs its smallest shape once to build the graph and its sessions, then
 * three more times (the median: one pass of a few milliseconds caught by another process's burst
 * on a shared machine would otherwise be multiplied by every pass of the job), block by block once
 * more as two batches in one call (which separates g from a), and its largest shape up to ~1 TFLOP
 * (three times, median, when a pass takes under a second; else once).
 */
import type { LoadedModel, RunOptions, Variant } from '../model/model';
import { pastInput, type GraphPlan } from '../model/plan';
import * as ort from '../onnx/ort';
import { passFlops, type FlopShape } from './flops';
import type { PassClass, PassClassShape } from './work';

/** Largest calibration pass: about 6–10 s at this project's measured CPU rates. */
const MAX_CALIBRATION_FLOPS = 1e12;
/** Plans calibrated per job (the ones with the most FLOPs); the rest use the largest one's rates. */
const MAX_CALIBRATED_CLASSES = 6;

export interface ClassRates {
  key: string;
  /** Seconds per pass besides its FLOPs. */
  perPass: number;
  /** Seconds per FLOP. */
  perFlop: number;
  /** Seconds per model call block by block (0 when resident). */
  perCall: number;
  /** Building the plan's graph and sessions (paid once per process). */
  setup: number;
  measured: { shape: string; seconds: number; flops: number }[];
}

function shapeLabel(s: Pick<PassClassShape, 'batch' | 'length' | 'past'>): string {
  return `${s.batch}x${s.length}${s.past ? `+${s.past}` : ''}`;
}

/** Inputs for a pass of `plan` at a shape: token ids, a zero KV cache, all-keeping masks and zero shifts. */
function passInputs(model: LoadedModel, c: PassClass, plan: GraphPlan, s: Pick<PassClassShape, 'batch' | 'length' | 'past'>, variant: Variant | undefined): { seqs: number[][]; opts: RunOptions } {
  const { cfg } = model;
  const seqs = Array.from({ length: s.batch }, (_, b) => Array.from({ length: s.length }, (_, t) => (b * 7919 + t * 104729 + 1) % cfg.vocabSize));
  const opts: RunOptions = { topK: c.topK, variant };
  if (plan.kvCache) {
    const tensors: Record<string, ort.OrtTensor> = {};
    for (let l = 0; l < cfg.nLayers; l++) for (const kv of ['k', 'v'] as const) tensors[pastInput(l, kv)] = ort.f32(new Float32Array(s.batch * cfg.nKvHeads * s.past * cfg.dHead), [s.batch, cfg.nKvHeads, s.past, cfg.dHead]);
    opts.past = { length: s.past, tensors };
  }
  if (plan.deactivateLayers.length) opts.deactivate = Object.fromEntries(plan.deactivateLayers.map((l) => [l, [0]]));
  if (plan.residualShifts?.length) opts.shifts = Object.fromEntries(plan.residualShifts.map((i) => [i, new Float32Array(cfg.dModel)]));
  return { seqs, opts };
}

/** A variant that keeps every weight: masks of ones over every linear weight (the cost of a pruned variant's runs). */
export function keepAllVariant(model: LoadedModel): Variant {
  return new Map(model.specs.filter((s) => s.linear).map((s) => [s.name, new Uint8Array(s.shape.reduce((a, b) => a * b, 1)).fill(1)]));
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/** The median of `times` timings of f (`times` odd), or the one timing `first` when f is slow. */
async function medianOf(f: () => Promise<number>, first: number, times = 3, under = 1): Promise<number> {
  if (first >= under) return first;
  const all = [first];
  while (all.length < times) all.push(await f());
  return all.sort((a, b) => a - b)[Math.floor(all.length / 2)]!;
}

export async function calibrateClass(model: LoadedModel, flops: FlopShape, c: PassClass, signal?: AbortSignal): Promise<ClassRates> {
  const variant = c.masked ? keepAllVariant(model) : undefined;
  const plan: GraphPlan = { ...c.plan, maskedWeights: variant ? [...variant.keys()].sort() : [] };
  const shapes = [...c.shapes.values()].map((s) => ({ ...s, flops: passFlops(flops, plan, s.batch, s.length, s.past) })).sort((x, y) => x.flops - y.flops);
  const small = shapes[0]!;
  const fitting = shapes.filter((s) => s.flops <= MAX_CALIBRATION_FLOPS);
  const large = fitting.at(-1) ?? small;
  const run = async (s: typeof small, copies = 1): Promise<number> => {
    const { seqs, opts } = passInputs(model, c, plan, s, variant);
    return timed(() => model.runMany(Array.from({ length: copies }, () => seqs), plan, opts, signal));
  };
  const first = await run(small);
  const tSmall = await medianOf(() => run(small), await run(small));
  let perCall = 0;
  let perPass = tSmall;
  if (model.weights.mode !== 'resident' && !plan.kvCache) {
    const pair = await run(small, 2);
    perPass = Math.max(0, pair - tSmall);
    perCall = Math.max(0, tSmall - perPass);
  }
  const measured = [{ shape: shapeLabel(small), seconds: tSmall, flops: small.flops }];
  let perFlop = 0;
  if (large.flops >= 1.5 * small.flops) {
    const tLarge = await medianOf(() => run(large), await run(large));
    measured.push({ shape: shapeLabel(large), seconds: tLarge, flops: large.flops });
    perFlop = Math.max(0, (tLarge - tSmall) / (large.flops - small.flops));
    perPass = Math.max(0, perPass - perFlop * small.flops);
  }
  return { key: c.key, perPass, perFlop, perCall, setup: Math.max(0, first - tSmall), measured };
}

/** Rates for every class: the ones with the most FLOPs measured, the others borrowing the largest's. */
export async function calibrate(model: LoadedModel, flops: FlopShape, classes: PassClass[], decodeScale: (c: PassClass, s: PassClassShape) => number, signal?: AbortSignal): Promise<Map<string, ClassRates>> {
  const total = (c: PassClass): number => [...c.shapes.values()].reduce((n, s) => n + s.count * decodeScale(c, s) * passFlops(flops, c.plan, s.batch, s.length, s.past), 0) + c.calls;
  const ranked = [...classes].sort((x, y) => total(y) - total(x));
  const rates = new Map<string, ClassRates>();
  for (const c of ranked.slice(0, MAX_CALIBRATED_CLASSES)) rates.set(c.key, await calibrateClass(model, flops, c, signal));
  const fallback = ranked[0] ? rates.get(ranked[0].key) : undefined;
  for (const c of ranked.slice(MAX_CALIBRATED_CLASSES)) rates.set(c.key, { ...fallback!, key: c.key, measured: [] });
  return rates;
}
