/**
 * What the engine process does for each request method. State: the one loaded model (with its
 * pruning variants) and the session's LAPE results (state.ts). Plain functions of (state, params,
 * job options), so tests can call them without a process.
 */
import { analyzeActivations, type AnalyzeTiming } from '../analyze';
import { warmAnalysis } from '../warm';
import { GraphCache } from '../cache';
import { captureHooks } from '../capture';
import { generationStart, greedyGenerate } from '../generate';
import { presentOutput } from '../model/plan';
import { LoadedModel } from '../model/model';
import { defaultModelDir } from '../paths';
import type { Handler } from './handlerTypes';
import type { EngineMethod } from './protocol';
import { PRUNE_HANDLERS } from './pruneHandlers';
import { continuationFor, deactivationKey, requireModel, resolveDeactivation, variantFor } from './state';
import { STUDY_HANDLERS } from './studyHandlers';
import { NEURON_HANDLERS } from './neuronHandlers';
import { forwardKey, PromptForward } from '../neuron/forward';
import { STUDIES_HANDLERS } from './studiesHandlers';
import { EVAL_HANDLERS } from './evalHandlers';
import { PLAN_HANDLERS } from './planHandlers';
import { LENS_HANDLERS } from './lensHandlers';

export type { EngineState } from './state';

const ENGINE_HANDLERS = {
  async 'engine/load'(s, p) {
    const dir = p.dir ?? defaultModelDir();
    if (s.model?.ckpt.dir === dir) return s.model.info;
    const started = Date.now();
    const m = LoadedModel.load(dir, { threads: s.threads, cacheDir: s.cacheDir, executionProvider: s.executionProvider, weights: s.weights, onNotice: (line) => s.log(`note: ${line}`) });
    await s.model?.dispose();
    s.model = m;
    // The last analysis's KV cache belongs to the model just unloaded.
    s.continuation = undefined;
    s.log(`loaded ${dir} (${m.info.parameterCount.toLocaleString('en')} parameters) in ${Date.now() - started} ms; weights ${m.info.runtime.weights} (${m.info.runtime.weightsReason}); execution provider ${m.info.runtime.executionProvider}`);
    return m.info;
  },
  async 'engine/tokenize'(s, p) {
    const m = requireModel(s);
    const ids = m.encodeInput(p.text, 'prompt');
    return { ids, offsets: m.tokenizer.offsets(p.text, ids) };
  },
  async 'engine/generate'(s, p, o) {
    const m = requireModel(s);
    const deactivate = resolveDeactivation(s, m, p.deactivate);
    const variant = await variantFor(s, m, p.variant, o);
    // The editor asks for the continuation right after the analysis of the same prompt: its forward was the prefill.
    const start = continuationFor(s, m, variant, deactivate);
    return greedyGenerate(m, p.ids, { ...o, maxNewTokens: p.maxNewTokens, stopIds: p.stopIds, deactivate, variant, ...(start ? { start } : {}) });
  },
  async 'engine/analyze'(s, p, o) {
    const m = requireModel(s);
    const started = Date.now();
    const deactivate = resolveDeactivation(s, m, p.deactivate);
    const timing: AnalyzeTiming = {};
    const variant = await variantFor(s, m, p.variant, o);
    s.continuation = undefined;
    const r = await analyzeActivations(m, { ...p, deactivate, variant, withKvCache: true }, o, (ids, out) => {
      s.forward = PromptForward.fromCapture(forwardKey(m, p.text, deactivate, p.variant), ids, m.cfg.dMlp, m.cfg.nLayers, out);
      if (out.logits && out[presentOutput(0, 'k')]) s.continuation = { model: m, variant, deactivate: deactivationKey(deactivate), start: generationStart(m, ids, out) };
    }, timing);
    const ms = (v: number | undefined): string => (v ?? 0).toFixed(0);
    s.log(`analyzed ${r.tokens.length} tokens${p.variant ? ` with ${p.variant}` : ''} in ${Date.now() - started} ms (forward ${ms(timing.forwardMs)}, top-k ${ms(timing.topKMs)}, continuation of ${r.generated.ids.length} ${ms(timing.continuationMs)})`);
    return r;
  },
  async 'engine/warm'(s, p, o) {
    const m = requireModel(s);
    const variant = p.variant === undefined ? undefined : m.variants.get(p.variant);
    if (p.variant !== undefined && !variant) return { ms: 0, warmed: false };
    const r = await warmAnalysis(m, resolveDeactivation(s, m, p.deactivate), variant, o.signal);
    s.log(`warmed the analysis of ${m.name}${p.variant ? ` with ${p.variant}` : ''} in ${r.ms.toFixed(0)} ms`);
    return { ms: r.ms, warmed: true };
  },
  async 'engine/capture'(s, p, o) {
    const m = requireModel(s);
    return captureHooks(m, { ...p, variant: await variantFor(s, m, p.variant, o) }, o);
  },
  async 'engine/clearCache'(s) {
    GraphCache.clear(s.cacheDir);
    return { cleared: s.cacheDir };
  },
} satisfies { [M in 'engine/load' | 'engine/tokenize' | 'engine/generate' | 'engine/analyze' | 'engine/warm' | 'engine/capture' | 'engine/clearCache']: Handler<M> };

export const HANDLERS: { [M in EngineMethod]: Handler<M> } = { ...ENGINE_HANDLERS, ...PRUNE_HANDLERS, ...STUDY_HANDLERS, ...STUDIES_HANDLERS, ...NEURON_HANDLERS, ...EVAL_HANDLERS, ...LENS_HANDLERS, ...PLAN_HANDLERS };
