/**
 * Encoding as Hugging Face's Rust `tokenizers` library encodes (tokenizer/mod.rs,
 * added_vocabulary.rs, normalizers/, pre_tokenizers/), on top of @huggingface/tokenizers' models
 * (BPE with byte fallback, Unigram) and the components it already gets right. The parts it
 * approximates are done here the library's way:
 * - added tokens: leftmost-longest matches on the raw text for `normalized: false` tokens, then on
 *   each normalized piece for `normalized: true` ones, with `single_word` (no word character on
 *   either side), `lstrip` / `rstrip` (the whitespace run beside the token joins it);
 * - the `Precompiled` normalizer (precompiled.ts) instead of NFKC; `Strip` on White_Space only;
 * - `Split` with each delimiter behaviour and `invert`, as NormalizedString::split;
 * - `Metaspace` with `split` and `prepend_scheme` (`first`: only the piece that starts the text);
 * - ids from the model's own vocabulary, then the post-processor's template ids.
 * tests/engine/tokenizer-parity.test.ts checks every family's format against the library itself.
 */
import {
  BertNormalizer,
  BertPreTokenizer,
  ByteLevelPreTokenizer,
  DigitsPreTokenizer,
  FixedLengthPreTokenizer,
  LowercaseNormalizer,
  NFCNormalizer,
  NFDNormalizer,
  NFKCNormalizer,
  NFKDNormalizer,
  PrependNormalizer,
  PunctuationPreTokenizer,
  ReplaceNormalizer,
  ReplacePreTokenizer,
  SplitPreTokenizer,
  StripAccentsNormalizer,
  WhitespacePreTokenizer,
  WhitespaceSplitPreTokenizer,
  type Tokenizer,
} from '@huggingface/tokenizers';
import type { AddedToken } from './gpt2Files';
import { PrecompiledCharsmap } from './precompiled';

type Json = Record<string, unknown>;
type Normalize = (text: string) => string;
/** A piece of text on its way to the model; `atStart`: it begins the input (Metaspace `first`). */
interface Piece {
  text: string;
  atStart: boolean;
}
type PreTokenize = (pieces: Piece[]) => Piece[];

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const SPACE_CHAR = /\p{White_Space}/u;

export class UnsupportedComponent extends Error {}

function buildNormalizer(cfg: unknown): Normalize | null {
  if (cfg === null || cfg === undefined) return null;
  const c = cfg as Json;
  const lib = (n: { normalize(text: string): string }): Normalize => (t) => n.normalize(t);
  switch (c.type) {
    case 'Sequence': {
      const steps = ((c.normalizers as unknown[]) ?? []).map(buildNormalizer).filter((n): n is Normalize => n !== null);
      return (t) => steps.reduce((s, n) => n(s), t);
    }
    case 'Precompiled': {
      // The library cannot load an empty or malformed map either (it aborts); refuse it by name.
      if (typeof c.precompiled_charsmap !== 'string') throw new UnsupportedComponent('a Precompiled normalizer without precompiled_charsmap');
      const map = PrecompiledCharsmap.fromBase64(c.precompiled_charsmap);
      return (t) => map.normalize(t);
    }
    case 'Strip': {
      // Rust's char::is_whitespace is White_Space; String.prototype.trim also strips U+FEFF.
      const left = c.strip_left === true;
      const right = c.strip_right === true;
      return (t) => (right ? t.replace(/\p{White_Space}+$/u, '') : t).replace(left ? /^\p{White_Space}+/u : /(?!)/u, '');
    }
    case 'NFC':
      return lib(new NFCNormalizer(c as never));
    case 'NFD':
      return lib(new NFDNormalizer(c as never));
    case 'NFKC':
      return lib(new NFKCNormalizer(c as never));
    case 'NFKD':
      return lib(new NFKDNormalizer(c as never));
    case 'Lowercase':
      return lib(new LowercaseNormalizer(c as never));
    case 'StripAccents':
      return lib(new StripAccentsNormalizer(c as never));
    case 'Prepend':
      return lib(new PrependNormalizer(c as never));
    case 'Replace':
      return lib(new ReplaceNormalizer(c as never));
    case 'BertNormalizer':
      return lib(new BertNormalizer(c as never));
    default:
      throw new UnsupportedComponent(`normalizer ${String(c.type)}`);
  }
}

type Behavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** NormalizedString::split: cut `text` at `matches` ([start, end) ranges, in order) with one behaviour. */
function splitBy(text: string, matches: [number, number][], behavior: Behavior, invert: boolean): string[] {
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
  return out.filter((x) => !x.drop && x.e > x.s).map((x) => text.slice(x.s, x.e));
}

