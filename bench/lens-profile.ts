/**
 * Where the lens section of Analyze spends its time, in one process on the default model (docs/performance.md,
 * "Latent-language lens"): per iteration Analyze alone, Analyze capturing the lens's residual streams
 * (its forward and continuation timed apart), then the lens section on that capture. Prints the
 * medians in ms (the first two iterations left out) and the load average.
 * `cold` empties the lens's row store (lens/rowCache.ts) before each lens section.
 * Usage: node --import tsx bench/lens-profile.ts [ITERATIONS=30] [warm|cold]
 */
import * as os from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../src/engine/model/model';
import { analyzeActivations, type AnalyzeTiming } from '../src/engine/analyze';
import { lensFromCapture } from '../src/engine/lens/run';
import { lensHooks } from '../src/engine/hooks';
import { resolveProfile } from '../src/engine/lens/profile';
import { defaultCacheDir } from '../src/engine/paths';
import { lensRowCache } from '../src/engine/lens/rowCache';
import type { TensorData } from '../src/engine/api';

const model = LoadedModel.load(join(__dirname, '..', 'models', 'default'), { threads: 2 });
const text = 'French: Le petit chat voit le grand chien.</s>English:';
async function main(): Promise<void> {
  const profile = await resolveProfile(model, `udhr:${model.info.languages.join(',')}`, defaultCacheDir());
  const rows: Record<string, number[]> = { plainTotal: [], plainFwd: [], plainCont: [], capTotal: [], capFwd: [], capCont: [], lens: [] };
  const N = Number(process.argv[2] ?? 30);
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const tp: AnalyzeTiming = {};
    await analyzeActivations(model, { text, topK: 8, maxNewTokens: 16 }, {}, undefined, tp);
    rows.plainTotal.push(performance.now() - t); rows.plainFwd.push(tp.forwardMs!); rows.plainCont.push(tp.continuationMs!);
    t = performance.now();
    const tc: AnalyzeTiming = {};
    let fwd: { ids: number[]; out: Record<string, TensorData> } | undefined;
    const a = await analyzeActivations(model, { text, topK: 8, maxNewTokens: 16, extraCapture: lensHooks(model.cfg.nLayers) }, {}, (ids, out) => (fwd = { ids, out }), tc);
    rows.capTotal.push(performance.now() - t); rows.capFwd.push(tc.forwardMs!); rows.capCont.push(tc.continuationMs!);
    if (process.argv[3] === 'cold') lensRowCache(model).clear();
    t = performance.now();
    await lensFromCapture(model, text, fwd!.ids, fwd!.out, { k: 10, profile, tokens: a.tokens });
    rows.lens.push(performance.now() - t);
  }
  const med = (xs: number[]) => { const s = xs.slice(2).sort((a, b) => a - b); return Number(s[s.length >> 1]!.toFixed(2)); };
  const o: Record<string, number> = {};
  for (const [k, v] of Object.entries(rows)) o[k] = med(v);
  console.log(JSON.stringify({ rowCache: process.argv[3] ?? 'warm', load: os.loadavg()[0], ...o }));
  await model.dispose();
}
void main();
