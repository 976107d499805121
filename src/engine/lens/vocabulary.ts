/**
 * The vocabulary as byte strings, for matching lens tokens against target words (Wendler et al.
 * count every token that starts the word, with or without a leading space) and for the script of
 * a token. A token's bytes follow the tokenizer's decoder: byte-level BPE (GPT-2, BLOOM, the
 * default model) maps each character of the stored token back to one byte through GPT-2's
 * bytes_to_unicode table; SentencePiece-style vocabularies (Llama 2, Gemma, XGLM) write a space as
 * ▁ and a fallback byte as <0xNN>. Special tokens have no bytes.
 */
import { existsSync } from 'node:fs';
import { readUserText } from '../io/userFile';
import { join } from 'node:path';
import type { ModelTokenizer } from '../tokenizer/tokenizer';

/** GPT-2's bytes_to_unicode, inverted: the character a byte-level vocabulary writes → the byte. */
function byteDecoder(): Map<string, number> {
  const printable = (b: number): boolean => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const map = new Map<string, number>();
  let n = 0;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable(b) ? b : 256 + n++), b);
  return map;
}

/** Whether tokenizer.json decodes byte-level (a ByteLevel decoder anywhere in it); GPT-2's vocab.json + merges.txt always do. */
export function isByteLevel(dir: string): boolean {
  const file = join(dir, 'tokenizer.json');
  if (!existsSync(file)) return true;
  const has = (d: unknown): boolean => {
    if (!d || typeof d !== 'object') return false;
    const o = d as { type?: unknown; decoders?: unknown };
    return o.type === 'ByteLevel' || (Array.isArray(o.decoders) && o.decoders.some(has));
  };
  try {
    return has((JSON.parse(readUserText(file, 'tokenizer')) as { decoder?: unknown }).decoder);
  } catch {
    return false;
  }
}

const utf8 = new TextEncoder();

/** Each id's bytes (null: special or unknown to the tokenizer); ids past the tokenizer's vocabulary get null. */
export function vocabularyBytes(tokenizer: ModelTokenizer, byteLevel: boolean, vocabSize: number): (Uint8Array | null)[] {
  const decoder = byteLevel ? byteDecoder() : undefined;
  return Array.from({ length: vocabSize }, (_, id) => idBytes(tokenizer, decoder, id));
}

/** The bytes of some ids (the Activations panel shows a byte-level piece by its bytes: "¿ 1/2 ‹C2›"). */
export function tokenBytes(tokenizer: ModelTokenizer, byteLevel: boolean, ids: readonly number[]): (Uint8Array | null)[] {
  const decoder = byteLevel ? byteDecoder() : undefined;
  return ids.map((id) => idBytes(tokenizer, decoder, id));
}

function idBytes(tokenizer: ModelTokenizer, decoder: Map<string, number> | undefined, id: number): Uint8Array | null {
  const raw = tokenizer.idToToken(id);
  if (raw === undefined || raw === '' || tokenizer.isSpecial(id)) return null;
  if (decoder) {
    const bytes: number[] = [];
    for (const ch of raw) {
      const b = decoder.get(ch);
      // An added token outside the byte alphabet (e.g. "<pad>" in a byte-level vocabulary) is text as written.
      if (b === undefined) return utf8.encode(raw);
      bytes.push(b);
    }
    return Uint8Array.from(bytes);
  }
  const fallback = /^<0x([0-9A-Fa-f]{2})>$/.exec(raw);
  return fallback ? Uint8Array.of(parseInt(fallback[1]!, 16)) : utf8.encode(raw.replaceAll('\u2581', ' '));
}

function startsWith(whole: Uint8Array, part: Uint8Array): boolean {
  if (part.length === 0 || part.length > whole.length) return false;
  for (let i = 0; i < part.length; i++) if (whole[i] !== part[i]) return false;
  return true;
}

/**
 * The ids Wendler et al. count for a word: every token whose bytes are a non-empty prefix of the
 * word's UTF-8 bytes, or of " " + word (then longer than the space alone). Byte-fallback tokens of
 * the first character's first bytes are included, as their code adds them for Chinese and Russian.
 */
export function targetIds(bytes: readonly (Uint8Array | null)[], word: string): number[] {
  const bare = word.trimStart();
  const plain = utf8.encode(bare);
  const spaced = utf8.encode(` ${bare}`);
  const ids: number[] = [];
  bytes.forEach((b, id) => {
    if (!b) return;
    if (startsWith(plain, b) || (b.length > 1 && startsWith(spaced, b))) ids.push(id);
  });
  return ids;
}
