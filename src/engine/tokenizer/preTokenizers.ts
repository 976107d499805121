/**
 * tokenizer.json pre-tokenizers over AlignedText, as Hugging Face's `tokenizers` applies them
 * (pre_tokenizers/*.rs): `Split` with all five behaviours and `invert` (NormalizedString::split),
 * `Metaspace` with `split` and `prepend_scheme`, `ByteLevel` (each UTF-8 byte of a character
 * becomes one byte character spanning that character). The splitting-only components
 * @huggingface/tokenizers implements correctly give their pieces, found in order on the text.
 */
import {
  BertPreTokenizer,
  ByteLevelPreTokenizer,
  DigitsPreTokenizer,
  FixedLengthPreTokenizer,
  PunctuationPreTokenizer,
  ReplacePreTokenizer,
  SplitPreTokenizer,
  WhitespacePreTokenizer,
  WhitespaceSplitPreTokenizer,
} from '@huggingface/tokenizers';
import { AlignedText, type OffsetRule, type Rewrite, utf8Length } from './aligned';
import { UnsupportedComponent, prepend, regexMatches, replaceAll } from './normalizers';

type Json = Record<string, unknown>;
/** A piece of text on its way to the model; `atStart`: it begins the input (Metaspace `first`). */
export interface Piece {
  t: AlignedText;
  atStart: boolean;
}
export type PreTokenize = (pieces: Piece[], rule: OffsetRule) => Piece[];

type Behavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** NormalizedString::split: [start, end) of the pieces `text` is cut into at `matches` with one behaviour. */
export function splitBy(text: string, matches: [number, number][], behavior: Behavior, invert: boolean): [number, number][] {
  const spans: { s: number; e: number; m: boolean }[] = [];
  let prev = 0;
  for (const [s, e] of matches) {
    if (prev !== s) spans.push({ s: prev, e: s, m: false });
    spans.push({ s, e, m: true });
    prev = e;
  }
  if (prev !== text.length) spans.push({ s: prev, e: text.length, m: false });
  if (invert) for (const sp of spans) sp.m = !sp.m;
  let out: { s: number; e: number; drop: boolean }[];
  if (behavior === 'Removed') out = spans.map((sp) => ({ s: sp.s, e: sp.e, drop: sp.m }));
  else if (behavior === 'Isolated') out = spans.map((sp) => ({ s: sp.s, e: sp.e, drop: false }));
  else if (behavior === 'Contiguous' || behavior === 'MergedWithPrevious') {
    out = [];
    let previous = false;
    for (const sp of spans) {
      const last = out[out.length - 1];
      const join = behavior === 'Contiguous' ? sp.m === previous : sp.m && !previous;
      if (join && last) last.e = sp.e;
      else out.push({ s: sp.s, e: sp.e, drop: false });
      previous = sp.m;
    }
  } else {
    out = [];
    let previous = false;
    for (let i = spans.length - 1; i >= 0; i--) {
      const sp = spans[i]!;
      const last = out[out.length - 1];
      if (sp.m && !previous && last) last.s = sp.s;
      else out.push({ s: sp.s, e: sp.e, drop: false });
      previous = sp.m;
    }
    out.reverse();
  }
  return out.filter((x) => !x.drop && x.e > x.s).map((x) => [x.s, x.e]);
}

/** Each output piece of one input piece (empty ones dropped); the first keeps the input's `atStart`. */
const eachPiece =
  (f: (t: AlignedText, atStart: boolean, rule: OffsetRule) => AlignedText[]): PreTokenize =>
  (pieces, rule) =>
    pieces.flatMap((p) => f(p.t, p.atStart, rule).filter((t) => t.text !== '').map((t, i) => ({ t, atStart: p.atStart && i === 0 })));

const slices = (t: AlignedText, ranges: [number, number][]): AlignedText[] => ranges.map(([s, e]) => t.slice(s, e));

/** A splitting pre-tokenizer of the library: its pieces are found in order on the text. */
function located(p: { pre_tokenize_text(text: string): string[] }): PreTokenize {
  return eachPiece((t) => {
    if (!t.tracked) return p.pre_tokenize_text(t.text).map((piece) => AlignedText.of(piece, t.origin, false));
    const ranges: [number, number][] = [];
    let at = 0;
    for (const piece of p.pre_tokenize_text(t.text)) {
      const found = t.text.indexOf(piece, at);
      if (found < 0) throw new Error(`pre-tokenizer piece ${JSON.stringify(piece)} is not in its text`);
      ranges.push([found, found + piece.length]);
      at = found + piece.length;
    }
    return slices(t, ranges);
  });
}


