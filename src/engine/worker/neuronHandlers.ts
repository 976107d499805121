/**
 * neuron/report: what hovers and the Neuron panel show about one neuron. The per-token values
 * come from the last analysed prompt's forward (state.forward, kept by engine/analyze); only a
 * prompt that was never analysed costs one forward, which is then kept for the next hovers.
 */
import { basename } from 'node:path';
import { UserError } from '../errors';
import { forwardKey, runPromptForward } from '../neuron/forward';
import { modelFingerprint } from '../neuron/fingerprint';
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

export const NEURON_HANDLERS = { 'neuron/report': report } satisfies { 'neuron/report': Handler<'neuron/report'> };
