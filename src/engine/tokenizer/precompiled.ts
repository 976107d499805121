/**
 * SentencePiece's `Precompiled` normalizer (the `precompiled_charsmap` of XGLM's, XLM-R's and
 * mBART's tokenizer.json: nmt_nfkc and friends compiled into a double-array trie of UTF-8 byte
 * strings plus a blob of NUL-terminated replacements), applied as Hugging Face's `tokenizers`
 * applies it (normalizers/precompiled.rs with the spm_precompiled crate):
 * - the text is cut into extended grapheme clusters;
 * - a cluster shorter than 6 UTF-8 bytes is looked up whole, and if the trie has an entry for any
 *   prefix of it, the shortest such entry's replacement stands for the whole cluster;
 * - otherwise (or when nothing matched) each character is looked up alone and replaced, or kept.
 * NFKC is not the same thing: the charsmap also drops control characters, maps spaces and
 * separators, and differs from NFKC on some scripts (Vietnamese, Sinhala, Myanmar).
 */

import type { Rewrite } from './aligned';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PrecompiledCharsmap {
  private readonly trie: Uint32Array;
  private readonly replacements: Uint8Array;
  private readonly cache = new Map<string, string | null>();

  /** `charsmap`: the decoded bytes: [u32 LE trie size in bytes][trie units][replacement blob]. */
  constructor(charsmap: Uint8Array) {
    if (charsmap.length < 4) throw new Error('precompiled_charsmap is shorter than its header');
    const view = new DataView(charsmap.buffer, charsmap.byteOffset, charsmap.byteLength);
    const trieBytes = view.getUint32(0, true);
    if (trieBytes % 4 !== 0 || 4 + trieBytes > charsmap.length || trieBytes === 0) throw new Error('precompiled_charsmap: trie size does not fit the data');
    this.trie = new Uint32Array(trieBytes / 4);
    for (let i = 0; i < this.trie.length; i++) this.trie[i] = view.getUint32(4 + 4 * i, true);
    this.replacements = charsmap.subarray(4 + trieBytes);
  }

  static fromBase64(b64: string): PrecompiledCharsmap {
    return new PrecompiledCharsmap(Buffer.from(b64, 'base64'));
  }

  /** The replacement of the shortest trie entry that is a prefix of `key`, or null. */
  private lookup(key: Uint8Array): string | null {
    const t = this.trie;
    const offset = (unit: number): number => (unit >>> 10) << ((unit & 0x200) >>> 6);
    let pos = offset(t[0]!);
    for (const c of key) {
      if (c === 0) break;
      pos ^= c;
      const unit = t[pos];
      if (unit === undefined || ((unit & 0x800000ff) >>> 0) !== c) return null;
      pos ^= offset(unit);
      if ((unit >>> 8) & 1) return this.replacementAt(t[pos]! & 0x7fffffff);
    }
    return null;
  }

  private replacementAt(index: number): string {
    let end = index;
    while (end < this.replacements.length && this.replacements[end] !== 0) end++;
    return decoder.decode(this.replacements.subarray(index, end));
  }

  private transform(s: string): string | null {
    let r = this.cache.get(s);
    if (r === undefined) {
      r = this.lookup(encoder.encode(s));
      if (this.cache.size < 65536) this.cache.set(s, r);
    }
    return r;
  }

  /**
   * The stretches of `text` the map rewrites (UTF-16 [start, end) and their replacement), in order:
   * whole graphemes where one matched, else single characters; unchanged text is not listed.
   */
  rewrites(text: string): Rewrite[] {
    const out: Rewrite[] = [];
    for (const { segment, index } of graphemes(text)) {
      if (Buffer.byteLength(segment, 'utf8') < 6) {
        const whole = this.transform(segment);
        if (whole !== null) {
          if (whole !== segment) out.push({ start: index, end: index + segment.length, out: whole });
          continue;
        }
      }
      let at = index;
      for (const ch of segment) {
        const r = this.transform(ch);
        if (r !== null && r !== ch) out.push({ start: at, end: at + ch.length, out: r });
        at += ch.length;
      }
    }
    return out;
  }
}

let segmenter: Intl.Segmenter | undefined;
function graphemes(text: string): Iterable<{ segment: string; index: number }> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}
