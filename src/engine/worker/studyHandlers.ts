/**
 * lape/run and features/run: the corpus-level analyses behind the Language neurons and
 * Translation features panels. LAPE results stay cached in the process (state.ts) so hovers and
 * `polyglot.deactivate: fr` can use them without reading the corpus again.
 */
import { openCorpus } from '../corpus/open';
import { runFeatures } from '../features/features';
import { runLape } from '../lape/lape';
import type { Handler } from './handlerTypes';
import { lapeCacheKey, requireModel, type CachedLape } from './state';

/** LAPE results kept per process: a few corpora per session; each is O(languages × layers × d_mlp) floats. */
const MAX_CACHED_LAPE = 4;

const lape: Handler<'lape/run'> = async (s, p, o) => {
  const m = requireModel(s);
  const key = lapeCacheKey(m, p);
  const cache = (s.lape ??= new Map<string, CachedLape>());
  const last = (s.lastLape ??= new Map<string, string>());
  const hit = cache.get(key);
  if (hit) {
    last.set(m.ckpt.dir, key);
    return { ...hit, cached: true };
  }
  const started = Date.now();
  const run = await runLape(m, openCorpus(p.corpus, p.cwd), { ...o, languages: p.languages, maxTokensPerLang: p.maxTokensPerLang, maxLength: p.maxLength });
  const result: CachedLape = { ...run.result, tokenCounts: run.tokenCounts };
  cache.set(key, result);
  while (cache.size > MAX_CACHED_LAPE) cache.delete(cache.keys().next().value!);
  last.set(m.ckpt.dir, key);
  const selected = result.neurons.map((layers) => layers.reduce((n, js) => n + js.length, 0));
  s.log(`LAPE on ${p.corpus}: ${result.languages.map((l, i) => `${l} ${selected[i]}`).join(', ')} neurons in ${Date.now() - started} ms`);
  return { ...result, cached: false };
};

const features: Handler<'features/run'> = async (s, p, o) => {
  const m = requireModel(s);
  const requests = p.calibrations.map((c) => ({ name: c.name, source: c.source }));
  const run = await runFeatures(m, requests, { ...o, sequences: p.sequences, length: p.length, shots: p.shots, seed: p.seed, cwd: p.cwd });
  return run.analysis;
};

export const STUDY_HANDLERS = { 'lape/run': lape, 'features/run': features };
