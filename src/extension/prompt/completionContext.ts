/**
 * What completion should offer at a cursor inside the frontmatter. Line-based (the YAML may be
 * half-typed and unparseable while the user types): the parent key is the nearest line above
 * with less indentation. Pure, so it is unit-tested without VS Code.
 */
export type CompletionSite =
  | { kind: 'key'; scope: 'top' | 'polyglot' | 'pruning' | 'eval'; prefix: string }
  | { kind: 'language'; prefix: string }
  | { kind: 'hook'; prefix: string }
  | { kind: 'enum'; values: readonly string[]; prefix: string };

const ENUMS: Record<string, readonly string[]> = {
  method: ['wanda', 'magnitude', 'random', 'prog'],
  mode: ['sequential', 'oneshot'],
  enabled: ['true', 'false'],
};
/** Enum values of polyglot.eval's keys. */
const EVAL_ENUMS: Record<string, readonly string[]> = {
  task: ['perplexity', 'translate', 'classify'],
  scoring: ['sequence-mean', 'continuation-sum'],
  metric: ['perplexity', 'bits_per_char', 'chrf', 'bleu', 'off_target_rate', 'accuracy', 'macro_f1'],
};
const LANGUAGE_KEYS = new Set(['languages', 'deactivate']);
const isEval = (parents: string[]): boolean => parents[0] === 'polyglot.eval' || (parents[0] === 'eval' && parents[1] === 'polyglot');

export function completionSite(source: string, offset: number, frontmatter: { start: number; end: number } | undefined): CompletionSite | undefined {
  if (!frontmatter || offset < frontmatter.start || offset > frontmatter.end) return undefined;
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const before = source.slice(lineStart, offset);
  const indent = /^\s*/.exec(before)?.[0].length ?? 0;
  const parents = parentKeys(source.slice(frontmatter.start, lineStart), indent);

  const keyValue = /^\s*(-\s+)?([\w.]+):\s*(.*)$/.exec(before);
  if (keyValue) {
    const key = keyValue[2].replace(/^polyglot\./, '');
    const value = keyValue[3];
    const lastItem = /([^\s[,'"]*)$/.exec(value)?.[1] ?? '';
    if (key === 'corpus' || key === 'calibration') {
      const udhr = /^['"]?(udhr|mt):(?:.*[,-])?([a-z]*)$/.exec(value);
      return udhr ? { kind: 'language', prefix: udhr[2] } : undefined;
    }
    if (LANGUAGE_KEYS.has(key)) return { kind: 'language', prefix: lastItem };
    if (key === 'hooks') return { kind: 'hook', prefix: lastItem };
    if (ENUMS[key] && parents.some((p) => p === 'pruning' || p === 'polyglot.pruning')) return { kind: 'enum', values: ENUMS[key], prefix: lastItem };
    if (EVAL_ENUMS[key] && isEval(parents)) return { kind: 'enum', values: EVAL_ENUMS[key], prefix: lastItem };
    return undefined;
  }
  const listItem = /^\s*-\s*([\w.*]*)$/.exec(before);
  if (listItem) {
    const parent = (parents[0] ?? '').replace(/^polyglot\./, '');
    if (LANGUAGE_KEYS.has(parent)) return { kind: 'language', prefix: listItem[1] };
    if (parent === 'hooks') return { kind: 'hook', prefix: listItem[1] };
    return undefined;
  }
  const keyPrefix = /^\s*([\w.]*)$/.exec(before);
  if (!keyPrefix) return undefined;
  if (indent === 0) return { kind: 'key', scope: 'top', prefix: keyPrefix[1] };
  const parent = parents[0];
  if (parent === 'polyglot') return { kind: 'key', scope: 'polyglot', prefix: keyPrefix[1] };
  if (parent === 'polyglot.pruning' || (parent === 'pruning' && parents[1] === 'polyglot')) return { kind: 'key', scope: 'pruning', prefix: keyPrefix[1] };
  if (isEval(parents)) return { kind: 'key', scope: 'eval', prefix: keyPrefix[1] };
  return undefined;
}

/** Keys of the enclosing mappings, innermost first, for a line indented by `indent`. */
function parentKeys(above: string, indent: number): string[] {
  const keys: string[] = [];
  let limit = indent;
  const lines = above.split(/\r?\n/).reverse();
  for (const line of lines) {
    if (line.trim() === '' || limit === 0) continue;
    const m = /^(\s*)(?:-\s+)?([\w.]+):/.exec(line);
    if (!m || m[1].length >= limit) continue;
    keys.push(m[2]);
    limit = m[1].length;
  }
  return keys;
}
