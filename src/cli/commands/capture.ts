import { captureHooks } from '../../engine/capture';
import { writeSafetensors } from '../../engine/checkpoint/safetensors';
import { UserError } from '../../engine/errors';
import { MODEL_OPTION, type Command } from './types';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function parseIds(s: string, subject: string): number[] {
  const parts = s.split(',').map((x) => x.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new UserError(subject, `expected comma-separated token ids, got ${JSON.stringify(s)}`);
  return parts.map(Number);
}

export const captureCommand: Command = {
  name: 'capture',
  usage: 'capture [--model DIR] (--prompt TEXT | --ids 1,2,3) --hooks H1,H2 --out FILE.safetensors',
  summary: 'run one sequence and write the named hook activations as F32 [pos, dim] tensors',
  options: {
    ...MODEL_OPTION,
    prompt: { kind: 'string', help: 'text, tokenized with the default special tokens' },
    ids: { kind: 'string', help: 'comma-separated token ids' },
    hooks: { kind: 'string', help: 'hook names; * for the layer (blocks.*.mlp.hook_post); logits is a hook too' },
    out: { kind: 'string', help: 'output .safetensors file' },
  },
  async run(ctx) {
    const a = ctx.args;
    const out = a.required('out');
    if (!existsSync(dirname(resolve(out)))) throw new UserError(out, `folder ${dirname(resolve(out))} does not exist`);
    const hooks = a.required('hooks').split(',');
    if ((a.string('prompt') === undefined) === (a.string('ids') === undefined)) throw new UserError('--prompt/--ids', 'give exactly one of them');
    const model = ctx.loadModel();
    const ids = a.string('ids') !== undefined ? parseIds(a.required('ids'), '--ids') : model.tokenizer.encode(a.required('prompt'));
    const captured = await captureHooks(model, { ids, hooks });
    writeSafetensors(
      out,
      Object.entries(captured).map(([name, t]) => ({ name, dtype: 'F32' as const, shape: t.dims, data: t.data })),
      { ids: ids.join(','), model: model.ckpt.dir },
    );
    ctx.print({ out, ids, hooks: Object.keys(captured) });
  },
};
