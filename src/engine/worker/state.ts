/**
 * The engine process's state and the lookups every handler shares: the loaded model (its pruning
 * variants live on it), and the LAPE results of this session, which hovers and deactivation by
 * language read back without rerunning the corpus.
 */
import type { NeuronMask } from '../api';
import { UserError } from '../errors';
import type { LoadedModel } from '../model/model';
import type { LapeResult } from '../../shared/lape';
import type { Deactivation, LapeRunParams } from './protocol';
import type { PromptForward } from '../neuron/forward';
import type { NeuronIndexFile } from '../neuron/indexFiles';
import type { IndexState } from '../../shared/neuron';

export type CachedLape = LapeResult & { tokenCounts: number[] };

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
  /** The neuron index folder last asked for, opened once, and whether it fits the loaded model. */
  neuronIndex?: { dir: string; modelDir: string; file?: NeuronIndexFile; state: IndexState };
}

export function requireModel(s: EngineState): LoadedModel {
  if (!s.model) throw new UserError('model', 'no model loaded (select one first)');
  return s.model;
}

export function variantOf(m: LoadedModel, name: string | undefined) {
  if (name === undefined) return undefined;
  const v = m.variants.get(name);
  if (!v) throw new UserError('variant', `no pruning variant named ${JSON.stringify(name)} (known: ${[...m.variants.keys()].join(', ') || 'none'})`);
  return v;
}

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
