/** A .prompt file as CLI commands read it: parsed, checked, and the model it declares. */
import { existsSync } from 'node:fs';
import { readPlainText } from '../engine/io/readText';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../engine/errors';
import { defaultModelDir } from '../engine/paths';
import { MAX_PROMPT_FILE_BYTES, nodePromptHost } from '../engine/io/nodePromptHost';
import { formatDiagnostic, parsePrompt } from '../shared/prompt';
import type { CliContext } from './context';

export function readPromptFile(file: string, command: string): ReturnType<typeof parsePrompt> {
  if (!file) throw new UserError(command, `give the .prompt file to ${command === 'analyze' ? 'analyze' : 'read'}`);
  if (!existsSync(file)) throw new UserError(file, 'file not found');
  // Not a FIFO or device, and not larger than a prompt file can be, before a byte is read.
  const source = readPlainText(file, MAX_PROMPT_FILE_BYTES, 'prompt files');
  const parsed = parsePrompt(source, { fileName: file, host: nodePromptHost(file) });
  const errors = parsed.doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UserError(file, `${errors.length} problem(s); first: ${formatDiagnostic(basename(file), source, errors[0]!)}`);
  return parsed;
}

/** --model, else the file's `model:` (relative to the file), else the embedded default. */
export function promptModelDir(ctx: CliContext, file: string, declared: string | undefined): string {
  return ctx.args.string('model') ?? (declared !== undefined ? resolve(dirname(file), declared) : defaultModelDir());
}
