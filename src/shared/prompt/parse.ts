import { parsePromptFileName } from './fileName';
import { splitPrompt } from './frontmatter';
import { checkTemplate } from './templateCheck';
import { validateFields, type ValidateOptions } from './validate';
import { readYamlFields } from './yamlFields';
import type { PromptDiagnostic, PromptDocument } from './types';

export interface ParseOptions extends ValidateOptions {
  /** File name or path; gives the prompt's name/variant and whether it is a partial. */
  fileName?: string;
}

export interface ParsedPromptFile {
  doc: PromptDocument;
  /** Partial name → text, for renderPrompt. */
  partials: Map<string, string>;
}

/**
 * Parses and validates a `.prompt` file in one pass: frontmatter fields with exact ranges,
 * typed Polyglot settings, template syntax/helpers/partials. Never throws; every problem is a
 * diagnostic sorted by position.
 */
export function parsePrompt(source: string, opts: ParseOptions = {}): ParsedPromptFile {
  if (source.length > MAX_PROMPT_CHARS) return tooLarge(source, opts);
  const split = splitPrompt(source);
  const diagnostics: PromptDiagnostic[] = [...split.diagnostics];
  let metadata: PromptDocument['metadata'] = { input: {}, config: {}, polyglot: {}, raw: {}, ext: {} };
  let hasPolyglotKeys = false;
  if (split.frontmatter) {
    const yaml = readYamlFields(source, split.frontmatter);
    // A frontmatter that does not parse has no fields: its text still says whose it is.
    hasPolyglotKeys = yaml.fields.some((f) => f.key === 'polyglot' || f.key.startsWith('polyglot.')) ||
      (yaml.fields.length === 0 && /^[ \t]*polyglot[.:]/m.test(source.slice(split.frontmatter.start, split.frontmatter.end)));
    diagnostics.push(...yaml.diagnostics);
    const validated = validateFields(yaml.fields, yaml.raw, opts);
    metadata = validated.metadata;
    diagnostics.push(...validated.diagnostics);
  }
  const template = checkTemplate(split.body.text, split.body.start, opts.host);
  diagnostics.push(...template.diagnostics);
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  const doc: PromptDocument = {
    source,
    file: parsePromptFileName(opts.fileName ?? 'untitled.prompt'),
    frontmatter: split.frontmatter,
    body: split.body,
    metadata,
    diagnostics,
    hasPolyglotKeys,
  };
  return { doc, partials: template.partials };
}

/**
 * Longer than any context a supported model has (a 128k-token context is ~0.5M characters), and
 * small enough to parse in milliseconds: a 10 MB body fails at once instead of after minutes.
 */
export const MAX_PROMPT_CHARS = 4 * 1024 * 1024;

function tooLarge(source: string, opts: ParseOptions): ParsedPromptFile {
  const doc: PromptDocument = {
    source,
    file: parsePromptFileName(opts.fileName ?? 'untitled.prompt'),
    body: { start: 0, text: '' },
    metadata: { input: {}, config: {}, polyglot: {}, raw: {}, ext: {} },
    diagnostics: [{ start: 0, end: 1, severity: 'error', code: 'too-large', message: `prompt has ${source.length} characters; more than ${MAX_PROMPT_CHARS} are not read` }],
    // Not parsed, so unknown; true so that the editor shows why nothing else is checked.
    hasPolyglotKeys: true,
  };
  return { doc, partials: new Map() };
}

/** `file:line:col: severity: message`, the one-line form the CLI prints. */
export function formatDiagnostic(fileName: string, source: string, d: PromptDiagnostic): string {
  const before = source.slice(0, d.start).split(/\r\n|\r|\n/);
  return `${fileName}:${before.length}:${before[before.length - 1].length + 1}: ${d.severity}: ${d.message}`;
}
