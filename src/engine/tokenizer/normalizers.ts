/**
 * tokenizer.json normalizers over AlignedText, as Hugging Face's `tokenizers` applies them
 * (normalizers/*.rs): the text each writes is the library's, and each written character's span in
 * the input follows the offset rule (aligned.ts). Components @huggingface/tokenizers implements
 * correctly for text (Unicode forms, Lowercase, StripAccents, BertNormalizer) write its text; where
 * their characters came from is found stretch by stretch (one character, or a character with the
 * marks after it for the Unicode forms), checked to add up to the component's whole output.
 */
import {
  BertNormalizer,
  LowercaseNormalizer,
  NFCNormalizer,
  NFDNormalizer,
  NFKCNormalizer,
  NFKDNormalizer,
  ReplaceNormalizer,
  StripAccentsNormalizer,
} from '@huggingface/tokenizers';
import { AlignedText, type OffsetRule, type Rewrite } from './aligned';
import { type UnicodeForm, rewriteStream, unicodeStream } from './changeStreams';
import { PrecompiledCharsmap } from './precompiled';

type Json = Record<string, unknown>;
export type Normalize = (t: AlignedText, rule: OffsetRule) => AlignedText;

export class UnsupportedComponent extends Error {}

/** Every match of the global regex `re` in `text` as [start, end); empty matches step one code point. */
export function regexMatches(text: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex += (text.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1;
  }
  return out;
}

/** normalizer.rs replace(): every match of `re` becomes `content`. */
export function replaceAll(t: AlignedText, re: RegExp, content: string, rule: OffsetRule): AlignedText {
  return t.rewrite(
    regexMatches(t.text, re).map(([start, end]) => ({ start, end, out: content })),
    rule,
    'replace',
  );
}

/** normalizer.rs prepend(): only a non-empty text gets the prefix. */
export function prepend(t: AlignedText, prefix: string, rule: OffsetRule): AlignedText {
  return t.text === '' ? t : t.rewrite([{ start: 0, end: 0, out: prefix }], rule, 'prepend');
}

/**
 * A text function of the library's applied stretch by stretch: the rewrites that give its output
 * for `text`, one per changed character — or, with `interacting` (Unicode forms, which compose and
 * reorder across characters), per run of characters whose outputs do not add up alone — or one
 * rewrite of the whole text where even that does not give the whole output.
 */
function localRewrites(text: string, f: (s: string) => string, interacting: boolean): Rewrite[] {
  const whole = f(text);
  if (whole === text) return [];
  const groups: [number, number][] = [];
  for (let i = 0; i < text.length; ) {
    const n = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    groups.push([i, i + n]);
    i += n;
  }
  if (interacting) {
    for (let i = 0; i + 1 < groups.length; ) {
      const a = text.slice(groups[i]![0], groups[i]![1]);
      const b = text.slice(groups[i + 1]![0], groups[i + 1]![1]);
      if (f(a + b) === f(a) + f(b)) i++;
      else groups.splice(i, 2, [groups[i]![0], groups[i + 1]![1]]);
    }
  }
  const rewrites: Rewrite[] = [];
  let joined = '';
  for (const [start, end] of groups) {
    const s = text.slice(start, end);
    const out = f(s);
    joined += out;
    if (out !== s) rewrites.push({ start, end, out });
  }
  return joined === whole ? rewrites : [{ start: 0, end: text.length, out: whole }];
}

/** A normalizer of @huggingface/tokenizers; `form`: a Unicode form, whose change stream is the crate's. */
function library(n: { normalize(text: string): string }, form?: UnicodeForm): Normalize {
  const f = (s: string): string => n.normalize(s);
  return (t, rule) => {
    if (!t.tracked) {
      const out = f(t.text);
      return out === t.text ? t : t.rewrite([{ start: 0, end: t.text.length, out }], rule, 'replace');
    }
    const rewrites = localRewrites(t.text, f, form !== undefined);
    if (rule === 'hover') return t.rewrite(rewrites, rule, 'replace');
    const streamOf = form && ((r: Rewrite) => unicodeStream(t.text.slice(r.start, r.end), form));
    return t.transform(rewriteStream(t.text, rewrites, 'skipped', streamOf));
  };
}

export function buildNormalizer(cfg: unknown): Normalize | null {
  if (cfg === null || cfg === undefined) return null;
  const c = cfg as Json;
  switch (c.type) {
    case 'Sequence': {
      const steps = ((c.normalizers as unknown[]) ?? []).map(buildNormalizer).filter((n): n is Normalize => n !== null);
      return (t, rule) => steps.reduce((s, n) => n(s, rule), t);
    }
    case 'Precompiled': {
      // The library cannot load an empty or malformed map either (it aborts); refuse it by name.
      if (typeof c.precompiled_charsmap !== 'string') throw new UnsupportedComponent('a Precompiled normalizer without precompiled_charsmap');
      const map = PrecompiledCharsmap.fromBase64(c.precompiled_charsmap);
      return (t, rule) => {
        const rewrites = map.rewrites(t.text);
        return rule === 'library' && t.tracked ? t.transform(rewriteStream(t.text, rewrites, 'lost')) : t.rewrite(rewrites, rule, 'replace');
      };
    }
    case 'Strip': {
      // Rust's char::is_whitespace is White_Space; String.prototype.trim also strips U+FEFF.
      const left = c.strip_left === true;
      const right = c.strip_right === true;
      return (t) => {
        const start = left ? t.text.length - t.text.replace(/^\p{White_Space}+/u, '').length : 0;
        const end = right ? t.text.replace(/\p{White_Space}+$/u, '').length : t.text.length;
        return start === 0 && end === t.text.length ? t : t.slice(Math.min(start, end), end);
      };
    }
    case 'Replace': {
      const re = new ReplaceNormalizer(c as never).pattern;
      if (!re) throw new UnsupportedComponent('a Replace pattern that is neither String nor Regex');
      const content = typeof c.content === 'string' ? c.content : '';
      return (t, rule) => replaceAll(t, re, content, rule);
    }
    case 'Prepend': {
      const prefix = typeof c.prepend === 'string' ? c.prepend : '';
      return (t, rule) => prepend(t, prefix, rule);
    }
    case 'NFC':
      return library(new NFCNormalizer(c as never), 'NFC');
    case 'NFD':
      return library(new NFDNormalizer(c as never), 'NFD');
    case 'NFKC':
      return library(new NFKCNormalizer(c as never), 'NFKC');
    case 'NFKD':
      return library(new NFKDNormalizer(c as never), 'NFKD');
    case 'Lowercase':
      return library(new LowercaseNormalizer(c as never));
    case 'StripAccents':
      return library(new StripAccentsNormalizer(c as never));
    case 'BertNormalizer':
      return library(new BertNormalizer(c as never));
    default:
      throw new UnsupportedComponent(`normalizer ${String(c.type)}`);
  }
}
