// The lens's share of a COLD Analyze (docs/performance.md, "Latent-language lens"): the first prompt
// of a fresh process, as `polyglot-lens analyze` runs it, sessions built on the way. Each round runs
// one fresh process per job (bench/lens-job.ts --repeat 2: the first call cold, the second warm), in
// a rotated order: Analyze alone, Analyze + lens with the head fused into the forward, and Analyze +
// lens with the head as its own graph (`--head separate`, how it ran before). Prints one JSON line
// per round and the medians of the per-round ratios (first call with the lens / first call without).
// Take the heavy-job lock: flock LOCKFILE node bench/lens-cold.mjs …
// Usage: node bench/lens-cold.mjs [--model models/default] [--rounds 9] [--threads 2]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const model = arg('model', 'models/default');
const rounds = Number(arg('rounds', '9'));
const JOBS = {
  analyze: ['--job', 'analyze'],
  fused: ['--job', 'analyze-lens', '--head', 'fused'],
  separate: ['--job', 'analyze-lens', '--head', 'separate'],
};
const names = Object.keys(JOBS);

function run(name) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/lens-job.ts', '--model', model, '--repeat', '2', '--threads', arg('threads', '2'), ...JOBS[name]], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};
const ratios = { fused: [], separate: [] };
const warmRatios = { fused: [], separate: [] };
const firsts = { analyze: [], fused: [], separate: [] };
for (let r = 0; r < rounds; r++) {
  const order = names.map((_, i) => names[(i + r) % names.length]);
  const res = {};
  for (const n of order) res[n] = run(n);
  for (const n of names) firsts[n].push(res[n].seconds[0]);
  for (const n of ['fused', 'separate']) {
    ratios[n].push(res[n].seconds[0] / res.analyze.seconds[0]);
    warmRatios[n].push(res[n].seconds[1] / res.analyze.seconds[1]);
  }
  process.stdout.write(`${JSON.stringify({ round: r, order, seconds: Object.fromEntries(names.map((n) => [n, res[n].seconds])), load: Number(loadavg()[0].toFixed(2)) })}\n`);
}
const round3 = (x) => Number(x.toFixed(3));
process.stdout.write(`${JSON.stringify({
  rounds,
  firstCallMedianS: Object.fromEntries(names.map((n) => [n, round3(median(firsts[n]))])),
  coldRatioMedian: { fused: round3(median(ratios.fused)), separate: round3(median(ratios.separate)) },
  secondCallRatioMedian: { fused: round3(median(warmRatios.fused)), separate: round3(median(warmRatios.separate)) },
  load: Number(loadavg()[0].toFixed(2)),
})}\n`);
