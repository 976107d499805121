import { isCollection, isMap, isPair, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import type { PromptDiagnostic } from './types';

/** One frontmatter entry with where it is written; `key` is flattened (`polyglot.topK`). */
export interface Field {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: Node | null;
  /** `dotted`: `polyglot.topK:` at top level; `nested`: `topK:` inside `polyglot:`; `plain`: any other key. */
  form: 'dotted' | 'nested' | 'plain';
}

/** Aliases a frontmatter may expand (the yaml package's default): a "billion laughs" stops here. */
const MAX_ALIAS_COUNT = 100;

/**
 * Lines plus flow-collection items (`,`, `[`, `{`) a frontmatter may have. A prompt's settings are
 * dozens of entries, a list of few-shot examples thousands; 140k keys (3.8 MB) is no configuration,
 * and counting is one pass over the text, so such a frontmatter is refused before the parser sees it.
 */
export const MAX_FRONTMATTER_ITEMS = 100_000;

export interface YamlFields {
  fields: Field[];
  raw: Record<string, unknown>;
  diagnostics: PromptDiagnostic[];
}

/**
 * Parses the frontmatter with the `yaml` package, which keeps source ranges, and lists its
 * entries. It parses the file from offset 0 up to the end of the frontmatter: the opening `---`
 * is YAML's own document-start marker, so every range the parser reports is already a file offset.
 */
export function readYamlFields(source: string, frontmatter: { start: number; end: number }): YamlFields {
  const items = countItems(source, frontmatter.start, frontmatter.end);
  if (items > MAX_FRONTMATTER_ITEMS) {
    const message = `frontmatter has ${items} lines and list items; more than ${MAX_FRONTMATTER_ITEMS} are not parsed (put long data in a file the prompt names)`;
    return { fields: [], raw: {}, diagnostics: [{ start: frontmatter.start, end: Math.max(frontmatter.end, frontmatter.start + 1), severity: 'error', code: 'frontmatter-too-large', message }] };
  }
  // uniqueKeys: false, and duplicates found by uniqueKeyErrors instead: the yaml package compares
  // each key with every earlier one (20k keys: 4.8 s, 140k: minutes); a Set per map is linear.
  const doc = parseDocument(source.slice(0, frontmatter.end), { prettyErrors: false, uniqueKeys: false });
  const diagnostics: PromptDiagnostic[] = [];
  const errors = [...doc.errors.map((e) => ({ pos: e.pos, message: e.message })), ...uniqueKeyErrors(doc.contents)];
  for (const [list, severity] of [[errors, 'error'], [doc.warnings, 'warning']] as const) {
    for (const e of list) {
      const [start, end] = visibleRange(source, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1));
      diagnostics.push({ start, end, severity, code: 'yaml', message: `YAML: ${e.message.split('\n')[0]}` });
    }
  }
  if (errors.length > 0) return { fields: [], raw: {}, diagnostics };
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { fields: [], raw: {}, diagnostics };
  if (!isMap(contents)) {
    const [start, end] = contents.range ?? [frontmatter.start, frontmatter.end];
    diagnostics.push({ start, end, severity: 'error', code: 'frontmatter-not-map', message: 'frontmatter must be a YAML mapping of keys to values' });
    return { fields: [], raw: {}, diagnostics };
  }
  const fields: Field[] = [];
  for (const pair of contents.items) {
    const top = fieldOf(pair, '');
    if (!top) continue;
    if (top.key === 'polyglot' && isMap(top.value)) {
      for (const inner of top.value.items) {
        const f = fieldOf(inner, 'polyglot.');
        if (f) fields.push({ ...f, form: 'nested' });
      }
      continue;
    }
    fields.push({ ...top, form: top.key.includes('.') ? 'dotted' : 'plain' });
  }
  let raw: Record<string, unknown>;
  try {
    // toJS expands aliases; the yaml package refuses an alias bomb (maxAliasCount) by throwing.
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (e) {
    diagnostics.push({ start: frontmatter.start, end: Math.max(frontmatter.end, frontmatter.start + 1), severity: 'error', code: 'yaml', message: `YAML: ${(e as Error).message.split('\n')[0]}` });
    return { fields: [], raw: {}, diagnostics };
  }
  return { fields, raw, diagnostics };
}

/**
 * Where a YAML error is shown: the parser often points at the line break after an unclosed `[de`
 * or at the first letter of a duplicate key. A squiggle there is invisible or cut: move a
 * whitespace-only range onto the text before it on its line (or, for indentation, the word after
 * it), and widen a one-character range at
 * a key or word to the whole word.
 */
export function visibleRange(source: string, start: number, end: number): [number, number] {
  if (source.slice(start, end).trim() === '') {
    let stop = start;
    while (stop > 0 && (source[stop - 1] === ' ' || source[stop - 1] === '\t')) stop--;
    if (stop === 0 || source[stop - 1] === '\n' || source[stop - 1] === '\r') {
      // Indentation (a tab): through the first word after it.
      let to = end;
      while (to < source.length && (source[to] === ' ' || source[to] === '\t')) to++;
      while (to < source.length && !/\s/.test(source[to]!)) to++;
      return [start, Math.max(end, to)];
    }
    let from = stop - 1;
    while (from > 0 && !/\s/.test(source[from - 1]!)) from--;
    return [from, stop];
  }
  if (end - start === 1 && /[\w.]/.test(source[start]!)) {
    let to = end;
    while (to < source.length && /[\w.-]/.test(source[to]!)) to++;
    return [start, to];
  }
  return [start, end];
}

function fieldOf(pair: Pair<unknown, unknown>, prefix: string): Omit<Field, 'form'> | undefined {
  const key = pair.key;
  if (!isScalar(key) || key.range === undefined || key.range === null) return undefined;
  return {
    key: prefix + String(key.value),
    keyStart: key.range[0],
    keyEnd: key.range[1],
    value: (pair.value ?? null) as Node | null,
  };
}

/** Lines and flow-collection punctuation in source[start, end): an upper bound of the nodes a parser would build, in one pass. */
function countItems(source: string, start: number, end: number): number {
  let n = 1; // the first line
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 44 || c === 91 || c === 123) n++; // \n , [ {
  }
  return n;
}

/**
 * The yaml package's uniqueKeys rule (two keys are equal when they are the same node or scalars
 * with === values) checked with one Set per map, walking the document without recursion; the
 * error sits on the repeated key, as the package reports it.
 */
function uniqueKeyErrors(root: unknown): { pos: [number, number]; message: string }[] {
  const errors: { pos: [number, number]; message: string }[] = [];
  const todo: unknown[] = [root];
  while (todo.length) {
    const node = todo.pop();
    if (!isCollection(node)) continue;
    const seen = isMap(node) ? new Set<unknown>() : undefined;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        const key = item.key;
        if (seen && isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value) && key.range) errors.push({ pos: [key.range[0], key.range[1]], message: 'Map keys must be unique' });
          seen.add(key.value);
        }
        todo.push(item.key, item.value);
      } else todo.push(item);
    }
  }
  return errors;
}