function regexMatches(text: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex += (text.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1;
  }
  return out;
}

/** Each output piece of one input piece; the first keeps the input's `atStart`. */
const eachPiece = (f: (text: string, atStart: boolean) => string[]): PreTokenize => (pieces) =>
  pieces.flatMap((p) => f(p.text, p.atStart).filter((t) => t !== '').map((text, i) => ({ text, atStart: p.atStart && i === 0 })));

function buildPreTokenizer(cfg: unknown): PreTokenize | null {
  if (cfg === null || cfg === undefined) return null;
  const c = cfg as Json;
  const lib = (p: { pre_tokenize_text(text: string, options?: unknown): string[] }): PreTokenize => eachPiece((t) => p.pre_tokenize_text(t));
  switch (c.type) {
    case 'Sequence': {
      const steps = ((c.pretokenizers as unknown[]) ?? []).map(buildPreTokenizer).filter((p): p is PreTokenize => p !== null);
      return (pieces) => steps.reduce((ps, p) => p(ps), pieces);
    }
    case 'Split': {
      // The library's pattern compiler (Oniguruma syntax → JavaScript), asked for the bare pattern.
      const re = new SplitPreTokenizer({ ...c, invert: true } as never).pattern;
      if (!re) throw new UnsupportedComponent('a Split pattern that is neither String nor Regex');
      const behavior = (c.behavior ?? 'Isolated') as Behavior;
      const invert = c.invert === true;
      return eachPiece((t) => splitBy(t, regexMatches(t, re), behavior, invert));
    }
    case 'Metaspace': {
      const rep = typeof c.replacement === 'string' ? c.replacement : '▁';
      // Older files say add_prefix_space (true = always); newer ones prepend_scheme.
      const scheme = typeof c.prepend_scheme === 'string' ? c.prepend_scheme : c.add_prefix_space === false ? 'never' : 'always';
      const split = c.split !== false;
      return eachPiece((t, atStart) => {
        let s = t.replaceAll(' ', rep);
        if (!s.startsWith(rep) && (scheme === 'always' || (scheme === 'first' && atStart))) s = rep + s;
        if (!split) return [s];
        const matches: [number, number][] = [];
        for (let i = s.indexOf(rep); i >= 0; i = s.indexOf(rep, i + rep.length)) matches.push([i, i + rep.length]);
        return splitBy(s, matches, 'MergedWithNext', false);
      });
    }
    case 'ByteLevel':
      return lib(new ByteLevelPreTokenizer(c as never));
    case 'Digits':
      return lib(new DigitsPreTokenizer(c as never));
    case 'Whitespace':
      return lib(new WhitespacePreTokenizer());
    case 'WhitespaceSplit':
      return lib(new WhitespaceSplitPreTokenizer());
    case 'Punctuation':
      return lib(new PunctuationPreTokenizer(c as never));
    case 'BertPreTokenizer':
      return lib(new BertPreTokenizer());
    case 'Replace':
      return lib(new ReplacePreTokenizer(c as never));
    case 'FixedLength':
      return lib(new FixedLengthPreTokenizer(c as never));
    default:
      throw new UnsupportedComponent(`pre-tokenizer ${String(c.type)}`);
  }
}


/** Leftmost-longest matching of a set of strings (the library uses Aho-Corasick, LeftmostLongest). */
class TokenMatcher {
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
  split(text: string): { text: string; id: number | null; start: number }[] {
    if (this.empty || text === '') return [{ text, id: null, start: 0 }];
    const out: { text: string; id: number | null; start: number }[] = [];
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
      if (from < start) out.push({ text: text.slice(from, start), id: null, start: from });
      out.push({ text: text.slice(start, stop), id: t.id, start });
      // The next match is looked for after this match, not after its stripped whitespace: like
      // the library, a token inside an rstrip run is still emitted.
      from = stop;
    }
    if (from !== text.length) out.push({ text: text.slice(from), id: null, start: from });
    return out;
  }
}

const firstChar = (s: string): string => String.fromCodePoint(s.codePointAt(0)!);
function lastChar(s: string): string {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xdc00 && c <= 0xdfff && s.length > 1 ? s.slice(-2) : s.slice(-1);
}

type PostProcess = (ids: number[]) => number[];

