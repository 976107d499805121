// Side-by-side benchmark of the engine against the project's PyTorch baseline (bench/torch_baseline.py,
// on bench/llama_torch.py), in one run so both see the same machine state. Whole jobs, same weights
// and same token ids; everything it needs is in the repository:
//   (a) the shipped default model and (b) a random Llama d_model 768, 12 layers, d_mlp 2048, vocab 512:
//       LAPE statistics job (count gate pre-activation > 0 per neuron) over 64 × 128 tokens;
//   (b) one 128-token prompt, batch 1: both keep every hook point of every layer and the logits;
//   (b) peak RSS of the engine's LAPE job at 1× and 10× the corpus (flat = in-graph reduction).
// The engine runs twice per job: weights fed as inputs (the default) and --prepack (weights as
// graph constants, prepacked by onnxruntime once per plan session).
// Needs Debian python3-torch + libopenblas0-pthread. Usage: npm run bench [-- --quick]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fastestOpenblas, torchEnv } from './openblas.mjs';

const baseline = resolve('bench', 'torch_baseline.py');
const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const quick = process.argv.includes('--quick');
const runs = quick ? '1' : '3';
const work = join(tmpdir(), 'polyglot-lens-bench');
mkdirSync(work, { recursive: true });

const json = (cmd, args) => {
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: torchEnv() });
  return JSON.parse(out.trim().split('\n').at(-1));
};
const engine = (args) => json(process.execPath, ['--import', 'tsx', 'bench/engine-job.ts', ...args]);
const torch = (args) => json(py, [baseline, ...args]);

const randomDir = join(work, 'random-768-12-2048-512');
if (!existsSync(join(randomDir, 'model.safetensors'))) {
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/random-llama.ts', randomDir, '768,12,2048,512', '64', '128'], { stdio: 'inherit' });
}
// The default model: 64 lines of 128 tokens from its own tokenizer (ids of a repeated English text).
const defaultDir = resolve('models', 'default');
const defaultIds = join(work, 'default-ids.jsonl');
if (!existsSync(defaultIds)) {
  const text = 'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. ';
  const r = execFileSync(process.execPath, [
    '--import', 'tsx', '-e',
    `const {ModelTokenizer}=require('./src/engine/tokenizer/tokenizer');const t=ModelTokenizer.load(${JSON.stringify(defaultDir)});` +
      `const ids=t.encode(${JSON.stringify(text.repeat(12))}).slice(0,128);process.stdout.write(Array.from({length:64},()=>JSON.stringify({ids})).join('\\n'))`,
  ], { encoding: 'utf8' });
  writeFileSync(defaultIds, r + '\n');
}

const rows = [];
const row = (job, t, e, p) => ({
  job,
  torch_tok_s: t.tok_per_s,
  torch_chunk: t.chunk ?? 1,
  engine_tok_s: e.tok_per_s,
  ratio: +(e.tok_per_s / t.tok_per_s).toFixed(2),
  prepack_tok_s: p.tok_per_s,
  prepack_ratio: +(p.tok_per_s / t.tok_per_s).toFixed(2),
  engine_peak_rss_mb: e.peak_rss_mb,
  prepack_peak_rss_mb: p.peak_rss_mb,
});
const threads = String(Math.min(2, cpus().length));
fastestOpenblas(threads); // times the candidate kernels once, before the first baseline run
for (const [label, dir, ids] of [['default model', defaultDir, defaultIds], ['random 768/12/2048/512', randomDir, join(randomDir, 'ids.jsonl')]]) {
  // The baseline at the engine's batch (8 × 128 tokens a forward) and at 64 × 128; the faster counts.
  const t = [8, 64].map((c) => ({ ...torch(['--model', dir, '--ids', ids, '--job', 'lape', '--chunk', String(c), '--runs', runs, '--threads', threads]), chunk: c })).reduce((a, b) => (b.tok_per_s > a.tok_per_s ? b : a));
  const e = engine(['--model', dir, '--ids', ids, '--job', 'lape', '--runs', runs, '--threads', threads]);
  const p = engine(['--model', dir, '--ids', ids, '--job', 'lape', '--runs', runs, '--threads', threads, '--prepack']);
  rows.push(row(`LAPE 64×128, ${label}`, t, e, p));
}
// torch_baseline reads every line of --ids; give it one line for batch 1.
const oneIds = join(work, 'one.jsonl');
writeFileSync(oneIds, readFileSync(join(randomDir, 'ids.jsonl'), 'utf8').split('\n')[0] + '\n');
const tc1 = torch(['--model', randomDir, '--ids', oneIds, '--job', 'capture', '--runs', runs, '--threads', threads]);
const ec = engine(['--model', randomDir, '--ids', oneIds, '--job', 'capture', '--runs', runs, '--threads', threads]);
const pc = engine(['--model', randomDir, '--ids', oneIds, '--job', 'capture', '--runs', runs, '--threads', threads, '--prepack']);
rows.push(row('one 128-token prompt, all hooks, random 768', tc1, ec, pc));
const weightsMb = Math.round(readFileSync(join(randomDir, 'model.safetensors')).length / 1048576);
const r1 = engine(['--model', randomDir, '--ids', join(randomDir, 'ids.jsonl'), '--job', 'lape', '--runs', '0', '--threads', threads]);
const r10 = engine(['--model', randomDir, '--ids', join(randomDir, 'ids.jsonl'), '--job', 'lape', '--runs', '0', '--threads', threads, '--repeat', '10']);
const budget = Math.round(1.5 * weightsMb + 300);
console.table(rows);
console.log(JSON.stringify({ machine: `${cpus().length} × ${cpus()[0]?.model}`, openblas: fastestOpenblas(threads), load_average: loadavg().map((x) => +x.toFixed(1)), threads, weights_f32_mb: weightsMb, rss_budget_mb: budget, peak_rss_1x_mb: r1.peak_rss_mb, peak_rss_10x_mb: r10.peak_rss_mb, rows }));
