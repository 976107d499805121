/**
 * Screens the regular expressions a tokenizer.json brings (pre-tokenizer Split, normalizer and
 * decoder Replace) for the shapes that backtrack exponentially in a JavaScript engine:
 * - a repeated group whose body itself repeats, as in `(a+)+` or `(\s*x?)*`;
 * - a repeated group whose alternatives can match the same text, as in `(a|a)*$` (32 × "a" took
 *   45 s, doubling per character).
 * Such a pattern cannot be interrupted once the tokenizer runs it (it is synchronous), so it is
 * refused when the tokenizer loads. The tokenizers the engine supports (GPT-2, Llama 3, Qwen2,
 * SentencePiece-style) never nest repetitions nor repeat an alternation.
 */

/** Why `pattern` may backtrack catastrophically, or undefined when it passes the screen. */
export function catastrophicRisk(pattern: string): string | undefined {
  if (hasNestedRepetition(pattern)) return 'repeats a group that itself repeats';
  if (hasOverlappingRepeatedAlternation(pattern)) return 'repeats a group whose alternatives can match the same text';
  return undefined;
}

/** Whether `pattern` repeats a group that contains a repetition (star height above one). */
export function hasNestedRepetition(pattern: string): boolean {
  const groups: boolean[] = []; // per open group: does its body repeat anything?
  let i = 0;
  const n = pattern.length;
  const markRepeat = (): void => {
    if (groups.length) groups[groups.length - 1] = true;
  };
  /** Length of a repeating quantifier at `j` (`*`, `+`, `{m,}`, `{m,k}` with k > 1), or 0. */
  const repeatAt = (j: number): number => {
    const c = pattern[j];
    if (c === '*' || c === '+') return 1;
    if (c !== '{') return 0;
    const m = /^\{(\d*),?(\d*)\}/.exec(pattern.slice(j));
    if (!m) return 0;
    const hasComma = m[0].includes(',');
    const max = hasComma ? (m[2] === '' ? Infinity : Number(m[2])) : Number(m[1]);
    return max > 1 ? m[0].length : 0;
  };
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      i = escapeEnd(pattern, i);
    } else if (c === '[') {
      i = classEnd(pattern, i);
    } else if (c === '(') {
      groups.push(false);
      i = groupBodyStart(pattern, i);
      continue;
    } else if (c === ')') {
      const inner = groups.pop() ?? false;
      i++;
      const q = repeatAt(i);
      if (q && inner) return true;
      if (q || inner) markRepeat();
      i += q;
    } else {
      const q = repeatAt(i);
      if (q) {
        markRepeat();
        i += q;
      } else i++;
    }
  }
  return false;
}

/** Index just past the escape at `i`; \p{L}, \u{…}, \x{…} with their braces, so those are not read as a quantifier. */
function escapeEnd(pattern: string, i: number): number {
  return /[pPux]/.test(pattern[i + 1] ?? '') && pattern[i + 2] === '{' ? pattern.indexOf('}', i) + 1 || pattern.length : i + 2;
}

/** Index just past the character class that opens at `i`. */
function classEnd(pattern: string, i: number): number {
  let j = i + 1;
  if (pattern[j] === '^') j++;
  if (pattern[j] === ']') j++;
  while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index of the body of the group that opens at `i`: past `(` and `?:`, `?<name>`, `?=`, `?!`, `?<=`, `?<!` or inline flags `?i:`. */
function groupBodyStart(pattern: string, i: number): number {
  const n = pattern.length;
  let j = i + 1;
  if (pattern[j] !== '?') return j;
  j++;
  if (pattern[j] === '<' && pattern[j + 1] !== '=' && pattern[j + 1] !== '!') j = pattern.indexOf('>', j) + 1 || n;
  else if (pattern[j] === '<') j += 2;
  else if (pattern[j] === ':' || pattern[j] === '=' || pattern[j] === '!') j++;
  else while (j < n && pattern[j] !== ':' && pattern[j] !== ')') j++; // inline flags (?i: …)
  if (pattern[j] === ':') j++;
  return j;
}

/** Length of a quantifier at `j` and whether it repeats (max > 1) and may match nothing (min 0); len 0 when none. */
function quantifierAt(pattern: string, j: number): { len: number; repeats: boolean; optional: boolean } {
  const c = pattern[j];
  let len = 0;
  let repeats = false;
  let optional = false;
  if (c === '*' || c === '+' || c === '?') {
    len = 1;
    repeats = c !== '?';
    optional = c !== '+';
  } else if (c === '{') {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(j));
    if (m && m[1] !== '') {
      len = m[0].length;
      const min = Number(m[1]);
      const max = m[2] ? (m[3] === '' ? Infinity : Number(m[3])) : min;
      repeats = max > 1;
      optional = min === 0;
    }
  }
  if (len && pattern[j + len] === '?') len++; // lazy
  return { len, repeats, optional };
}

