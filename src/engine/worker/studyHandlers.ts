/**
 * lape/run and features/run: the corpus-level analyses behind the Language neurons and
 * Translation features panels. LAPE results stay cached in the process (state.ts) so hovers and
 * `polyglot.deactivate: fr` can use them without reading the corpus again.
 */
import { openCorpus } from '../corpus/open';
import { runFeatures } from '../features/features';
import { runLape } from '../lape/lape';
import type { Handler } from './handlerTypes';
import { lapeCacheKey, lastLapeOf, requireModel, type CachedLape, type EngineState } from './state';
import { join, resolve } from 'node:path';
import { readSafetensorsMetadata } from '../checkpoint/safetensors';
import { UserError } from '../errors';
import { planOutput, writeOutputFolder } from '../io/outputs';
import { readLapeFolder, writeLapeFolder } from '../lape/files';
import type { LoadedModel } from '../model/model';

/** LAPE results kept per process: a few corpora per session; each is O(languages × layers × d_mlp) floats. */
const MAX_CACHED_LAPE = 4;

/** Keeps a LAPE result as the model's latest (what hovers and `{ language }` deactivation use). */
function remember(s: EngineState, m: LoadedModel, key: string, result: CachedLape): void {
  const cache = (s.lape ??= new Map<string, CachedLape>());
  cache.delete(key);
  cache.set(key, result);
  while (cache.size > MAX_CACHED_LAPE) cache.delete(cache.keys().next().value!);
  (s.lastLape ??= new Map<string, string>()).set(m.ckpt.dir, key);
}

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
  const result: CachedLape = { ...run.result, tokenCounts: run.tokenCounts, entropyThreshold: run.entropyThreshold, maxLength: run.maxLength, corpus: run.corpus };
  remember(s, m, key, result);
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

/**
 * lape/open: a saved LAPE folder (Save Language Neurons Folder…, `neurons`, `import-lape`) becomes
 * the loaded model's language neurons, as if found here: the Neuron panel, hovers and
 * `polyglot.deactivate: fr` use it. Statistics for another shape of model are refused.
 */
const lapeOpen: Handler<'lape/open'> = async (s, p) => {
  const m = requireModel(s);
  const r = readLapeFolder(p.dir, m.name);
  if (r.nLayers !== m.cfg.nLayers || r.dMlp !== m.cfg.dMlp) {
    throw new UserError(p.dir, `language neurons of a ${r.nLayers}-layer model with ${r.dMlp} MLP neurons; ${m.name} has ${m.cfg.nLayers} layers × ${m.cfg.dMlp}`);
  }
  const meta = readSafetensorsMetadata(join(p.dir, 'neuron-stats.safetensors')) ?? {};
  const result: CachedLape = { ...r, maxLength: Number(meta.max_length) || 0, corpus: meta.corpus ?? p.dir };
  remember(s, m, JSON.stringify([m.ckpt.dir, 'folder', resolve(p.dir)]), result);
  s.log(`LAPE from ${p.dir}: ${result.languages.join(', ')}`);
  return { ...result, cached: false };
};

/** lape/save: the loaded model's last language neurons as a LAPE folder, through the output policy (never into a model folder; only an earlier output of ours is replaced). */
const lapeSave: Handler<'lape/save'> = async (s, p) => {
  const m = requireModel(s);
  const r = lastLapeOf(s, m);
  if (!r) throw new UserError('Save Language Neurons', `no language neurons of ${m.name} yet: run Find Language Neurons first`);
  const target = planOutput(p.outDir, { kind: 'folder', overwrite: p.overwrite ?? false, model: m.ckpt.dir, tool: 'Polyglot Lens (editor)' });
  const { tokenCounts, entropyThreshold, maxLength, corpus } = r;
  await writeOutputFolder(target, (tmp) => writeLapeFolder(tmp, { result: r, tokenCounts, entropyThreshold, maxLength, corpus }, { tool: 'Polyglot Lens: Save Language Neurons Folder…' }));
  s.log(`saved language neurons (${corpus}) to ${target.path}`);
  return { outDir: target.path, languages: r.languages, corpus };
};

export const STUDY_HANDLERS = { 'lape/run': lape, 'lape/open': lapeOpen, 'lape/save': lapeSave, 'features/run': features };
