/**
 * neuron/report: what hovers and the Neuron panel show about one neuron. The per-token values
 * come from the last analysed prompt's forward (state.forward, kept by engine/analyze); only a
 * prompt that was never analysed costs one forward, which is then kept for the next hovers.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { openCorpus } from '../corpus/open';
import { planOutput, writeOutputFolder } from '../io/outputs';
import { buildNeuronIndex, DEFAULT_TOP } from '../neuron/indexJob';
import { readManifest, sameKey, writeIndexFolder, type IndexKey } from '../neuron/indexFiles';
import { UserError } from '../errors';
import { forwardKey, runPromptForward } from '../neuron/forward';
import { corpusFingerprint, modelFingerprint } from '../neuron/fingerprint';
import { NeuronIndexFile } from '../neuron/indexFiles';
import { neuronLanguages } from '../neuron/profile';
import type { LoadedModel } from '../model/model';
import type { IndexState } from '../../shared/neuron';
import type { Handler } from './handlerTypes';
import { lastLapeOf, requireModel, resolveDeactivation, variantFor, type EngineState } from './state';

/** Opens the index once per (folder, model); a folder for another model or corpus reports why it is not used. */
function indexFor(s: EngineState, m: LoadedModel, dir: string | undefined): { file?: NeuronIndexFile; state: IndexState } {
  if (!dir) return { state: { state: 'none' } };
  const cached = s.neuronIndex;
  if (cached && cached.dir === dir && cached.modelDir === m.ckpt.dir) return cached;
  let entry: NonNullable<EngineState['neuronIndex']>;
  try {
    const file = NeuronIndexFile.open(dir);
    const mf = file.manifest;
    entry =
      mf.model.fingerprint === modelFingerprint(m)
        ? { dir, modelDir: m.ckpt.dir, file, state: { state: 'ok', corpus: mf.corpus.name, top: mf.settings.top } }
        : { dir, modelDir: m.ckpt.dir, state: { state: 'stale', message: `the index in ${basename(dir)} was built for ${mf.model.name}, not this version of ${m.name}; rebuild it with \`polyglot-lens neurons index\`` } };
  } catch (e) {
    entry = { dir, modelDir: m.ckpt.dir, state: { state: 'error', message: (e as Error).message } };
  }
  s.neuronIndex = entry;
  return entry;
}

const report: Handler<'neuron/report'> = async (s, p, o) => {
  const m = requireModel(s);
  const { nLayers, dMlp } = m.cfg;
  if (!(Number.isInteger(p.layer) && Number.isInteger(p.index) && p.layer >= 0 && p.index >= 0 && p.layer < nLayers && p.index < dMlp)) {
    throw new UserError(`L${p.layer}.N${p.index}`, `no such neuron in ${m.name} (${nLayers} layers × ${dMlp} neurons)`);
  }
  const deactivate = resolveDeactivation(s, m, p.deactivate);
  const key = forwardKey(m, p.text, deactivate, p.variant);
  const cached = s.forward?.key === key;
  if (!cached) s.forward = await runPromptForward(m, key, m.tokenizer.encode(p.text), deactivate, await variantFor(s, m, p.variant, o));
  const f = s.forward!;
  o.onProgress?.({ fraction: 1, message: 'neuron' });
  const texts = m.tokenizer.tokenTexts(f.ids);
  const lape = lastLapeOf(s, m);
  const idx = indexFor(s, m, p.indexDir);
  return {
    model: { name: m.name, nLayers, dMlp },
    layer: p.layer,
    index: p.index,
    text: p.text,
    tokens: f.ids.map((id, i) => ({ id, text: texts[i]! })),
    activations: f.column(p.layer, p.index),
    languages: lape ? neuronLanguages(lape, p.layer, p.index) : null,
    examples: idx.file ? idx.file.examples(p.layer, p.index) : null,
    indexState: idx.state,
    cached,
    deactivated: deactivate?.[p.layer]?.includes(p.index) ?? false,
  };
};

/**
 * neuron/index: what `neurons index` does, for the editor (Build Neuron Index…): the folder is
 * reused while model, corpus and settings are unchanged, rebuilt when they changed, and written
 * through the output policy (never an input or the model folder; only an index of ours is replaced).
 */
const buildIndex: Handler<'neuron/index'> = async (s, p, o) => {
  const m = requireModel(s);
  const corpus = openCorpus(p.corpus, p.cwd);
  const existing = existsSync(p.outDir) ? readManifest(p.outDir) : undefined;
  if (existsSync(p.outDir) && !existing) throw new UserError(p.outDir, 'exists and is not a neuron index folder (no manifest.json); choose a new folder');
  const local = p.corpus.startsWith('udhr:') ? undefined : resolve(p.cwd ?? process.cwd(), p.corpus);
  const target = planOutput(p.outDir, { kind: 'folder', overwrite: existing !== undefined, model: m.ckpt.dir, inputs: [local], tool: 'Polyglot Lens: Build Neuron Index…' });
  const top = p.top ?? DEFAULT_TOP;
  const key: IndexKey = {
    model: { name: m.name, fingerprint: modelFingerprint(m), nLayers: m.cfg.nLayers, dMlp: m.cfg.dMlp },
    corpus: { name: p.corpus, fingerprint: corpusFingerprint(p.corpus, p.cwd) },
    settings: { top, languages: null, maxLength: null, maxTokensPerLang: p.maxTokensPerLang ?? null },
  };
  if (existing && sameKey(existing, key)) return { outDir: target.path, reused: true, sequences: existing.sequences, tokens: existing.tokens };
  const run = await buildNeuronIndex(m, corpus, { top, maxTokensPerLang: p.maxTokensPerLang, ...o });
  await writeOutputFolder(target, (tmp) => void writeIndexFolder(tmp, run, m.tokenizer, key));
  // The next report opens the new folder (the cached one may be this folder's previous index).
  s.neuronIndex = undefined;
  s.log(`neuron index of ${m.name} on ${p.corpus}: ${run.sequences} sequences, ${run.tokens} tokens → ${target.path}`);
  return { outDir: target.path, reused: false, sequences: run.sequences, tokens: run.tokens };
};

export const NEURON_HANDLERS = { 'neuron/report': report, 'neuron/index': buildIndex } satisfies { 'neuron/report': Handler<'neuron/report'>; 'neuron/index': Handler<'neuron/index'> };