/** The characters a branch can start with: a set of (lower-cased) literals, or 'any' when not known. */
type First = Set<string> | 'any';

function overlap(branches: First[]): boolean {
  if (branches.length < 2) return false;
  if (branches.some((b) => b === 'any')) return true;
  const seen = new Set<string>();
  for (const b of branches as Set<string>[]) {
    for (const c of b) if (seen.has(c)) return true;
    for (const c of b) seen.add(c);
  }
  return false;
}

/**
 * Whether `pattern` repeats (`*`, `+`, `{m,}`, `{m,k>1}`) a group with two alternatives that can
 * start with the same character: then each repetition can be split between the alternatives in
 * more than one way, and a failing match tries them all. Conservative: an alternative that starts
 * with a class, an escape class, `.`, a group, an anchor or an optional atom counts as starting
 * with anything, and letters are compared case-insensitively.
 */
export function hasOverlappingRepeatedAlternation(pattern: string): boolean {
  interface Group {
    branches: First[];
    cur: First | null;
  }
  const stack: Group[] = [{ branches: [], cur: null }];
  const top = (): Group => stack[stack.length - 1]!;
  const n = pattern.length;
  let i = 0;
  /** An atom that ends before `j` starts the current branch if nothing has yet. */
  const atom = (first: First, j: number): number => {
    const q = quantifierAt(pattern, j);
    const g = top();
    if (g.cur === null) g.cur = q.optional ? 'any' : first;
    return j + q.len;
  };
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      // An escaped punctuation character is that literal; \d, \s, \p{…}, \b, \1, … are classes or assertions.
      i = atom(/[^A-Za-z0-9]/.test(e) && e !== '' ? new Set([e]) : 'any', escapeEnd(pattern, i));
    } else if (c === '[') {
      i = atom('any', classEnd(pattern, i));
    } else if (c === '(') {
      stack.push({ branches: [], cur: null });
      i = groupBodyStart(pattern, i);
    } else if (c === '|') {
      const g = top();
      g.branches.push(g.cur ?? 'any');
      g.cur = null;
      i++;
    } else if (c === ')') {
      if (stack.length === 1) {
        i++; // an unmatched ) is not ours to judge here
        continue;
      }
      const g = stack.pop()!;
      g.branches.push(g.cur ?? 'any');
      const q = quantifierAt(pattern, i + 1);
      if (q.repeats && overlap(g.branches)) return true;
      i = atom('any', i + 1);
    } else if (c === '^' || c === '$') {
      i = atom('any', i + 1);
    } else if (c === '.') {
      i = atom('any', i + 1);
    } else {
      i = atom(new Set([c.toLowerCase()]), i + 1);
    }
  }
  return false;
}

/**
 * Nesting deeper than this in a tokenizer.json is no real tokenizer (a Sequence of Sequences a few
 * levels deep at most); 20,000 nested normalizers would overflow the stack of every reader that
 * walks them, the tokenizer library's included.
 */
export const MAX_TOKENIZER_NESTING = 64;

/** How deeply `json` nests objects and arrays (walked without recursion), stopping once past `limit`. */
export function jsonNesting(json: unknown, limit = MAX_TOKENIZER_NESTING): number {
  let max = 0;
  const todo: [unknown, number][] = [[json, 1]];
  while (todo.length) {
    const [v, d] = todo.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x && typeof x === 'object') todo.push([x, d + 1]);
  }
  return max;
}

/** Every `{"Regex": "…"}` pattern in a tokenizer.json, wherever it sits, in document order (walked without recursion). */
export function tokenizerRegexes(json: unknown): string[] {
  const out: string[] = [];
  // A stack of what is left to visit, last first: a value to walk, or a pattern found on the way.
  const todo: ({ value: unknown } | { regex: string })[] = [{ value: json }];
  while (todo.length) {
    const item = todo.pop()!;
    if ('regex' in item) {
      out.push(item.regex);
      continue;
    }
    const v = item.value;
    if (!v || typeof v !== 'object') continue;
    const children: ({ value: unknown } | { regex: string })[] = Array.isArray(v)
      ? v.map((x: unknown) => ({ value: x }))
      : Object.entries(v)
          .filter(([k]) => k !== 'vocab' && k !== 'merges')
          .map(([k, x]) => (k === 'Regex' && typeof x === 'string' ? { regex: x } : { value: x }));
    for (let k = children.length - 1; k >= 0; k--) todo.push(children[k]!);
  }
  return out;
}
