/**
 * Added tokens found in text as Hugging Face's `tokenizers` finds them (added_vocabulary.rs): a
 * leftmost-longest match over all of them (the library's Aho-Corasick, LeftmostLongest), with
 * `single_word` (no word character on either side) and `lstrip` / `rstrip` (the whitespace run
 * beside the token joins it).
 */
import type { AddedToken } from './gpt2Files';

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const SPACE_CHAR = /\p{White_Space}/u;

/** One stretch of a text: plain text (id null) or an added token, [start, end) in UTF-16 units. */
export interface MatchedPart {
  id: number | null;
  start: number;
  end: number;
}

/** Leftmost-longest matching of a set of strings (the library uses Aho-Corasick, LeftmostLongest). */
export class TokenMatcher {
  private readonly root = new Map<string, unknown>();
  private static readonly END = '\u0000end';

  constructor(readonly tokens: { match: string; token: AddedToken }[]) {
    for (const t of tokens) {
      if (t.match === '') continue;
      let node = this.root;
      for (const ch of t.match) {
        let next = node.get(ch) as Map<string, unknown> | undefined;
        if (!next) node.set(ch, (next = new Map()));
        node = next;
      }
      if (!node.has(TokenMatcher.END)) node.set(TokenMatcher.END, t.token);
    }
  }

  get empty(): boolean {
    return this.root.size === 0;
  }

  /** The longest match starting at `i`: its end and token, or null. */
  private longestAt(text: string, i: number): { end: number; token: AddedToken } | null {
    let node: Map<string, unknown> | undefined = this.root;
    let best: { end: number; token: AddedToken } | null = null;
    let j = i;
    while (node && j < text.length) {
      const ch = text.codePointAt(j)! > 0xffff ? text.slice(j, j + 2) : text[j]!;
      node = node.get(ch) as Map<string, unknown> | undefined;
      j += ch.length;
      const end = node?.get(TokenMatcher.END) as AddedToken | undefined;
      if (end) best = { end: j, token: end };
    }
    return best;
  }

  /** added_vocabulary.rs find_matches: the text cut into plain pieces and added tokens. */
  split(text: string): MatchedPart[] {
    if (this.empty || text === '') return [{ id: null, start: 0, end: text.length }];
    const out: MatchedPart[] = [];
    let from = 0; // start_offset: end of the last accepted token
    let i = 0;
    while (i < text.length) {
      const m = this.longestAt(text, i);
      if (!m) {
        i += text.codePointAt(i)! > 0xffff ? 2 : 1;
        continue;
      }
      let start = i;
      let stop = m.end;
      i = m.end;
      const t = m.token;
      if (t.single_word) {
        const before = start === 0 ? '' : lastChar(text.slice(0, start));
        const after = stop === text.length ? '' : firstChar(text.slice(stop));
        if ((before !== '' && WORD_CHAR.test(before)) || (after !== '' && WORD_CHAR.test(after))) continue;
      }
      if (t.lstrip) {
        let s = start;
        while (s > 0 && SPACE_CHAR.test(lastChar(text.slice(0, s)))) s -= lastChar(text.slice(0, s)).length;
        start = Math.max(s, from);
      }
      if (t.rstrip) while (stop < text.length && SPACE_CHAR.test(firstChar(text.slice(stop)))) stop += firstChar(text.slice(stop)).length;
      if (from < start) out.push({ id: null, start: from, end: start });
      out.push({ id: t.id, start, end: stop });
      // The next match is looked for after this match, not after its stripped whitespace: like
      // the library, a token inside an rstrip run is still emitted.
      from = stop;
    }
    if (from !== text.length) out.push({ id: null, start: from, end: text.length });
    return out;
  }
}

const firstChar = (s: string): string => String.fromCodePoint(s.codePointAt(0)!);
function lastChar(s: string): string {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xdc00 && c <= 0xdfff && s.length > 1 ? s.slice(-2) : s.slice(-1);
}
