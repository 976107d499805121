/**
 * The instruction variants of one task (methods.md §6): either `polyglot.instructions` in the
 * task file (name → instruction text, rendered as the `instruction` variable), or Dotprompt
 * variant files beside it (`task.prompt`, `task.ja.prompt`, `task.mt.prompt`: the base file is
 * the variant named by its own `variant` key, else "base"). Labels come from each variant, else
 * from the base file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readUserText } from '../io/userFile';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors';
import { nodePromptHost } from '../io/nodePromptHost';
import { formatDiagnostic, parsePrompt, parsePromptFileName } from '../../shared/prompt';
import type { PromptDocument } from '../../shared/prompt/types';

export interface TaskVariant {
  name: string;
  file: string;
  doc: PromptDocument;
  partials: ReadonlyMap<string, string>;
  /** `polyglot.instructions` text, given to the template as `instruction`. */
  instruction?: string;
  labels?: string[];
}

export interface TaskPrompt {
  /** The task's name (Dotprompt name: the file name without variant and extension). */
  name: string;
  base: TaskVariant;
  variants: TaskVariant[];
}

/** A prompt file parsed with its partials; any error diagnostic is a one-line UserError naming the file. */
/** `roots`: folders polyglot.eval's model entries are looked up in after the prompt's own. */
export function loadPromptFile(file: string, roots?: readonly string[]): Omit<TaskVariant, 'name' | 'labels' | 'instruction'> {
  if (!existsSync(file)) throw new UserError(file, 'file not found');
  const source = readUserText(file, 'prompt');
  const { doc, partials } = parsePrompt(source, { fileName: file, host: nodePromptHost(file), roots: roots ? [...roots] : undefined });
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UserError(file, `${errors.length} problem(s); first: ${formatDiagnostic(basename(file), source, errors[0]!)}`);
  return { file, doc, partials };
}

export function loadTask(file: string): TaskPrompt {
  const { name } = parsePromptFileName(basename(file));
  const folder = dirname(file);
  const siblings = readdirSync(folder)
    .filter((f) => f.endsWith('.prompt') && !f.startsWith('_'))
    .map((f) => ({ f, parsed: parsePromptFileName(f) }))
    .filter((x) => x.parsed.name === name)
    .sort((a, b) => (a.parsed.variant === undefined ? -1 : b.parsed.variant === undefined ? 1 : a.f.localeCompare(b.f)));
  const baseFile = siblings.find((x) => x.parsed.variant === undefined)?.f ?? basename(file);
  const baseLoaded = loadPromptFile(join(folder, baseFile));
  const baseLabels = baseLoaded.doc.metadata.polyglot.labels;
  // The base file's name is its Dotprompt `variant` key (e.g. `variant: en`, which tells the
  // instruction's language: methods.md §6), else "base".
  const own = baseLoaded.doc.metadata.raw.variant;
  const base: TaskVariant = { ...baseLoaded, name: parsePromptFileName(baseFile).variant ?? (typeof own === 'string' && /^[A-Za-z0-9_-]+$/.test(own) ? own : 'base'), labels: baseLabels };
  const instructions = base.doc.metadata.polyglot.instructions;
  if (instructions?.length) {
    const variants = instructions.map((v) => ({ ...baseLoaded, name: v.name, instruction: v.text, labels: v.labels ?? baseLabels }));
    return { name, base, variants };
  }
  const variants = siblings.map(({ f, parsed }) => {
    if (f === baseFile) return base;
    const loaded = loadPromptFile(join(folder, f));
    return { ...loaded, name: parsed.variant!, labels: loaded.doc.metadata.polyglot.labels ?? baseLabels };
  });
  return { name, base, variants };
}
