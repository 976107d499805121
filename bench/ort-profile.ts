/**
 * Where the engine's time goes, per onnxruntime operator: runs one bench job (engine-job.ts's plans)
 * with onnxruntime's profiler on and prints milliseconds per op type and run, plus the wall time of
 * model.run around it (the difference is the binding handing the outputs to JS, and the feeds).
 * Usage: node --import tsx bench/ort-profile.ts --model DIR --ids ids.jsonl --job lape|capture [--prepack] [--runs N] [--threads N]
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// A benchmark tool, not the engine: it wraps onnxruntime's session factory to switch its profiler on.
// eslint-disable-next-line no-restricted-imports
import type * as Ort from 'onnxruntime-node';
import { arg, jobPlan, loadBenchModel, readIds } from './job-args';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;
const sessions: Ort.InferenceSession[] = [];
const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (m: Uint8Array, o: Ort.InferenceSession.SessionOptions) => Promise<Ort.InferenceSession>;
const prefix = join(tmpdir(), `ort-profile-${process.pid}`);
(ort.InferenceSession as unknown as { create: unknown }).create = async (m: Uint8Array, o: Ort.InferenceSession.SessionOptions) => {
  const s = await create(m, { ...o, enableProfiling: true, profileFilePrefix: prefix });
  sessions.push(s);
  return s;
};

const job = arg('job', 'lape');
const runs = Number(arg('runs', '3'));
const prepack = process.argv.includes('--prepack');
const model = loadBenchModel();
// One batch as the bench runs it: the first sequence (capture) or the first 8 (LAPE, 8 × 128 tokens).
const seqs = readIds().slice(0, job === 'capture' ? 1 : 8);
const plan = jobPlan(job, model);

(async () => {
  await model.run(seqs, plan); // warm-up (session creation, first-run allocations)
  const walls: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await model.run(seqs, plan);
    walls.push(performance.now() - t);
  }
  sessions[0]!.endProfiling(); // the Node binding returns nothing: the file is <prefix>_<date>.json
  const file = join(tmpdir(), readdirSync(tmpdir()).find((f) => f.startsWith(`ort-profile-${process.pid}`))!);
  type Ev = { cat: string; name: string; dur: number; args?: { op_name?: string } };
  const events = JSON.parse(readFileSync(file, 'utf8')) as Ev[];
  rmSync(file, { force: true });
  const runEvents = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const byOp = new Map<string, number>();
  const nodes = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  for (const e of nodes) byOp.set(e.args?.op_name ?? '?', (byOp.get(e.args?.op_name ?? '?') ?? 0) + e.dur);
  const n = runEvents.length;
  const total = [...byOp.values()].reduce((a, b) => a + b, 0) / n / 1000;
  console.log(`job ${job}${prepack ? ' --prepack' : ''}: model.run wall ms ${walls.map((w) => w.toFixed(1)).join(' ')}; onnxruntime model_run ms ${runEvents.map((e) => (e.dur / 1000).toFixed(1)).join(' ')}; kernels ${total.toFixed(1)} ms per run`);
  for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1])) console.log(`${op.padEnd(28)} ${(us / n / 1000).toFixed(2).padStart(8)} ms  ${((100 * us) / n / 1000 / total).toFixed(1).padStart(5)} %`);
  await model.dispose();
})();
