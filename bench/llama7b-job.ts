/**
 * One measurement on the 7B-shaped checkpoint (bench/llama7b-write.ts), in its own process so its
 * peak RSS is its own: `analyze` (Analyze Activations on a 32-token prompt: every layer's
 * hook_post captured, top-k per cell) or `lape` (LAPE statistics over N tokens of UDHR en+fr,
 * 512-token texts, 1024-token batches). Prints one JSON line: seconds (load and job), peak RSS,
 * weights mode, achieved GFLOP/s (2 FLOP per multiply-add of every linear layer the graph runs,
 * plus attention's QKᵀ and AV).
 * Usage: node --import tsx bench/llama7b-job.ts --model DIR --job analyze|lape [--weights MODE] [--tokens 2048] [--threads 2]
 */
import * as os from 'node:os';
import { LoadedModel } from '../src/engine/model/model';
import { analyzeActivations } from '../src/engine/analyze';
import { collectLapeCounts } from '../src/engine/lape/lape';
import { openCorpus } from '../src/engine/corpus/open';
import { parseWeightsMode } from '../src/engine/model/weights';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1]!;
};
const job = arg('job', 'analyze');
const t0 = performance.now();
const model = LoadedModel.load(arg('model', ''), { threads: Number(arg('threads', '2')), weights: parseWeightsMode(arg('weights', 'auto')) });
const loadS = (performance.now() - t0) / 1000;
const { dModel: D, dMlp: F, nLayers: L, nHeads: H, dHead } = model.cfg;
const kv = model.cfg.nKvHeads * dHead;
/** FLOPs of `tokens` positions in sequences of length `len` through `blocks` full blocks (+ gate of the next when `gateOnly`). */
const blockFlops = (tokens: number, len: number): number => 2 * tokens * (D * (H * dHead) + 2 * D * kv + H * dHead * D + 3 * D * F) + 2 * 2 * tokens * len * H * dHead;

async function main(): Promise<void> {
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  let flops = 0;
  let detail: Record<string, unknown> = {};
  if (job === 'analyze') {
    const text = 'The quick brown fox jumps over t'; // 32 bytes → BOS + 31 byte tokens = 32 tokens
    const a = await analyzeActivations(model, { text: text.slice(0, 31) });
    flops = L * blockFlops(a.tokens.length, a.tokens.length);
    detail = { tokens: a.tokens.length };
  } else {
    const tokens = Number(arg('tokens', '2048'));
    const c = await collectLapeCounts(model, openCorpus('udhr:en,fr'), { maxTokensPerLang: tokens / 2, maxLength: 512 });
    const n = c.tokenCounts.reduce((x, y) => x + y, 0);
    // The LAPE graph stops at the last block's gate pre-activation.
    flops = (L - 1) * blockFlops(n, 512) + 2 * n * (D * (H * dHead) + 2 * D * kv + H * dHead * D + D * F) + 4 * n * 512 * H * dHead;
    detail = { tokens: n };
  }
  const jobS = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      job,
      weights: model.info.runtime.weights,
      weightsReason: model.info.runtime.weightsReason,
      heldGiB: +(model.info.runtime.heldWeightBytes / 1024 ** 3).toFixed(2),
      loadSeconds: +loadS.toFixed(1),
      jobSeconds: +jobS.toFixed(1),
      // CPU seconds of the job (all threads): on a machine shared with other work, wall time
      // stretches with the load; CPU time much less.
      jobCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      loadAverage: os.loadavg()[0]!.toFixed(1),
      gflops: +(flops / 1e9).toFixed(0),
      gflopPerSecond: +(flops / 1e9 / jobS).toFixed(1),
      peakRssGiB: +(process.resourceUsage().maxRSS / 1024 ** 2).toFixed(2),
      ...detail,
    }),
  );
  await model.dispose();
}

void main();