/**
 * ByteLevel: the optional prefix space, GPT-2's split (when use_regex), then every UTF-8 byte as its
 * byte character, spanning the character it belongs to (a lone surrogate is U+FFFD's three bytes).
 */
function byteLevel(c: Json): PreTokenize {
  const lib = new ByteLevelPreTokenizer(c as never) as unknown as { add_prefix_space: boolean; use_regex: boolean; pattern: RegExp; byte_encoder: Record<number, string> };
  const encoder = new TextEncoder();
  const mapBytes = (b: Uint8Array, from: number, to: number): string => {
    let out = '';
    for (let i = from; i < to; i++) out += lib.byte_encoder[b[i]!];
    return out;
  };
  const bytes = (t: AlignedText): AlignedText => {
    const b = encoder.encode(t.text);
    if (!t.tracked) return AlignedText.of(mapBytes(b, 0, b.length), t.origin, false);
    const rewrites: Rewrite[] = [];
    let at = 0;
    for (let i = 0; i < t.text.length; ) {
      const cp = t.text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      const mapped = mapBytes(b, at, at + utf8Length(cp));
      at += utf8Length(cp);
      if (mapped !== t.text.slice(i, i + n)) rewrites.push({ start: i, end: i + n, out: mapped });
      i += n;
    }
    // Each byte character spans its whole character under either rule (the library's transform
    // gives a character's first byte its span with change 0, the others the same with change 1).
    return t.rewrite(rewrites, 'hover', 'replace');
  };
  return eachPiece((t, _atStart, rule) => {
    let s = t;
    if (lib.add_prefix_space && !s.text.startsWith(' ')) s = prepend(s, ' ', rule);
    const parts = lib.use_regex ? slices(s, regexMatches(s.text, lib.pattern)) : [s];
    return parts.map(bytes);
  });
}

export function buildPreTokenizer(cfg: unknown): PreTokenize | null {
  if (cfg === null || cfg === undefined) return null;
  const c = cfg as Json;
  switch (c.type) {
    case 'Sequence': {
      const steps = ((c.pretokenizers as unknown[]) ?? []).map(buildPreTokenizer).filter((p): p is PreTokenize => p !== null);
      return (pieces, rule) => steps.reduce((ps, p) => p(ps, rule), pieces);
    }
    case 'Split': {
      // The library's pattern compiler (Oniguruma syntax → JavaScript), asked for the bare pattern.
      const re = new SplitPreTokenizer({ ...c, invert: true } as never).pattern;
      if (!re) throw new UnsupportedComponent('a Split pattern that is neither String nor Regex');
      const behavior = (c.behavior ?? 'Isolated') as Behavior;
      const invert = c.invert === true;
      return eachPiece((t) => slices(t, splitBy(t.text, regexMatches(t.text, re), behavior, invert)));
    }
    case 'Metaspace': {
      const rep = typeof c.replacement === 'string' ? c.replacement : '▁';
      // Older files say add_prefix_space (true = always); newer ones prepend_scheme.
      const scheme = typeof c.prepend_scheme === 'string' ? c.prepend_scheme : c.add_prefix_space === false ? 'never' : 'always';
      const split = c.split !== false;
      const space = / /gu;
      return eachPiece((t, atStart, rule) => {
        let s = replaceAll(t, space, rep, rule);
        if (!s.text.startsWith(rep) && (scheme === 'always' || (scheme === 'first' && atStart))) s = prepend(s, rep, rule);
        if (!split) return [s];
        const matches: [number, number][] = [];
        for (let i = s.text.indexOf(rep); i >= 0; i = s.text.indexOf(rep, i + rep.length)) matches.push([i, i + rep.length]);
        return slices(s, splitBy(s.text, matches, 'MergedWithNext', false));
      });
    }
    case 'ByteLevel':
      return byteLevel(c);
    case 'Replace': {
      const re = new ReplacePreTokenizer(c as never).pattern;
      const content = typeof c.content === 'string' ? c.content : '';
      return eachPiece((t, _atStart, rule) => [re ? replaceAll(t, re, content, rule) : t]);
    }
    case 'Digits':
      return located(new DigitsPreTokenizer(c as never));
    case 'Whitespace':
      return located(new WhitespacePreTokenizer());
    case 'WhitespaceSplit':
      return located(new WhitespaceSplitPreTokenizer());
    case 'Punctuation':
      return located(new PunctuationPreTokenizer(c as never));
    case 'BertPreTokenizer':
      return located(new BertPreTokenizer());
    case 'FixedLength':
      return located(new FixedLengthPreTokenizer(c as never));
    default:
      throw new UnsupportedComponent(`pre-tokenizer ${String(c.type)}`);
  }
}
