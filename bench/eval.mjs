// Evaluation throughput, engine vs a plain-PyTorch baseline doing the same scoring, in one run:
// items/s of `classify` (the demo language-ID items, 6 labels; label first as shipped, and label
// last where the shared prefix is long; prefix KV cache vs full recomputation vs one label alone)
// and of `translate` (1-shot fr→en UDHR prompts, 16 greedy tokens each, KV cache), on the default
// model and on a 110M-parameter random Llama (d 768, 12 layers, d_mlp 3072, vocab 4096). The
// baseline (bench/eval_torch.py) is self-contained; both sides get the same token ids and must
// agree on every prediction and generated token.
// Each side's best of one timed pass after a warm-up pass (the engine builds its sessions there).
// Usage: node bench/eval.mjs [--quick] [--default-only | --random-only] [--threads N]   (needs Debian python3-torch)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastestOpenblas, torchEnv } from './openblas.mjs';

const quick = process.argv.includes('--quick');
const runs = '1';
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : fallback; };
const threads = arg('--threads', String(Math.min(2, cpus().length)));
const onlyDefault = process.argv.includes('--default-only');
const work = join(tmpdir(), 'polyglot-lens-bench');
mkdirSync(work, { recursive: true });
// The baseline's OpenBLAS kernel: the fastest this CPU runs, timed (bench/openblas.mjs).
const { coretype } = fastestOpenblas(threads);
const env = torchEnv();
const json = (cmd, args) => JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 }).trim().split('\n').at(-1));
const tsx = (args) => json(process.execPath, ['--import', 'tsx', 'bench/eval-job.ts', ...args]);

const randomDir = join(work, 'random-768-12-3072-4096');
if (!onlyDefault && !existsSync(join(randomDir, 'model.safetensors'))) {
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/random-llama.ts', randomDir, '768,12,3072,4096', '1', '1'], { stdio: 'inherit' });
}
const rows = [];
const models = [['default (5.5M)', 'models/default', 10, 36], ['random Llama 110M', randomDir, quick ? 3 : 5, quick ? 6 : 12]];
for (const [label, dir, nTranslate, nClassify] of onlyDefault ? models.slice(0, 1) : process.argv.includes('--random-only') ? models.slice(1) : models) {
  const wl = join(work, `eval-workload-${label.split(' ')[0]}.json`);
  tsx(['prepare', dir, wl, String(nTranslate), '16', String(nClassify)]);
  const e = tsx(['run', dir, wl, threads, runs]);
  const t = json('/usr/bin/python3', ['bench/eval_torch.py', wl, dir, threads, runs]);
  const agree = JSON.stringify([e.predictions, e.predictions_last, e.generated]) === JSON.stringify([t.predictions, t.predictions_last, t.generated]);
  for (const [job, key] of [
    ['classify, label first (cache)', 'classify_items_s'], ['classify, label first (full)', 'classify_full_items_s'],
    ['classify, label last (cache)', 'classify_last_items_s'], ['classify, label last (full)', 'classify_last_full_items_s'],
    ['one label alone', 'one_label_items_s'], ['translate (16 tokens)', 'translate_items_s'],
  ]) rows.push({ model: label, job, engine_items_s: +e[key].toFixed(2), torch_items_s: +t[key].toFixed(2), ratio: +(e[key] / t[key]).toFixed(2) });
  rows.push({ model: label, job: 'labels cost vs one label (cache / full)', engine_items_s: +(e.one_label_items_s / e.classify_last_items_s).toFixed(2), torch_items_s: +(t.one_label_items_s / t.classify_last_items_s).toFixed(2), ratio: null, agree });
}
console.table(rows);
console.log(JSON.stringify({ threads, openblasCoretype: coretype, rows }));
