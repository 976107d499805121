/**
 * `neuron L3.N127 (--prompt TEXT | FILE.prompt)`: one MLP neuron on one prompt — its hook_post on
 * every token, its LAPE language profile (--lape DIR, a `neurons` output folder) and its
 * top-activating corpus examples (--index DIR, a `neurons index` folder built for this model).
 */
import { UserError } from '../../engine/errors';
import { readLapeFolder } from '../../engine/lape/files';
import { forwardKey, runPromptForward } from '../../engine/neuron/forward';
import { NeuronIndexFile } from '../../engine/neuron/indexFiles';
import { modelFingerprint } from '../../engine/neuron/fingerprint';
import { neuronLanguages } from '../../engine/neuron/profile';
import { parseNeuronKey } from '../../shared/analysis';
import { sparkline } from '../../shared/neuron';
import { deactivateMask } from '../../shared/prompt/runSettings';
import { promptModelDir, readPromptFile, renderPromptFile } from '../promptFile';
import { MODEL_OPTION, type Command } from './types';

export const neuronCommand: Command = {
  name: 'neuron',
  usage: 'neuron L{layer}.N{index} (--prompt TEXT | FILE.prompt) [--model DIR] [--lape DIR] [--index DIR] [--json]',
  summary: "one MLP neuron's hook_post on every token of a prompt, its LAPE language profile and its top corpus examples",
  options: {
    ...MODEL_OPTION,
    prompt: { kind: 'string', help: 'text, tokenized with the default special tokens' },
    lape: { kind: 'string', help: 'a `neurons` output folder: adds the language profile' },
    index: { kind: 'string', help: 'a `neurons index` output folder: adds the top-activating examples' },
    json: { kind: 'flag', help: 'print one JSON object' },
  },
  async run(ctx) {
    const a = ctx.args;
    const [ref, file, ...extra] = a.positionals;
    const parsed = ref ? parseNeuronKey(ref) : null;
    if (!parsed) throw new UserError('neuron', `give the neuron as L{layer}.N{index}, e.g. L3.N127${ref ? ` (got ${JSON.stringify(ref)})` : ''}`);
    if (extra.length) throw new UserError(extra[0]!, 'unexpected argument');
    if ((a.string('prompt') === undefined) === (file === undefined)) throw new UserError('--prompt/FILE.prompt', 'give exactly one of them');
    const { layer, index } = parsed;
    let text: string;
    let model;
    let deactivate;
    if (file !== undefined) {
      const parsed = readPromptFile(file, 'neuron');
      const meta = parsed.doc.metadata;
      if (meta.polyglot.deactivate?.kind === 'language') throw new UserError(file, 'polyglot.deactivate by language needs LAPE statistics: list the neurons as L{layer}.N{index}');
      model = ctx.loadModel(promptModelDir(ctx, file, meta.model));
      text = renderPromptFile(file, parsed, meta.polyglot.examples?.[0] ?? meta.input.default ?? {}).text;
      deactivate = deactivateMask(meta.polyglot.deactivate);
    } else {
      text = a.required('prompt');
      model = ctx.loadModel();
    }
    const { nLayers, dMlp } = model.cfg;
    if (layer >= nLayers || index >= dMlp) throw new UserError(ref!, `no such neuron in ${model.name} (${nLayers} layers × ${dMlp} neurons: L0-L${nLayers - 1}, N0-N${dMlp - 1})`);
    const ids = model.tokenizer.encode(text);
    const forward = await runPromptForward(model, forwardKey(model, text, deactivate), ids, deactivate);
    const activations = forward.column(layer, index);
    const lapeDir = a.string('lape');
    const languages = lapeDir ? neuronLanguages(readLapeFolder(lapeDir, model.name), layer, index) : null;
    const indexDir = a.string('index');
    let examples;
    if (indexDir) {
      const idx = NeuronIndexFile.open(indexDir);
      if (idx.manifest.model.fingerprint !== modelFingerprint(model)) throw new UserError(indexDir, `built for another model (${idx.manifest.model.name}) or an older version of it; rebuild with \`neurons index\``);
      examples = idx.examples(layer, index);
    }
    const tokens = model.tokenizer.tokenTexts(ids);
    if (a.flag('json')) {
      ctx.print({ layer, index, tokens, activations: Array.from(activations), languages, ids, ...(examples ? { examples } : {}) });
      return;
    }
    const lines = [`L${layer}.N${index} in ${model.name}  ${sparkline(activations)}`];
    tokens.forEach((t, p) => lines.push(`${String(p).padStart(4)}  ${activations[p]!.toFixed(4).padStart(9)}  ${JSON.stringify(t)}`));
    if (languages) {
      lines.push('', `activation probability: ${languages.languages.map((l) => `${l} ${languages.probability[l]!.toFixed(3)}`).join('  ')}`);
      lines.push(`LAPE ${languages.entropy === null ? 'n/a (never active)' : languages.entropy.toFixed(4)}  ${languages.selected ? `selected for ${languages.selectedFor.join(', ')}` : 'not selected'}`);
    }
    if (examples) {
      lines.push('', 'top examples:');
      for (const e of examples) lines.push(`  ${e.value.toFixed(4).padStart(9)}  ${JSON.stringify(e.token)} @${e.position}  ${JSON.stringify(e.text.slice(0, 80))}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
