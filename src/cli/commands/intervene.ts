import { UserError } from '../../engine/errors';
import { compareDeactivation, DEFAULT_MAX_NEW_TOKENS } from '../../engine/intervene/compare';
import { languageMask, readLapeJson } from '../../engine/lape/files';
import { MODEL_OPTION, type Command } from './types';
import { INTERVENE_SET_OPTIONS, runInterveneSet } from './interveneSet';

export const interveneCommand: Command = {
  name: 'intervene',
  usage: 'intervene [--model DIR] (--prompt TEXT | --prompts udhr:CODES|FILE) --lape DIR/lape.json --deactivate fr[,de]|own [--max-new-tokens N] [--json] [--plan with --prompts]',
  summary: "generate with and without a language's LAPE neurons (hook_post set to 0) and detect each output's language",
  options: {
    ...MODEL_OPTION,
    prompt: { kind: 'string', help: 'prompt text (tokenized with the default special tokens)' },
    lape: { kind: 'string', help: 'lape.json written by `neurons` (or its folder)' },
    deactivate: { kind: 'string', help: 'comma-separated languages whose neurons are deactivated (their union)' },
    'max-new-tokens': { kind: 'string', help: `tokens to generate per side (default ${DEFAULT_MAX_NEW_TOKENS})` },
    json: { kind: 'flag', help: 'print the comparison as JSON (the Compare panel data)' },
    ...INTERVENE_SET_OPTIONS,
  },
  async run(ctx) {
    const a = ctx.args;
    const lapeArg = a.required('lape');
    const lape = readLapeJson(lapeArg.endsWith('.json') ? lapeArg : `${lapeArg}/lape.json`);
    if (a.string('prompts') !== undefined) {
      if (a.string('prompt') !== undefined) throw new UserError('--prompts', 'give --prompt or --prompts, not both');
      return runInterveneSet(ctx, lape, a.string('deactivate') ?? 'own');
    }
    if (a.flag('plan')) throw new UserError('--plan', 'goes with --prompts (one prompt is no job to plan)');
    const prompt = a.required('prompt');
    const langs = a.required('deactivate').split(',').map((s) => s.trim()).filter(Boolean);
    if (langs.length === 0) throw new UserError('--deactivate', 'name at least one language');
    const mask = languageMask(lape, langs);
    // Zero neurons means the "intervened" side is the dense model: the comparison would look like
    // a null result when nothing was deactivated at all.
    for (const lang of langs) {
      const own = languageMask(lape, [lang]);
      if (Object.values(own).every((js) => js.length === 0)) {
        ctx.warn(`--deactivate ${lang}: ${lapeArg} selects 0 neurons for ${lang}, so nothing of ${lang} is deactivated (try a larger --top-rate in \`neurons\`)`);
      }
    }
    const maxNew = a.int('max-new-tokens', DEFAULT_MAX_NEW_TOKENS, 1);
    const model = ctx.loadModel();
    const r = await compareDeactivation(model, prompt, mask, { maxNewTokens: maxNew, label: `−${langs.join(',')} neurons`, ...ctx.jobOptions() });
    const neurons = Object.values(mask).reduce((n, js) => n + js.length, 0);
    if (a.flag('json')) {
      ctx.print({ ...r, layerChange: [...r.layerChange], deactivated: { languages: langs, neurons } });
      return;
    }
    const line = (s: typeof r.a): string => `[${s.label}] (${s.language.code}, ${s.language.confidence.toFixed(2)}) ${prompt}${s.text}`;
    ctx.write(`${line(r.a)}\n${line(r.b)}\ndeactivated ${neurons} neurons; layer change ${[...r.layerChange].map((v) => v.toFixed(3)).join(' ')}\n`);
  },
};
