/**
 * One lens measurement in its own process (peak RSS is its own), for docs/performance.md
 * "Latent-language lens": `analyze` (Analyze Activations as `polyglot-lens analyze` runs it: top-8
 * neurons per cell and `--new-tokens` greedy tokens), `analyze-lens` (the same plus the lens section
 * analyze's report now carries: the residual streams captured in the same forward, then the lens
 * head over every layer), or `lens` (`polyglot-lens lens` alone: a forward to the last block, then
 * the lens head). Each job runs `--repeat` times on the loaded model and prints one JSON line: the
 * wall seconds of every repeat, load seconds, peak RSS, weights mode, load average, and the lens's
 * top-1 token per layer at the last position (to check against the PyTorch lens). `pair` alternates
 * the first two on one loaded model (below).
 * `heads` rotates Analyze, Analyze + lens with the fused head and with the separate head on one
 * loaded model (below). `--head separate` runs the lens head as its own graph over the captured residual streams (as
 * before issue #24's fusion) instead of inside the forward (`fused`, the default where the weights
 * are resident).
 * Usage: node --import tsx bench/lens-job.ts --model DIR --job analyze|analyze-lens|lens|pair|heads [--text T | --tokens N]
 *        [--new-tokens 16] [--repeat 3] [--weights auto] [--threads 2] [--languages SPEC] [--versus analyze-lens|lens] [--row-cache warm|cold]
 *        [--head fused|separate]
 */
import * as os from 'node:os';
import { LoadedModel } from '../src/engine/model/model';
import { analyzeActivations } from '../src/engine/analyze';
import { runLens } from '../src/engine/lens/run';
import { analyzeWithLens as analyzeWithLensSection } from '../src/engine/lens/analyzeWithLens';
import { resolveProfile } from '../src/engine/lens/profile';
import { lensRowCache } from '../src/engine/lens/rowCache';
import { parseWeightsMode } from '../src/engine/model/weights';
import { defaultCacheDir } from '../src/engine/paths';
import type { LatentLanguageResult } from '../src/shared/lens';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1]!;
};
const job = arg('job', 'analyze');
const load0 = os.loadavg()[0]!;
const t0 = performance.now();
const model = LoadedModel.load(arg('model', ''), { threads: Number(arg('threads', '2')), weights: parseWeightsMode(arg('weights', 'auto')) });
const loadS = (performance.now() - t0) / 1000;
// --tokens N: a text of N byte-level tokens (BOS + N−1 letters) for byte tokenizers; else --text.
const tokens = Number(arg('tokens', '0'));
let fuse = arg('head', 'fused') !== 'separate';
const text = tokens > 0 ? 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(tokens / 40)).slice(0, tokens - 1) : arg('text', 'French: Le petit chat voit le grand chien.</s>English:');

async function main(): Promise<void> {
  const spec = arg('languages', model.info.languages.length ? `udhr:${model.info.languages.join(',')}` : 'none');
  // The profile is built once and cached (not part of a run's time): load it before timing.
  const profile = spec === 'none' ? undefined : await resolveProfile(model, spec, defaultCacheDir());
  const newTokens = Number(arg('new-tokens', job === 'lens' ? '0' : '16'));
  if (job === 'pair') return pair(profile, newTokens);
  if (job === 'heads') return heads(profile, newTokens);
  const seconds: number[] = [];
  let last: LatentLanguageResult | undefined;
  let nTokens = 0;
  for (let r = 0; r < Number(arg('repeat', '3')); r++) {
    const t = performance.now();
    if (job === 'lens') {
      last = await runLens(model, { text, k: 10, profile, fuse });
      nTokens = last.tokens.length;
    } else {
      const a = await analyzeWithLens(job === 'analyze-lens', profile, newTokens);
      nTokens = a.tokens;
      last = a.lens;
    }
    seconds.push((performance.now() - t) / 1000);
  }
  const top1 = last ? Array.from({ length: last.layers }, (_, l) => last!.lenses[0]!.topIds[(l * last!.tokens.length + last!.tokens.length - 1) * last!.k]) : undefined;
  process.stdout.write(`${JSON.stringify({
    job,
    model: model.name,
    tokens: nTokens,
    newTokens,
    weights: model.info.runtime.weights,
    loadS: Number(loadS.toFixed(2)),
    seconds: seconds.map((s) => Number(s.toFixed(3))),
    peakRssGiB: Number((process.resourceUsage().maxRSS / 1024 ** 2).toFixed(2)),
    loadAvg: [Number(load0.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))],
    ...(top1 ? { top1 } : {}),
  })}\n`);
  await model.dispose();
}

/** Which head the last Analyze + lens ran (the fused one only where it fits: lens/run.ts prepareLens). */
let lastHead: 'fused' | 'separate' | undefined;

