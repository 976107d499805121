/** A .prompt file as CLI commands read it: parsed, checked, and the model it declares. */
import { existsSync } from 'node:fs';
import { readUserText } from '../engine/io/userFile';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../engine/errors';
import { defaultModelDir } from '../engine/paths';
import { nodePromptHost } from '../engine/io/nodePromptHost';
import { formatDiagnostic, parsePrompt, PromptRenderError, renderPrompt, type RenderedPrompt } from '../shared/prompt';
import type { CliContext } from './context';

export function readPromptFile(file: string, command: string): ReturnType<typeof parsePrompt> {
  if (!file) throw new UserError(command, `give the .prompt file to ${command === 'analyze' ? 'analyze' : 'read'}`);
  if (!existsSync(file)) throw new UserError(file, 'file not found');
  // Not a FIFO or device, and not larger than a prompt file can be, before a byte is read.
  const source = readUserText(file, 'prompt');
  const parsed = parsePrompt(source, { fileName: file, host: nodePromptHost(file) });
  const errors = parsed.doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UserError(file, `${errors.length} problem(s); first: ${formatDiagnostic(basename(file), source, errors[0]!)}`);
  return parsed;
}

/** renderPrompt with its failures (output past the cap, a partial without end) as one line naming the file. */
export function renderPromptFile(file: string, parsed: ReturnType<typeof parsePrompt>, input: Record<string, unknown>): RenderedPrompt {
  try {
    return renderPrompt(parsed.doc, parsed.partials, input);
  } catch (e) {
    if (e instanceof PromptRenderError) throw new UserError(file, e.message);
    throw e;
  }
}

/** --model, else the file's `model:` (relative to the file), else the embedded default. */
export function promptModelDir(ctx: CliContext, file: string, declared: string | undefined): string {
  return ctx.args.string('model') ?? (declared !== undefined ? resolve(dirname(file), declared) : defaultModelDir());
}
