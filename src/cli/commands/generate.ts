import { greedyGenerate } from '../../engine/generate';
import { MODEL_OPTION, type Command } from './types';

export const generateCommand: Command = {
  name: 'generate',
  usage: 'generate [--model DIR] --prompt TEXT [--max-new-tokens N] [--json]',
  summary: 'greedy generation with a KV cache',
  options: {
    ...MODEL_OPTION,
    prompt: { kind: 'string', help: 'prompt text (tokenized with the default special tokens)' },
    'max-new-tokens': { kind: 'string', help: 'tokens to generate (default 32)' },
    json: { kind: 'flag', help: 'print {"promptIds", "generatedIds", "text", "stoppedBy"}' },
  },
  async run(ctx) {
    const prompt = ctx.args.required('prompt');
    const maxNew = ctx.args.int('max-new-tokens', 32, 1);
    const model = ctx.loadModel();
    const ids = model.encodeInput(prompt, '--prompt');
    const r = await greedyGenerate(model, ids, { maxNewTokens: maxNew, ...ctx.jobOptions() });
    if (ctx.args.flag('json')) ctx.print(r);
    else ctx.write(`${prompt}${r.text}\n`);
  },
};
