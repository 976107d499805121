// `lens fit` streams its corpus (docs/performance.md "Latent-language lens"): the same fit on a
// corpus and on the corpus repeated N times, each `polyglot-lens lens fit` in its own process under
// GNU time, so the peak RSS is that process's. Flat memory means the peak does not grow with N
// (what grows is the positions read, hence the seconds). Take the heavy-job lock:
// flock LOCKFILE node bench/lens-fit.mjs …
// The last line says `growthMiB`: the largest corpus's peak minus the first's.
// Usage: node bench/lens-fit.mjs [--model models/default] [--corpus examples/eval/toyworld/dev.jsonl] [--times 1,4,16]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const model = arg('model', 'models/default');
const corpus = arg('corpus', 'examples/eval/toyworld/dev.jsonl');
const times = arg('times', '1,4,16').split(',').map(Number);
const tmp = mkdtempSync(join(tmpdir(), 'pl-lens-fit-bench-'));
const text = readFileSync(corpus, 'utf8');
const peaks = [];
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
console.log(JSON.stringify({ start: new Date().toISOString(), loadAvg: load(), model, corpus }));
try {
  for (const n of times) {
    const file = join(tmp, `corpus-${n}.jsonl`);
    writeFileSync(file, text.repeat(n));
    const out = join(tmp, `fit-${n}`);
    const r = spawnSync('/usr/bin/time', ['-f', '%M %e %U', process.execPath, 'bin/polyglot-lens', 'lens', 'fit', '--model', model, '--corpus', file, '--out', out], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`lens fit ×${n}: ${r.stderr}`);
    const [maxKiB, wall, user] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    const fit = JSON.parse(r.stdout.trim().split('\n').at(-1));
    peaks.push({ times: n, positions: fit.positions, peakRssMiB: Math.round(maxKiB / 1024) });
    console.log(JSON.stringify({ times: n, lines: text.split('\n').filter(Boolean).length * n, positions: fit.positions, peakRssMiB: Math.round(maxKiB / 1024), wallS: wall, userS: user, loadAvg: load() }));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
// Flat memory: the largest corpus peaks within a few MiB of the smallest.
console.log(JSON.stringify({ end: new Date().toISOString(), loadAvg: load(), peaks, growthMiB: peaks.at(-1).peakRssMiB - peaks[0].peakRssMiB, node: execFileSync(process.execPath, ['--version'], { encoding: 'utf8' }).trim() }));
