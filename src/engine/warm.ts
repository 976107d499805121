/**
 * Warm-up: creates the sessions a prompt's Analyze will run (the analysis forward and the
 * generation step, for its deactivation) and runs each once on one token, so the first Analyze
 * after a prompt opens finds them built and their arenas allocated. The sessions are the model's
 * own (LoadedModel keys them by plan), so a warmed Analyze runs exactly what a cold one would.
 * A pruned variant is warmed only when the model holds it: making one is a job of its own.
 */
import type { NeuronMask } from './api';
import { analysisPlan } from './analyze';
import { emptyPast, greedyGenerate } from './generate';
import type { LoadedModel, Variant } from './model/model';
import { throwIfAborted } from './errors';

export interface WarmResult {
  /** Wall time of the warm-up (ms). */
  ms: number;
}

export async function warmAnalysis(model: LoadedModel, deactivate: NeuronMask | undefined, variant: Variant | undefined, signal?: AbortSignal): Promise<WarmResult> {
  const started = performance.now();
  // Any id of the vocabulary runs the same graphs; BOS where there is one.
  const ids = [model.tokenizer.bosId ?? 0];
  throwIfAborted(signal);
  // The plan the editor's Analyze runs (engine/analyze asks for the KV cache, the continuation's start).
  await model.run([ids], analysisPlan(model, deactivate, variant, [], true), { deactivate, variant, past: { length: 0, tensors: emptyPast(model) } });
  throwIfAborted(signal);
  // One step of the KV-cache graph: the plan and shapes a continuation starts with.
  await greedyGenerate(model, ids, { maxNewTokens: 1, deactivate, variant, signal, stopIds: [] });
  return { ms: performance.now() - started };
}
