// LAPE side-by-side benchmark, one run (docs/performance.md, "LAPE"): each job is a whole process
// under /usr/bin/time -v (peak RSS), PyTorch baseline vs the engine, at 1× and 10× corpus, on
//  (a) a random Llama 768,12,2048,512 (64×128 random ids; ×10 = 640×128) and
//  (b) the shipped default model with UDHR ids from our tokenizer (the engine side runs the full
//      `polyglot-lens neurons` CLI, tokenization included).
// The baseline is bench/torch_baseline.py; nothing outside the repository is needed.
// Usage: node bench/lape.mjs [--threads 2] [--work /tmp/bench-lape] [--only random|default]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { torchEnv } from './openblas.mjs';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({ options: { threads: { type: 'string', default: '2' }, work: { type: 'string', default: '/tmp/bench-lape' }, only: { type: 'string' } } });
const BASELINE = resolve('bench', 'torch_baseline.py');
const T = a.threads;
mkdirSync(a.work, { recursive: true });

/** Runs a command under /usr/bin/time -v; returns its last JSON stdout line, peak RSS and wall time. */
function timed(label, cmd, args) {
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: torchEnv() });
  const wall = (Date.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(-800)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop());
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)[1]) / 1024;
  const row = { label, ...json, process_wall_s: +wall.toFixed(2), peak_rss_mb: Math.round(rss) };
  console.error(JSON.stringify(row));
  return row;
}

const rows = [];
const node = (script, ...args) => ['--import', 'tsx', script, ...args];

if (!a.only || a.only === 'random') {
  for (const [scale, batch] of [['1x', 64], ['10x', 640]]) {
    const dir = join(a.work, `random-${scale}`);
    rmSync(dir, { recursive: true, force: true });
    execFileSync(process.execPath, node('bench/random-llama.ts', dir, '768,12,2048,512', String(batch), '128'), { stdio: 'ignore' });
    // --runs 0: one timed run without warm-up on both sides (the 10× run takes minutes on 2 cores).
    rows.push(timed(`torch random ${scale}`, '/usr/bin/python3', [BASELINE, '--model', dir, '--ids', join(dir, 'ids.jsonl'), '--job', 'lape', '--runs', '0', '--threads', T]));
    rows.push(timed(`engine random ${scale}`, process.execPath, node('bench/lape-job.ts', '--model', dir, '--ids', join(dir, 'ids.jsonl'), '--threads', T)));
  }
}

if (!a.only || a.only === 'default') {
  const model = resolve('models', 'default');
  for (const [scale, copies] of [['1x', 1], ['10x', 10]]) {
    // UDHR en+fr+de, each paragraph once per copy: the ×10 corpus is the same text ten times.
    const langs = ['en', 'fr', 'de'];
    const corpus = join(a.work, `udhr-${scale}.jsonl`);
    const idsFile = join(a.work, `udhr-${scale}-ids.jsonl`);
    execFileSync(process.execPath, ['--import', 'tsx', '-e', `
      const { udhrParagraphs } = require('./src/engine/corpus/udhr');
      const { ModelTokenizer } = require('./src/engine/tokenizer/tokenizer');
      const fs = require('node:fs');
      const tok = ModelTokenizer.load(${JSON.stringify(model)});
      const text = [], ids = [];
      for (let c = 0; c < ${copies}; c++) for (const lang of ${JSON.stringify(langs)}) for (const p of udhrParagraphs(lang)) {
        text.push(JSON.stringify({ lang, text: p.text }));
        ids.push(JSON.stringify({ ids: tok.encode(p.text).slice(0, 512) }));
      }
      fs.writeFileSync(${JSON.stringify(corpus)}, text.join('\\n') + '\\n');
      fs.writeFileSync(${JSON.stringify(idsFile)}, ids.join('\\n') + '\\n');
    `]);
    rows.push(timed(`torch default ${scale}`, '/usr/bin/python3', [BASELINE, '--model', model, '--ids', idsFile, '--job', 'lape', '--runs', '0', '--threads', T]));
    const out = join(a.work, `neurons-${scale}`);
    rmSync(out, { recursive: true, force: true });
    rows.push(timed(`engine default ${scale} (neurons CLI)`, process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'neurons', '--model', model, '--corpus', corpus, '--out', out, '--threads', T]));
  }
}

writeFileSync(join(a.work, 'results.json'), JSON.stringify(rows, null, 1));
const get = (l) => rows.find((r) => r.label.startsWith(l));
console.log('| run | tokens | job s | tok/s | process wall s | peak RSS MB |\n|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.label} | ${typeof r.tokens === 'object' ? Object.values(r.tokens).reduce((x, y) => x + y, 0) : r.tokens} | ${r.sec_min ?? r.sec ?? r.seconds} | ${r.tok_per_s ?? r.tokensPerSecond} | ${r.process_wall_s} | ${r.peak_rss_mb} |`);
for (const s of ['random 1x', 'random 10x', 'default 1x', 'default 10x']) {
  const t = get(`torch ${s}`), e = get(`engine ${s}`);
  if (t && e) console.log(`${s}: engine/torch tok/s = ${((e.tok_per_s ?? e.tokensPerSecond) / t.tok_per_s).toFixed(2)}`);
}
