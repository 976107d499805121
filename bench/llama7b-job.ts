/**
 * One measurement on the 7B-shaped checkpoint (bench/llama7b-write.ts), in its own process so its
 * peak RSS is its own: `analyze` (Analyze Activations on a 32-token prompt: every layer's
 * hook_post captured, top-k per cell) or `lape` (LAPE statistics over N tokens of UDHR en+fr,
 * 512-token texts, `--batch-tokens` per batch, default the engine's). Prints one JSON line:
 * seconds (load and job, wall and CPU), the seconds spent widening weights to F32, peak RSS,
 * weights mode, load average, and GFLOP (2 per multiply-add of every linear layer the graphs run,
 * plus attention's QKᵀ and AV) of the real tokens (`gflop`) and of the padded batches onnxruntime
 * actually computes (`paddedGflop`), each per second of wall time.
 * Runs, like the editor's engine process, with malloc's huge pages (worker/processEnv.ts): started
 * without them it runs itself again under that environment; `--no-huge-pages` keeps it as it is.
 * Usage: node --import tsx bench/llama7b-job.ts --model DIR --job analyze|lape [--weights MODE] [--retain-gib G] [--tokens 2048] [--threads 2] [--batch-tokens N] [--new-tokens N] [--repeat N] [--no-huge-pages]
 */
import * as os from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LoadedModel } from '../src/engine/model/model';
import { analyzeActivations } from '../src/engine/analyze';
import { collectLapeCounts } from '../src/engine/lape/lape';
import { openCorpus } from '../src/engine/corpus/open';
import { parseWeightsMode } from '../src/engine/model/weights';
import { engineProcessEnv } from '../src/engine/worker/processEnv';

if (!process.argv.includes('--no-huge-pages')) {
  const env = engineProcessEnv(process.env);
  if (env !== process.env) process.exit(spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' }).status ?? 1);
}
/** GiB of this process's anonymous memory in transparent huge pages (Linux). */
const hugePagesGiB = (): number | undefined => {
  if (!existsSync('/proc/self/smaps_rollup')) return undefined;
  const kib = /AnonHugePages:\s+(\d+)/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1];
  return kib === undefined ? undefined : +(Number(kib) / 1024 ** 2).toFixed(2);
};

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1]!;
};
const job = arg('job', 'analyze');
const load0 = os.loadavg()[0]!;
const t0 = performance.now();
const cpuLoad0 = process.cpuUsage();
// --retain-gib G: F32 GiB of widened weights kept block by block (default: what memory allows; 0 widens every run, the path before #25).
const retain = process.argv.includes('--retain-gib') ? Number(arg('retain-gib', '0')) * 1024 ** 3 : undefined;
const model = LoadedModel.load(arg('model', ''), { threads: Number(arg('threads', '2')), weights: parseWeightsMode(arg('weights', 'auto')), retainBytes: retain });
const loadS = (performance.now() - t0) / 1000;
const loadCpu = process.cpuUsage(cpuLoad0);
const { dModel: D, dMlp: F, nLayers: L, nHeads: H, dHead } = model.cfg;
const kv = model.cfg.nKvHeads * dHead;
const attnLinear = D * (H * dHead) + 2 * D * kv + H * dHead * D;
/** FLOPs of one sequence of `len` positions (padded or not) through one block: linear layers up to `mlpMats` MLP matrices, QKᵀ and AV. */
const blockFlops = (len: number, mlpMats: number): number => 2 * len * (attnLinear + mlpMats * D * F) + 4 * len * len * H * dHead;

// Counted as the engine runs them: the batches (padded to their longest) and the widening.
let gflop = 0;
let paddedGflop = 0;
let widenMs = 0;
/** MLP matrices of each block the job's graphs run: every block full, the last one cut where the job's last hook is. */
const lastBlockMlp = job === 'analyze' ? 2 : 1; // analyze stops at the last hook_post (gate, up); LAPE at the last gate
const sequenceFlops = (len: number): number => (L - 1) * blockFlops(len, 3) + blockFlops(len, lastBlockMlp);
const runMany = model.runMany.bind(model);
let counting = true;
model.runMany = (batches, plan, opts, signal) => {
  if (!counting) return runMany(batches, plan, opts, signal);
  for (const b of batches) {
    const T = Math.max(...b.map((s) => s.length));
    for (const s of b) gflop += sequenceFlops(s.length) / 1e9;
    paddedGflop += (b.length * sequenceFlops(T)) / 1e9;
  }
  return runMany(batches, plan, opts, signal);
};
const widen = model.weights.widen.bind(model.weights);
model.weights.widen = (name, buffers) => {
  const t = performance.now();
  const w = widen(name, buffers);
  widenMs += performance.now() - t;
  return w;
};

