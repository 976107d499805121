/**
 * Screens the regular expressions a tokenizer.json brings (pre-tokenizer Split, normalizer and
 * decoder Replace) for the one shape that backtracks exponentially in a JavaScript engine: a
 * repeated group whose body itself repeats, as in `(a+)+` or `(\s*x?)*`. Such a pattern takes
 * seconds for a few dozen characters and cannot be interrupted once the tokenizer runs it (it is
 * synchronous), so it is refused when the tokenizer loads. The tokenizers the engine supports
 * (GPT-2, Llama 3, Qwen2, SentencePiece-style) never nest repetitions.
 */

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
      // \p{L}, \u{…}, \x{…}: skip the braces too, so they are not read as a quantifier.
      i = /[pPux]/.test(pattern[i + 1] ?? '') && pattern[i + 2] === '{' ? pattern.indexOf('}', i) + 1 || n : i + 2;
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < n && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      groups.push(false);
      i++;
      if (pattern[i] === '?') {
        i++;
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') i = pattern.indexOf('>', i) + 1 || n;
        else if (pattern[i] === '<') i += 2;
        else if (pattern[i] === ':' || pattern[i] === '=' || pattern[i] === '!') i++;
        else while (i < n && pattern[i] !== ':' && pattern[i] !== ')') i++; // inline flags (?i: …)
        if (pattern[i] === ':') i++;
      }
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

/** Every `{"Regex": "…"}` pattern in a tokenizer.json, wherever it sits. */
export function tokenizerRegexes(json: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Regex' && typeof x === 'string') out.push(x);
        else if (k !== 'vocab' && k !== 'merges') walk(x);
      }
    }
  };
  walk(json);
  return out;
}
