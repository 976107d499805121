import { captureHooks } from '../../engine/capture';
import { readSafetensorsMetadata, writeSafetensors } from '../../engine/checkpoint/safetensors';
import { UserError } from '../../engine/errors';
import { MODEL_OPTION, type Command } from './types';
import { writeOutputFile } from '../../engine/io/outputs';

const CAPTURE_TOOL = 'polyglot-lens capture';

/** --overwrite replaces only a capture file of ours (its metadata names the tool). */
const isCaptureFile = (file: string): boolean => readSafetensorsMetadata(file)?.tool === CAPTURE_TOOL;

export function parseIds(s: string, subject: string): number[] {
  const parts = s.split(',').map((x) => x.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new UserError(subject, `expected comma-separated token ids, got ${JSON.stringify(s)}`);
  return parts.map(Number);
}

export const captureCommand: Command = {
  name: 'capture',
  usage: 'capture [--model DIR] (--prompt TEXT | --ids 1,2,3) --hooks H1,H2 --out FILE.safetensors [--overwrite]',
  summary: 'run one sequence and write the named hook activations as F32 [pos, dim] tensors',
  options: {
    ...MODEL_OPTION,
    prompt: { kind: 'string', help: 'text, tokenized with the default special tokens' },
    ids: { kind: 'string', help: 'comma-separated token ids' },
    hooks: { kind: 'string', help: 'hook names; * for the layer (blocks.*.mlp.hook_post); logits is a hook too' },
    out: { kind: 'string', help: 'output .safetensors file (must not exist unless --overwrite; never inside the model folder)' },
    overwrite: { kind: 'flag', help: 'replace an earlier capture file of ours (never any other file)' },
  },
  async run(ctx) {
    const a = ctx.args;
    const target = ctx.planOut('file', { isOurs: isCaptureFile, tool: CAPTURE_TOOL });
    const out = target.arg;
    const hooks = a.required('hooks').split(',');
    if ((a.string('prompt') === undefined) === (a.string('ids') === undefined)) throw new UserError('--prompt/--ids', 'give exactly one of them');
    const model = ctx.loadModel();
    const ids = a.string('ids') !== undefined ? parseIds(a.required('ids'), '--ids') : model.encodeInput(a.required('prompt'), '--prompt');
    const captured = await captureHooks(model, { ids, hooks }, ctx.jobOptions());
    await writeOutputFile(target, (tmp) =>
      writeSafetensors(
        tmp,
        Object.entries(captured).map(([name, t]) => ({ name, dtype: 'F32' as const, shape: t.dims, data: t.data })),
        { tool: CAPTURE_TOOL, ids: ids.join(','), model: model.ckpt.dir },
      ),
    );
    ctx.print({ out, ids, hooks: Object.keys(captured) });
  },
};