/** A stderr line per generated token (seconds since the process started, CPU seconds, kept GiB): a run cut short still says how far it got. */
const progress = {
  onProgress: (p: { message: string }): void => {
    const c = process.cpuUsage();
    console.error(`${(performance.now() / 1000).toFixed(1)} s, cpu ${((c.user + c.system) / 1e6).toFixed(1)} s, kept ${(model.weights.retainedBytes / 1024 ** 3).toFixed(1)} GiB, load ${os.loadavg()[0]!.toFixed(1)}: ${p.message}`);
  },
};

async function main(): Promise<void> {
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  let detail: Record<string, unknown> = {};
  let firstS: number | undefined;
  let firstAt: number | undefined;
  let firstCpu: NodeJS.CpuUsage | undefined;
  let firstWidenMs: number | undefined;
  if (job === 'analyze') {
    const text = 'The quick brown fox jumps over t'; // 32 bytes → BOS + 31 byte tokens = 32 tokens
    // --new-tokens N: the greedy continuation too (the editor asks for 16 by default); its runs
    // are not in gflop (one position each).
    const maxNewTokens = Number(arg('new-tokens', '0'));
    counting = maxNewTokens === 0;
    const a = await analyzeActivations(model, { text: text.slice(0, 31), maxNewTokens }, progress);
    detail = { tokens: a.tokens.length, newTokens: a.generated.ids.length };
    firstS = (performance.now() - t1) / 1000;
    firstAt = performance.now();
    firstCpu = process.cpuUsage(cpu0);
    firstWidenMs = widenMs;
    // --repeat N: N - 1 more analyses after the first, as an editor session runs them on a loaded
    // model (the widening buffers are then touched memory already); their wall seconds each.
    const again: number[] = [];
    counting = false;
    for (let r = 1; r < Number(arg('repeat', '1')); r++) {
      const t = performance.now();
      await analyzeActivations(model, { text: text.slice(0, 31), maxNewTokens }, progress);
      again.push(+((performance.now() - t) / 1000).toFixed(1));
    }
    if (again.length) detail.repeatSeconds = again;
  } else {
    const tokens = Number(arg('tokens', '2048'));
    const batchTokens = process.argv.includes('--batch-tokens') ? Number(arg('batch-tokens', '')) : undefined;
    const c = await collectLapeCounts(model, openCorpus('udhr:en,fr'), { maxTokensPerLang: tokens / 2, maxLength: 512, batchTokens });
    detail = { tokens: c.tokenCounts.reduce((x, y) => x + y, 0), batchTokens: batchTokens ?? 'default' };
  }
  const jobS = firstS ?? (performance.now() - t1) / 1000;
  const cpu = firstCpu ?? process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      job,
      weights: model.info.runtime.weights,
      weightsReason: model.info.runtime.weightsReason,
      heldGiB: +(model.info.runtime.heldWeightBytes / 1024 ** 3).toFixed(2),
      // Widened F32 weights kept for later runs (block-by-block modes) when the job ended.
      retainedGiB: +(model.weights.retainedBytes / 1024 ** 3).toFixed(2),
      // Seconds from the process's start (Node, modules, load) to the first result: a cold command's wait.
      processFirstResultSeconds: firstAt === undefined ? undefined : +(firstAt / 1000).toFixed(1),
      loadSeconds: +loadS.toFixed(1),
      loadCpuSeconds: +((loadCpu.user + loadCpu.system) / 1e6).toFixed(1),
      jobSeconds: +jobS.toFixed(1),
      // CPU seconds of the job (all threads): on a machine shared with other work, wall time
      // stretches with the load; CPU time much less.
      jobCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      widenSeconds: +((firstWidenMs ?? widenMs) / 1000).toFixed(1),
      loadAverage: [+load0.toFixed(2), +os.loadavg()[0]!.toFixed(2)],
      gflop: +gflop.toFixed(0),
      gflopPerSecond: +(gflop / jobS).toFixed(1),
      paddedGflop: +paddedGflop.toFixed(0),
      paddedGflopPerSecond: +(paddedGflop / jobS).toFixed(1),
      peakRssGiB: +(process.resourceUsage().maxRSS / 1024 ** 2).toFixed(2),
      hugePagesGiB: hugePagesGiB(),
      ...detail,
    }),
  );
  await model.dispose();
}

void main();