/** Analyze, with its lens section as `polyglot-lens analyze` makes it (engine/lens/analyzeWithLens.ts) when `lens`. */
async function analyzeWithLens(lens: boolean, profile: Awaited<ReturnType<typeof resolveProfile>> | undefined, newTokens: number): Promise<{ tokens: number; lens?: LatentLanguageResult }> {
  const req = { text, topK: 8, maxNewTokens: newTokens };
  if (!lens) return { tokens: (await analyzeActivations(model, req)).tokens.length };
  const a = await analyzeWithLensSection(model, req, { k: 10, profile, fuse });
  lastHead = a.fused ? 'fused' : 'separate';
  return { tokens: a.analysis.tokens.length, lens: a.lens };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

/**
 * `pair`: Analyze and Analyze + lens section alternated on the one loaded model, `--repeat` times
 * each, in alternating order (the first pair builds the sessions and is left out): load changes hit both alike, so the
 * median of the per-pair ratios is the lens's cost even on a shared machine. `--versus lens` pairs
 * Analyze with the lens alone (`polyglot-lens lens`) instead.
 */
async function pair(profile: Awaited<ReturnType<typeof resolveProfile>> | undefined, newTokens: number): Promise<void> {
  // --versus analyze-lens (default): Analyze with its lens section; --versus lens: `polyglot-lens lens` alone.
  const versus = arg('versus', 'analyze-lens');
  const plain: number[] = [];
  const withLens: number[] = [];
  // CPU seconds (user + system, every thread) beside the wall seconds: other processes' load stretches
  // the wall time of a two-thread section more than the CPU time it costs.
  const plainCpu: number[] = [];
  const withLensCpu: number[] = [];
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const runPlain = async (): Promise<void> => {
    const t = performance.now();
    const c = cpu();
    await analyzeActivations(model, { text, topK: 8, maxNewTokens: newTokens }, {});
    plain.push((performance.now() - t) / 1000);
    plainCpu.push(cpu() - c);
  };
  // --row-cache cold: the lens starts every run with an empty row store (rowCache.ts), as a first prompt in a fresh process does.
  const cold = arg('row-cache', 'warm') === 'cold';
  const runWithLens = async (): Promise<void> => {
    if (cold) lensRowCache(model).clear();
    const t = performance.now();
    const c = cpu();
    if (versus === 'lens') {
      await runLens(model, { text, k: 10, profile, fuse });
    } else {
      await analyzeWithLens(true, profile, newTokens);
    }
    withLens.push((performance.now() - t) / 1000);
    withLensCpu.push(cpu() - c);
  };
  // Order alternates (AB BA …) so neither job always follows the other (garbage, caches).
  for (let r = 0; r < Number(arg('repeat', '3')); r++) {
    if (r % 2 === 0) {
      await runPlain();
      await runWithLens();
    } else {
      await runWithLens();
      await runPlain();
    }
  }
  const warm = (xs: number[]): number[] => xs.slice(1);
  process.stdout.write(`${JSON.stringify({
    job: 'pair',
    versus,
    head: versus === 'lens' ? (fuse && model.fusesLensHead ? 'fused' : 'separate') : lastHead,
    rowCache: cold ? 'cold' : 'warm',
    model: model.name,
    newTokens,
    weights: model.info.runtime.weights,
    pairs: plain.length - 1,
    analyzeMedianS: Number(median(warm(plain)).toFixed(4)),
    versusMedianS: Number(median(warm(withLens)).toFixed(4)),
    ratioMedian: Number(median(warm(withLens).map((x, i) => x / warm(plain)[i]!)).toFixed(3)),
    cpuRatioMedian: Number(median(warm(withLensCpu).map((x, i) => x / warm(plainCpu)[i]!)).toFixed(3)),
    // Every counted pair's seconds [Analyze, the other], so a pair hit by a load change shows.
    pairSeconds: warm(plain).map((x, i) => [Number(x.toFixed(3)), Number(warm(withLens)[i]!.toFixed(3))]),
    peakRssGiB: Number((process.resourceUsage().maxRSS / 1024 ** 2).toFixed(2)),
    loadAvg: [Number(load0.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))],
  })}\n`);
  await model.dispose();
}

/**
 * `heads`: Analyze alone, Analyze + lens section with the head fused into its forward, and with the
 * head as its own graph (how it ran before), `--repeat` rounds on the one loaded model in a rotating
 * order (the first round builds the sessions and is left out); per round the ratio of each lens
 * variant to that round's Analyze, and their medians. `--row-cache cold` empties the separate head's
 * row store (rowCache.ts) before each of its runs (the fused head keeps none).
 */
async function heads(profile: Awaited<ReturnType<typeof resolveProfile>> | undefined, newTokens: number): Promise<void> {
  const cold = arg('row-cache', 'warm') === 'cold';
  const names = ['analyze', 'fused', 'separate'] as const;
  const seconds: Record<(typeof names)[number], number[]> = { analyze: [], fused: [], separate: [] };
  for (let r = 0; r < Number(arg('repeat', '3')); r++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(j + r) % names.length]!;
      fuse = n === 'fused';
      if (n === 'separate' && cold) lensRowCache(model).clear();
      const t = performance.now();
      await analyzeWithLens(n !== 'analyze', profile, newTokens);
      seconds[n].push((performance.now() - t) / 1000);
    }
  }
  const counted = (xs: number[]): number[] => xs.slice(1);
  const ratio = (n: 'fused' | 'separate'): number => Number(median(counted(seconds[n]).map((x, i) => x / counted(seconds.analyze)[i]!)).toFixed(3));
  process.stdout.write(`${JSON.stringify({
    job: 'heads',
    rowCache: cold ? 'cold' : 'warm',
    model: model.name,
    fuses: model.fusesLensHead,
    newTokens,
    rounds: seconds.analyze.length - 1,
    medianS: Object.fromEntries(names.map((n) => [n, Number(median(counted(seconds[n])).toFixed(4))])),
    ratioMedian: { fused: ratio('fused'), separate: ratio('separate') },
    loadAvg: [Number(load0.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))],
  })}\n`);
  await model.dispose();
}

void main();
