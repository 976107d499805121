// Job plans against real runs (issue #25): for `neurons`, `eval` and `sweep` on the shipped default
// model and the 110M random Llama (bench/random-llama.ts: d 768, 12 layers, d_mlp 3072, vocab 4096),
// run `--plan` and then the same command for real, both as whole CLI processes, one after the other;
// record the estimate, the real wall time, their ratio and the load average before each. The goal
// is real / estimated within 1.5× either way. Run it under the heavy-job lock on a shared machine:
//   npm run build && flock LOCKFILE node bench/plan.mjs [--default-only | --random-only] [--threads N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : fallback; };
const threads = arg('--threads', String(Math.min(2, cpus().length)));
const work = join(tmpdir(), 'polyglot-lens-bench');
mkdirSync(work, { recursive: true });
const randomDir = join(work, 'random-768-12-3072-4096');
if (!process.argv.includes('--default-only') && !existsSync(join(randomDir, 'model.safetensors'))) {
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/random-llama.ts', randomDir, '768,12,3072,4096', '1', '1'], { stdio: 'inherit' });
}
const cli = (args) => {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['bin/polyglot-lens', ...args, '--threads', threads], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  return { seconds: (performance.now() - t0) / 1000, json: JSON.parse(out.trim().split('\n').at(-1)) };
};

const jobs = (model, M, big) => [
  ['neurons', ['neurons', '--model', M, '--corpus', big ? 'udhr:en,fr' : 'udhr:en,fr,de,es', '--max-tokens-per-lang', big ? '1024' : '4000']],
  ['eval', ['eval', '--models', `${M},${M}@magnitude:0.3`, '--task', big ? 'perplexity,translate' : 'perplexity,classify,translate', '--languages', 'en,fr', '--pairs', 'fr-en', '--limit', big ? '2' : '4', '--max-new-tokens', big ? '8' : '16', '--resamples', '200']],
  ['sweep', ['sweep', '--model', M, '--methods', 'magnitude,random', '--sparsities', '0.5', '--task', 'perplexity', '--languages', 'en,fr', '--limit', big ? '3' : '8', '--resamples', '200']],
].map(([job, args]) => ({ model, job, args }));

const all = [
  ...(process.argv.includes('--random-only') ? [] : jobs('default (5.5M)', 'models/default', false)),
  ...(process.argv.includes('--default-only') ? [] : jobs('random Llama 110M', randomDir, true)),
];
const rows = [];
for (const { model, job, args } of all) {
  const load0 = loadavg()[0];
  const plan = cli([...args, '--plan']).json.plan;
  const load1 = loadavg()[0];
  const out = mkdtempSync(join(work, 'plan-out-'));
  rmSync(out, { recursive: true });
  const real = cli([...args, '--out', out]);
  rmSync(out, { recursive: true, force: true });
  rows.push({ model, job, estimated_s: plan.estimate.seconds, real_s: +real.seconds.toFixed(2), ratio: +(real.seconds / plan.estimate.seconds).toFixed(2), load_plan: +load0.toFixed(1), load_run: +load1.toFixed(1), passes: plan.forwardPasses, gflop: +(plan.flops / 1e9).toFixed(1) });
  console.error(JSON.stringify(rows.at(-1)));
}
console.table(rows);
console.log(JSON.stringify({ machine: `${cpus().length} × ${cpus()[0]?.model}`, threads, node: process.version, rows }));
