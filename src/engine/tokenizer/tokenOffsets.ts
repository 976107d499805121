/**
 * Character offsets of tokens in the text they came from. The tokenizer library gives no offsets,
 * so each token's decoded piece is placed on the original text from a cursor. Placing pieces on
 * the text (rather than summing decoded lengths) keeps offsets right where the decoded text and
 * the input differ in length:
 * - an unknown token (`<unk>`) decodes to nothing useful, yet covers input characters: it gets the
 *   text between the tokens around it;
 * - a special token typed in the text (`<|endoftext|>`, `</s>`) is skipped over;
 * - normalisers that drop characters (XGLM collapses runs of spaces) leave whitespace the next
 *   token then covers; a space the pre-tokenizer adds (add_prefix_space) is not looked for.
 * Where a piece cannot be found (a normaliser rewrote it, e.g. NFKC full-width letters), the piece
 * length is used from the cursor, which is exact for length-preserving rewrites.
 */

/**
 * One token as the aligner sees it. `text`: the characters its decoding adds to the decoded text
 * so far ('' for a byte piece that does not complete a character yet). `unk`: the model's unknown
 * token. `special`: a special token (gets no span); `content` is its text, as typed in a prompt.
 */
export type TokenPiece = { kind: 'text'; text: string } | { kind: 'unk' } | { kind: 'special'; content: string };

export type Span = [number, number] | null;

const noSpace = (s: string): string => s.replace(/\s+/g, '');

export function alignOffsets(text: string, pieces: readonly TokenPiece[]): Span[] {
  const out: Span[] = [];
  let cursor = 0;
  // Tokens placed once the next piece is found: unknown tokens take the skipped text, empty pieces
  // (partial bytes) sit where the next piece starts.
  let waiting: { at: number; unk: boolean }[] = [];
  let specials = '';

  const flush = (gapEnd: number, nextStart: number): void => {
    const unks = waiting.filter((w) => w.unk);
    // Several unknown tokens in a row share the gap one code point each, the last takes the rest.
    let p = cursor;
    unks.forEach((w, i) => {
      const last = i === unks.length - 1;
      const cp = text.codePointAt(p);
      const end = last ? Math.max(gapEnd, p) : Math.min(gapEnd, p + (cp !== undefined && cp > 0xffff ? 2 : cp !== undefined ? 1 : 0));
      out[w.at] = [p, end];
      p = end;
    });
    for (const w of waiting) if (!w.unk) out[w.at] = [nextStart, nextStart];
    waiting = [];
    specials = '';
  };

  /** Where piece `p` sits: at the cursor, or past a gap of whitespace, unknown or special text. */
  const locate = (p: string): { at: number; start: number } | null => {
    if (text.startsWith(p, cursor)) return { at: cursor, start: cursor };
    const found = text.indexOf(p, cursor);
    if (found < 0) return null;
    const gap = noSpace(text.slice(cursor, found));
    const hasUnk = waiting.some((w) => w.unk);
    // Special tokens a template added (BOS) come before those typed in the text.
    if (!hasUnk && gap !== '' && !noSpace(specials).endsWith(gap)) return null;
    // Skipped whitespace belongs to this token (its normaliser dropped it); skipped unknown or
    // special text does not.
    return { at: found, start: hasUnk || gap !== '' ? found : cursor };
  };

  for (const piece of pieces) {
    if (piece.kind === 'special') {
      out.push(null);
      specials += piece.content;
      continue;
    }
    let p = piece.kind === 'text' ? piece.text : '';
    let found = p !== '' ? locate(p) : null;
    if (!found && p !== p.trimStart()) {
      // A space the pre-tokenizer added (add_prefix_space) decodes but is not in the text.
      const trimmed = p.trimStart();
      const again = trimmed === '' ? null : locate(trimmed);
      if (trimmed === '' || again) [p, found] = [trimmed, again];
    }
    if (piece.kind === 'unk' || p === '') {
      waiting.push({ at: out.length, unk: piece.kind === 'unk' });
      out.push(null);
      continue;
    }
    let at = found ? found.at : -1;
    let start = found ? found.start : cursor;
    if (at < 0) {
      // Not on the text as decoded: give each unknown token one character, then use the length.
      const unkCount = waiting.filter((w) => w.unk).length;
      let end = cursor;
      for (let i = 0; i < unkCount && end < text.length; i++) end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
      flush(end, end);
      at = start = cursor = end;
    } else {
      flush(at, start);
    }
    const end = Math.min(at + p.length, text.length);
    out.push([Math.min(start, end), end]);
    cursor = end;
  }
  flush(text.length, cursor);
  return out;
}