function buildPostProcessor(cfg: unknown, idOf: (token: string) => number | undefined): PostProcess | null {
  if (cfg === null || cfg === undefined) return null;
  const c = cfg as Json;
  switch (c.type) {
    case 'Sequence': {
      const steps = ((c.processors as unknown[]) ?? []).map((p) => buildPostProcessor(p, idOf)).filter((p): p is PostProcess => p !== null);
      return (ids) => steps.reduce((x, p) => p(x), ids);
    }
    case 'ByteLevel':
      return null; // offsets only
    case 'TemplateProcessing': {
      const specials = (c.special_tokens ?? {}) as Record<string, { ids: number[] }>;
      const single = (c.single ?? []) as Json[];
      return (ids) =>
        single.flatMap((p) => {
          if (p.Sequence) return ids;
          const id = (p.SpecialToken as { id: string }).id;
          const found = specials[id];
          if (!found) throw new UnsupportedComponent(`TemplateProcessing special token ${id} without ids`);
          return found.ids;
        });
    }
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const [, cls] = c.cls as [string, number];
      const [, sep] = c.sep as [string, number];
      return (ids) => [cls, ...ids, sep];
    }
    default:
      throw new UnsupportedComponent(`post-processor ${String(c.type)}`);
  }
}

/** The model's own token → id (added tokens are looked up separately, as the library does). */
function modelVocab(model: Json): Map<string, number> {
  if (Array.isArray(model.vocab)) return new Map((model.vocab as [string, number][]).map(([t], i) => [t, i]));
  if (model.vocab && typeof model.vocab === 'object') return new Map(Object.entries(model.vocab as Record<string, number>));
  return new Map();
}

export class ExactEncoder {
  private readonly normalize: Normalize | null;
  private readonly preTokenize: PreTokenize | null;
  private readonly postProcess: PostProcess | null;
  private readonly raw: TokenMatcher;
  private readonly normalized: TokenMatcher;
  private readonly vocab: Map<string, number>;
  private readonly addedIds = new Map<string, number>();
  private readonly unkId: number | undefined;

  /** `lib`: the same tokenizer.json loaded by @huggingface/tokenizers, whose model encodes pieces. */
  constructor(
    json: Json,
    private readonly lib: Tokenizer,
  ) {
    this.normalize = buildNormalizer(json.normalizer);
    this.preTokenize = buildPreTokenizer(json.pre_tokenizer);
    const model = json.model as Json;
    this.vocab = modelVocab(model);
    this.unkId = typeof model.unk_id === 'number' ? model.unk_id : typeof model.unk_token === 'string' ? this.vocab.get(model.unk_token) : undefined;
    const added = ((json.added_tokens ?? []) as Partial<AddedToken>[]).map(
      (t): AddedToken => ({ id: t.id!, content: t.content!, single_word: !!t.single_word, lstrip: !!t.lstrip, rstrip: !!t.rstrip, special: !!t.special, normalized: t.normalized ?? !t.special }),
    );
    for (const t of added) this.addedIds.set(t.content, t.id);
    // Special tokens first, then the others, as the library chains them.
    const ordered = [...added.filter((t) => t.special), ...added.filter((t) => !t.special)];
    this.raw = new TokenMatcher(ordered.filter((t) => !t.normalized).map((token) => ({ match: token.content, token })));
    this.normalized = new TokenMatcher(ordered.filter((t) => t.normalized).map((token) => ({ match: this.normalize ? this.normalize(token.content) : token.content, token })));
    this.postProcess = buildPostProcessor(json.post_processor, (t) => this.addedIds.get(t) ?? this.vocab.get(t));
  }

  private idOf(token: string): number {
    const id = this.vocab.get(token) ?? this.addedIds.get(token) ?? this.unkId;
    if (id === undefined) throw new Error(`the model produced ${JSON.stringify(token)}, which has no id`);
    return id;
  }

  encode(text: string, addSpecialTokens = true): number[] {
    const ids: number[] = [];
    const model = this.lib.model as unknown as (pieces: string[]) => string[];
    for (const part of this.raw.split(text)) {
      if (part.id !== null) {
        ids.push(part.id);
        continue;
      }
      if (part.text === '') continue;
      const norm = this.normalize ? this.normalize(part.text) : part.text;
      for (const sub of this.normalized.split(norm)) {
        if (sub.id !== null) {
          ids.push(sub.id);
          continue;
        }
        if (sub.text === '') continue;
        const first: Piece = { text: sub.text, atStart: part.start === 0 && sub.start === 0 };
        const pieces = this.preTokenize ? this.preTokenize([first]) : [first];
        if (pieces.length === 0) continue;
        for (const token of model(pieces.map((p) => p.text))) ids.push(this.idOf(token));
      }
    }
    return addSpecialTokens && this.postProcess ? this.postProcess(ids) : ids;
  }
}
