/**
 * What the engine process does for each request method. State: the one loaded model (with its
 * pruning variants). Plain functions of (state, params, job options), so tests can call them
 * without a process.
 */
import type { JobOptions } from '../api';
import { analyzeActivations } from '../analyze';
import { GraphCache } from '../cache';
import { captureHooks } from '../capture';
import { UserError } from '../errors';
import { greedyGenerate } from '../generate';
import { LoadedModel } from '../model/model';
import { defaultModelDir } from '../paths';
import type { EngineMethod, EngineMethods } from './protocol';

export interface EngineState {
  model?: LoadedModel;
  threads: number;
  cacheDir: string;
  log(line: string): void;
}

type Handler<M extends EngineMethod> = (s: EngineState, p: EngineMethods[M]['params'], o: JobOptions) => Promise<EngineMethods[M]['result']>;

function requireModel(s: EngineState): LoadedModel {
  if (!s.model) throw new UserError('model', 'no model loaded (select one first)');
  return s.model;
}

function variantOf(m: LoadedModel, name: string | undefined) {
  if (name === undefined) return undefined;
  const v = m.variants.get(name);
  if (!v) throw new UserError('variant', `no pruning variant named ${JSON.stringify(name)}`);
  return v;
}

export const HANDLERS: { [M in EngineMethod]: Handler<M> } = {
  async 'engine/load'(s, p) {
    const dir = p.dir ?? defaultModelDir();
    if (s.model?.ckpt.dir === dir) return s.model.info;
    const started = Date.now();
    const m = LoadedModel.load(dir, { threads: s.threads, cacheDir: s.cacheDir });
    await s.model?.dispose();
    s.model = m;
    s.log(`loaded ${dir} (${m.info.parameterCount.toLocaleString('en')} parameters) in ${Date.now() - started} ms`);
    return m.info;
  },
  async 'engine/tokenize'(s, p) {
    const m = requireModel(s);
    const ids = m.tokenizer.encode(p.text);
    return { ids, offsets: m.tokenizer.offsets(p.text, ids) };
  },
  async 'engine/generate'(s, p, o) {
    const m = requireModel(s);
    return greedyGenerate(m, p.ids, { ...o, maxNewTokens: p.maxNewTokens, stopIds: p.stopIds, deactivate: p.deactivate, variant: variantOf(m, p.variant) });
  },
  async 'engine/analyze'(s, p, o) {
    const m = requireModel(s);
    const started = Date.now();
    const r = await analyzeActivations(m, { ...p, variant: variantOf(m, p.variant) }, o);
    s.log(`analyzed ${r.tokens.length} tokens in ${Date.now() - started} ms`);
    return r;
  },
  async 'engine/capture'(s, p, o) {
    const m = requireModel(s);
    return captureHooks(m, { ...p, variant: variantOf(m, p.variant) }, o);
  },
  async 'engine/clearCache'(s) {
    GraphCache.clear(s.cacheDir);
    return { cleared: s.cacheDir };
  },
};
