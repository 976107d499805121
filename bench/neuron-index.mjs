// `neurons index` vs the `neurons` LAPE job on the same corpus (issue #17: index throughput within
// 1.2× of LAPE, memory flat in corpus size). Each job is a whole CLI process under /usr/bin/time -v
// (peak RSS), default model, 2 threads, alternating LAPE and index runs so machine load hits both
// alike. Corpus: UDHR paragraphs of 8 languages (1×) and the same corpus ten times (10×).
// Usage: npm run build && node bench/neuron-index.mjs [--threads 2] [--top 20] [--repeat 2] [--scales 1x,10x] [--jobs lape,index] [--work /tmp/bench-neuron]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({ options: { threads: { type: 'string', default: '2' }, top: { type: 'string', default: '20' }, repeat: { type: 'string', default: '2' }, work: { type: 'string', default: '/tmp/bench-neuron' }, scales: { type: 'string', default: '1x,10x' }, jobs: { type: 'string', default: 'lape,index' } } });
const scales = a.scales.split(',');
const jobs = a.jobs.split(',');
mkdirSync(a.work, { recursive: true });
const LANGS = ['en', 'fr', 'de', 'es', 'ru', 'ja', 'zh', 'ar'];

function timed(label, args) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, 'bin/polyglot-lens', ...args, '--threads', a.threads], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(-800)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop());
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)[1]) / 1024;
  const tokens = typeof json.tokens === 'object' ? Object.values(json.tokens).reduce((x, y) => x + y, 0) : json.tokens;
  const row = { label, tokens, seconds: json.seconds, tok_s: json.tokensPerSecond, peak_rss_mb: Math.round(rss) };
  console.error(JSON.stringify(row));
  return row;
}

const rows = [];
for (const [scale, copies] of [['1x', 1], ['10x', 10]].filter(([s]) => scales.includes(s))) {
  const corpus = join(a.work, `udhr-${scale}.jsonl`);
  execFileSync(process.execPath, ['--import', 'tsx', '-e', `
    const { udhrParagraphs } = require('./src/engine/corpus/udhr');
    const lines = [];
    for (let c = 0; c < ${copies}; c++) for (const lang of ${JSON.stringify(LANGS)}) for (const p of udhrParagraphs(lang)) lines.push(JSON.stringify({ lang, text: p.text }));
    require('node:fs').writeFileSync(${JSON.stringify(corpus)}, lines.join('\\n') + '\\n');
  `]);
  for (let i = 0; i < Number(a.repeat); i++) {
    const lapeOut = join(a.work, `lape-${scale}`);
    const idxOut = join(a.work, `index-${scale}`);
    rmSync(lapeOut, { recursive: true, force: true });
    rmSync(idxOut, { recursive: true, force: true });
    if (jobs.includes('lape')) rows.push({ scale, job: 'neurons (LAPE)', ...timed(`LAPE ${scale} #${i}`, ['neurons', '--corpus', corpus, '--out', lapeOut]) });
    if (jobs.includes('index')) rows.push({ scale, job: `neurons index --top ${a.top}`, ...timed(`index ${scale} #${i}`, ['neurons', 'index', '--corpus', corpus, '--top', a.top, '--out', idxOut]) });
  }
}
writeFileSync(join(a.work, 'results.json'), JSON.stringify(rows, null, 1));
console.log('| corpus | job | tokens | job s | tok/s | peak RSS MB |\n|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.scale} | ${r.job} | ${r.tokens} | ${r.seconds} | ${r.tok_s} | ${r.peak_rss_mb} |`);
for (const scale of scales) {
  const best = (job) => Math.max(...rows.filter((r) => r.scale === scale && r.job.startsWith(job)).map((r) => r.tok_s));
  if (jobs.length === 2) console.log(`${scale}: LAPE tok/s ÷ index tok/s (best of ${a.repeat}) = ${(best('neurons (LAPE)') / best('neurons index')).toFixed(2)}`);
}
