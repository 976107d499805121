import type { PromptFileName } from './types';

/**
 * Name, variant and partial flag from a file name, as Dotprompt's directory store reads them:
 * `hello.prompt` → hello; `hello.en.prompt` → hello, variant en; `_header.prompt` → partial header.
 */
export function parsePromptFileName(fileName: string): PromptFileName {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.endsWith('.prompt') ? base.slice(0, -'.prompt'.length) : base;
  const isPartial = stem.startsWith('_');
  const [name, ...rest] = (isPartial ? stem.slice(1) : stem).split('.');
  return rest.length > 0 ? { name, variant: rest.join('.'), isPartial } : { name, isPartial };
}

/** File name of the partial `{{> name}}` refers to. */
export function partialFileName(name: string): string {
  return `_${name}.prompt`;
}
