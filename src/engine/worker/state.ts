/**
 * The engine process's state and the lookups every handler shares: the loaded model (its pruning
 * variants live on it), and the LAPE results of this session, which hovers and deactivation by
 * language read back without rerunning the corpus.
 */
import type { JobOptions, NeuronMask } from '../api';
import type { PruneSettings } from '../pruning/fromSources';
import { pruneFromSources } from '../pruning/fromSources';
import type { Variant } from '../model/model';
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { LapeResult } from '../../shared/lape';
import type { Deactivation, LapeRunParams } from './protocol';
import type { PromptForward } from '../neuron/forward';
import type { GenerationStart } from '../generate';
import type { NeuronIndexFile } from '../neuron/indexFiles';
import type { IndexState } from '../../shared/neuron';
import { SubjectLoader } from '../eval/subjects';

/** A LAPE result as kept (and returned to the host), with what Save Language Neurons Folder… writes besides. */
export type CachedLape = LapeResult & { tokenCounts: number[]; entropyThreshold: number | null; maxLength: number; corpus: string };

export interface EngineState {
  model?: LoadedModel;
  threads: number;
  cacheDir: string;
  executionProvider?: 'cpu' | 'cuda';
  weights?: 'auto' | 'resident' | 'streaming' | 'mapped';
  log(line: string): void;
  /** LAPE results by lapeKey(model dir, corpus, limits); one per corpus is plenty for an editor session. */
  lape?: Map<string, CachedLape>;
  /** Model dir → the key of its most recent LAPE run (what `{ language }` deactivation uses). */
  lastLape?: Map<string, string>;
  /** The last analysed prompt's hook_post, all layers (neuron hovers read columns from it). */
  forward?: PromptForward;
  /**
   * The last analysis's KV cache and last-position logits: the editor's continuation of the same
   * prompt (engine/generate with its ids, deactivation and variant) starts from them.
   */
  continuation?: { model: LoadedModel; variant: Variant | undefined; deactivate: string; start: GenerationStart };
  /**
   * How each variant was made, by model folder: loading another model unloads the variants (their
   * masks live on the model), and the next request that names one re-creates it from this.
   */
  recipes?: Map<string, Map<string, PruneSettings>>;
  /** The neuron index folder last asked for, opened once, and whether it fits the loaded model. */
  neuronIndex?: { dir: string; modelDir: string; file?: NeuronIndexFile; state: IndexState };
}

export function requireModel(s: EngineState): LoadedModel {
  if (!s.model) throw new UserError('model', 'no model loaded (select one first)');
  return s.model;
}

/**
 * A loader for a job's model entries with the engine's settings, relative paths resolved from
 * `cwd`; the loaded model is lent to it, so an entry naming its folder (or a variant on it) does
 * not load the checkpoint again.
 */
export function subjectLoaderFor(s: EngineState, cwd: string, seed?: number): SubjectLoader {
  const loader = new SubjectLoader({ threads: s.threads, cacheDir: s.cacheDir, executionProvider: s.executionProvider, weights: s.weights, cwd, seed, onWarning: (m) => s.log(`warning: ${m}`) });
  if (s.model) loader.adopt(s.model);
  return loader;
}

/** Remembers how `name` was made on model `dir`, so it can be re-created after the model is unloaded. */
export function rememberRecipe(s: EngineState, dir: string, name: string, settings: PruneSettings): void {
  let m = s.recipes?.get(dir);
  if (!m) (s.recipes ??= new Map()).set(dir, (m = new Map()));
  m.set(name, settings);
}

/**
 * The variant a request names: held by the model, or re-created from its recipe when the model
 * was unloaded since (another model ran in between, in queue order). A name never made on this
 * model is an error that says which variants the model has.
 */
export async function variantFor(s: EngineState, m: LoadedModel, name: string | undefined, o: JobOptions = {}): Promise<Variant | undefined> {
  if (name === undefined) return undefined;
  const v = m.variants.get(name);
  if (v) return v;
  const recipe = s.recipes?.get(m.ckpt.dir)?.get(name);
  if (recipe) {
    const started = Date.now();
    o.onProgress?.({ fraction: 0, message: `re-creating ${name} (unloaded with its model)` });
    const made = await pruneFromSources(m, name, recipe, { signal: o.signal });
    s.log(`re-created pruning variant ${name} of ${m.name} in ${Date.now() - started} ms (the model had been unloaded)`);
    return made;
  }
  const known = [...(s.recipes?.get(m.ckpt.dir)?.keys() ?? []), ...m.variants.keys()];
  throw new UserError('variant', `no pruning variant named ${JSON.stringify(name)} for model ${m.name} (its variants: ${[...new Set(known)].join(', ') || 'none'}); variants belong to the model they were made from`);
}

/** What the last analysis's forward holds for a continuation on model `m` with this variant and deactivation (else undefined). */
export function continuationFor(s: EngineState, m: LoadedModel, variant: Variant | undefined, deactivate: NeuronMask | undefined): GenerationStart | undefined {
  const c = s.continuation;
  return c && c.model === m && c.variant === variant && c.deactivate === deactivationKey(deactivate) ? c.start : undefined;
}

/** A deactivation mask as the continuation is filed under it. */
export const deactivationKey = (d: NeuronMask | undefined): string => JSON.stringify(d ?? null);

/** The last LAPE result computed for the loaded model, if any. */
export function lastLapeOf(s: EngineState, m: LoadedModel): CachedLape | undefined {
  const key = s.lastLape?.get(m.ckpt.dir);
  return key === undefined ? undefined : s.lape?.get(key);
}

/** `neurons[lang][layer]` of one language as a NeuronMask (layers without neurons left out). */
export function languageNeurons(r: LapeResult, language: string): NeuronMask {
  const li = r.languages.indexOf(language);
  if (li < 0) throw new UserError('polyglot.deactivate', `${language} is not in the last Find Language Neurons run (it has ${r.languages.join(', ')}); run it with a corpus that includes ${language}`);
  const mask: NeuronMask = {};
  r.neurons[li]!.forEach((js, layer) => {
    if (js.length > 0) mask[layer] = [...js];
  });
  return mask;
}

/** An explicit mask passes through; `{ language }` becomes that language's neurons from the cached LAPE run. */
export function resolveDeactivation(s: EngineState, m: LoadedModel, d: Deactivation | undefined): NeuronMask | undefined {
  if (d === undefined || !('language' in d)) return d as NeuronMask | undefined;
  const lape = lastLapeOf(s, m);
  if (!lape) throw new UserError('polyglot.deactivate', `deactivating ${d.language} needs its language neurons: run Polyglot Lens: Find Language Neurons first`);
  return languageNeurons(lape, d.language as string);
}

/** The key a lape/run result is cached under: model, corpus (and the folder it resolves in), limits. */
export function lapeCacheKey(m: LoadedModel, p: LapeRunParams): string {
  return JSON.stringify([m.ckpt.dir, p.corpus, p.cwd ?? '', p.languages ?? null, p.maxTokensPerLang ?? null, p.maxLength ?? null]);
}
