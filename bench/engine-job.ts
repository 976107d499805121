/**
 * The engine side of the side-by-side benchmark, timed inside one process like the baseline:
 * --job lape    count positions with gate pre-activation > 0 per neuron (in-graph reduction)
 * --job capture keep every hook point of every layer, and the logits, for one sequence (batch 1)
 * Prints one JSON line with tokens/s and peak RSS.
 * --prepack     resident weights as graph constants, prepacked by onnxruntime per plan session (model.ts)
 * Usage: node --import tsx bench/engine-job.ts --model DIR --ids ids.jsonl --job lape|capture [--chunk N] [--runs N] [--threads N] [--repeat K] [--prepack]
 */
import { arg, jobPlan, loadBenchModel, readIds } from './job-args';

const job = arg('job', 'lape');
const chunk = Number(arg('chunk', '8')); // 8 × 128 = 1024 tokens per run, the engine's default batch budget (stats/batches.ts)
const runs = Number(arg('runs', '3'));
const repeat = Number(arg('repeat', '1')); // corpus ×K, to show memory stays flat
const t0 = performance.now();
const prepack = process.argv.includes('--prepack');
const model = loadBenchModel();
const loadS = (performance.now() - t0) / 1000;
let seqs = readIds();
if (job === 'capture') seqs = seqs.slice(0, 1);
const L = model.cfg.nLayers;
const plan = jobPlan(job, model);

// CPU seconds (user + system, all threads) of the best run: with idle workers parked (allow_spinning 0)
// this is the work itself, and reads through other processes' load better than the wall clock.
let cpuMin = Infinity;
async function once(): Promise<number> {
  const counts = Array.from({ length: L }, () => new Float64Array(model.cfg.dMlp));
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < repeat; r++) {
    for (let i = 0; i < seqs.length; i += chunk) {
      const out = await model.run(seqs.slice(i, i + chunk), plan);
      if (job === 'lape') for (let l = 0; l < L; l++) out[`stat:countPos:blocks.${l}.mlp.hook_pre`]!.data.forEach((v, j) => (counts[l]![j]! += v));
    }
  }
  const cpu = process.cpuUsage(cpu0);
  cpuMin = Math.min(cpuMin, (cpu.user + cpu.system) / 1e6);
  return (performance.now() - start) / 1000;
}

(async () => {
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const s = await once();
    if (r > 0 || runs === 0) times.push(s);
  }
  const tokens = seqs.reduce((n, s) => n + s.length, 0) * repeat;
  const min = Math.min(...times);
  console.log(JSON.stringify({ job, prepack, tokens, load_s: +loadS.toFixed(3), sec_min: +min.toFixed(3), tok_per_s: +(tokens / min).toFixed(1), cpu_s_min: +cpuMin.toFixed(3), chunk, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
})();
