// The latent-language lens benchmark (docs/performance.md "Latent-language lens"): Analyze with and
// without the lens section, the lens alone, and a PyTorch logit lens on the same weights and ids,
// each job in its own process (bench/lens-job.ts, bench/lens_torch.py), rounds interleaved so load
// changes hit every job alike; medians of the warm repeats (the first repeat of a process builds its
// sessions). The PyTorch baseline gets the fastest OpenBLAS kernel this CPU runs: each candidate is
// timed on a 1024³ GEMM with OPENBLAS_CORETYPE set and OPENBLAS_L2_SIZE unset, and the best kept.
// Take the heavy-job lock: flock LOCKFILE node bench/lens.mjs …
// Usage: node bench/lens.mjs [--model DIR] [--tokens N | --text T] [--new-tokens 16] [--rounds 5] [--repeat 3] [--weights auto] [--torch-repeat 3] [--jobs analyze,analyze-lens,lens,torch]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const model = arg('model', 'models/default');
const rounds = Number(arg('rounds', '5'));
const jobs = arg('jobs', 'analyze,analyze-lens,lens,torch').split(',');
const common = ['--model', model, '--repeat', arg('repeat', '3'), '--weights', arg('weights', 'auto'), '--new-tokens', arg('new-tokens', '16')];
if (arg('tokens', '')) common.push('--tokens', arg('tokens', ''));
if (arg('text', '')) common.push('--text', arg('text', ''));
if (arg('languages', '')) common.push('--languages', arg('languages', ''));

/** The OpenBLAS kernels this CPU can run, fastest first by a timed 1024³ F32 GEMM. */
function bestKernel() {
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  const candidates = ['Haswell', ...(/\bavx512f\b/.test(flags) ? ['SkylakeX'] : []), ...(/\bavx512_bf16\b/.test(flags) ? ['Cooperlake'] : [])];
  const py = 'import time,torch\ntorch.set_num_threads(2)\na=torch.randn(1024,1024);b=torch.randn(1024,1024)\nbest=9\nfor _ in range(5):\n t=time.perf_counter();a@b;best=min(best,time.perf_counter()-t)\nprint(best)';
  const timed = candidates.map((k) => {
    const env = { ...process.env, OPENBLAS_CORETYPE: k };
    delete env.OPENBLAS_L2_SIZE;
    const s = Number(execFileSync('/usr/bin/python3', ['-c', py], { env, encoding: 'utf8' }).trim());
    return { kernel: k, gflops: Number(((2 * 1024 ** 3) / s / 1e9).toFixed(1)) };
  });
  return timed.sort((a, b) => b.gflops - a.gflops);
}

function engine(job) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/lens-job.ts', '--job', job, ...common], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${job}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function torch(kernel, ids) {
  const env = { ...process.env, OPENBLAS_CORETYPE: kernel };
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('/usr/bin/python3', ['bench/lens_torch.py', '--model', model, '--ids', ids.join(','), '--repeat', arg('torch-repeat', '3')], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`torch: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

const kernels = jobs.includes('torch') ? bestKernel() : [];
console.log(JSON.stringify({ start: new Date().toISOString(), loadAvg: loadavg().map((x) => Number(x.toFixed(2))), kernels }));
// The ids only: mapped weights, so a 7B checkpoint is not read for them.
const ids = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e',
  `const {LoadedModel}=require('./src/engine/model/model');const m=LoadedModel.load(process.argv[1],{weights:'mapped'});const t=${JSON.stringify(arg('text', ''))}||(${Number(arg('tokens', '0'))}>0?'The quick brown fox jumps over the lazy dog. '.repeat(40).slice(0,${Number(arg('tokens', '0'))}-1):'French: Le petit chat voit le grand chien.</s>English:');console.log(JSON.stringify(m.encodeInput(t,'bench')))`, model], { encoding: 'utf8' }).trim());
const warm = Object.fromEntries(jobs.map((j) => [j, []]));
const first = Object.fromEntries(jobs.map((j) => [j, []]));
const rss = {};
for (let r = 0; r < rounds; r++) {
  for (const j of jobs) {
    const out = j === 'torch' ? torch(kernels[0].kernel, ids) : engine(j);
    console.log(JSON.stringify(out));
    const secs = j === 'torch' ? out.runs.map((x) => x.total) : out.seconds;
    first[j].push(secs[0]);
    warm[j].push(...secs.slice(1));
    rss[j] = Math.max(rss[j] ?? 0, out.peakRssGiB);
  }
}
const summary = Object.fromEntries(jobs.map((j) => [j, { warmMedianS: Number(median(warm[j]).toFixed(3)), firstMedianS: Number(median(first[j]).toFixed(3)), peakRssGiB: rss[j] }]));
if (summary.analyze && summary['analyze-lens']) summary.lensOverAnalyze = { warm: Number((summary['analyze-lens'].warmMedianS / summary.analyze.warmMedianS).toFixed(3)), first: Number((summary['analyze-lens'].firstMedianS / summary.analyze.firstMedianS).toFixed(3)) };
if (summary.analyze && summary.lens) summary.lensAloneOverAnalyze = { warm: Number((summary.lens.warmMedianS / summary.analyze.warmMedianS).toFixed(3)), first: Number((summary.lens.firstMedianS / summary.analyze.firstMedianS).toFixed(3)) };
console.log(JSON.stringify({ end: new Date().toISOString(), loadAvg: loadavg().map((x) => Number(x.toFixed(2))), tokens: ids.length, summary }));
