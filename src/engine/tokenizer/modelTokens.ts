/**
 * Where in its piece each token the model produced lies (the library's models carry these offsets:
 * models/bpe/model.rs merge_word, models/unigram/model.rs tokenize). @huggingface/tokenizers' models
 * give only the tokens' strings, which are the piece's text in order except for
 * - byte-fallback tokens `<0xNN>`: one UTF-8 byte each of a character, each spanning the character;
 * - the unknown token of a BPE model: one character, or with `fuse_unk` the run of characters the
 *   vocabulary lacks (Unigram models give the unknown text itself);
 * - WordPiece's continuing prefix and BPE's end-of-word suffix, which are not in the text.
 */
import { utf8Length } from './aligned';

const BYTE_TOKEN = /^<0x[0-9A-F]{2}>$/;

export interface ModelInfo {
  unkToken: string | undefined;
  fuseUnk: boolean;
  /** The vocabulary: whether a single character is known (for the length of a fused unknown run). */
  has(token: string): boolean;
  prefix: string | undefined;
  suffix: string | undefined;
}

export function modelInfo(model: Record<string, unknown>, vocab: Map<string, number>): ModelInfo {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    unkToken: str(model.unk_token) ?? (typeof model.unk_id === 'number' && Array.isArray(model.vocab) ? str((model.vocab[model.unk_id] as unknown[] | undefined)?.[0]) : undefined),
    fuseUnk: model.fuse_unk === true,
    has: (t) => vocab.has(t),
    prefix: str(model.continuing_subword_prefix),
    suffix: str(model.end_of_word_suffix),
  };
}

/** [start, end) in UTF-16 units of `text` for each of `tokens`, the model's tokens of `text`. */
export function tokenRanges(text: string, tokens: readonly string[], m: ModelInfo): [number, number][] {
  const out: [number, number][] = [];
  let pos = 0;
  let byteInChar = 0;
  const cpLen = (at: number): number => ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
  for (const token of tokens) {
    if (byteInChar === 0) {
      let t = token;
      if (m.prefix !== undefined && pos > 0 && t.startsWith(m.prefix) && !text.startsWith(t, pos)) t = t.slice(m.prefix.length);
      if (m.suffix !== undefined && t.endsWith(m.suffix) && !text.startsWith(t, pos)) t = t.slice(0, -m.suffix.length);
      if (t !== '' && text.startsWith(t, pos)) {
        out.push([pos, pos + t.length]);
        pos += t.length;
        continue;
      }
    }
    if (BYTE_TOKEN.test(token) && pos < text.length) {
      const n = cpLen(pos);
      out.push([pos, pos + n]);
      if (++byteInChar === utf8Length(text.codePointAt(pos)!)) {
        pos += n;
        byteInChar = 0;
      }
      continue;
    }
    // The unknown token: one character, or the run of characters the vocabulary does not know.
    const start = pos;
    if (pos < text.length) pos += cpLen(pos);
    if (token === m.unkToken && m.fuseUnk) {
      while (pos < text.length && !m.has(text.slice(pos, pos + cpLen(pos)))) pos += cpLen(pos);
    }
    out.push([start, pos]);
  }
  return out;
}
