/**
 * Text on its way through the tokenizer, with where each of its characters came from in the input:
 * Hugging Face `tokenizers`' NormalizedString (tokenizer/normalizer.rs), so that a token's offsets
 * index the text the user typed whatever the normalizers and pre-tokenizers did to it.
 *
 * Positions are UTF-16 code units of the input (what the editor and JavaScript strings use); the
 * library counts UTF-8 bytes and reports characters. Both units of an astral character carry the
 * same span. Without tracking (`from` null) only the text is carried: the ids-only path.
 *
 * Two ways to place rewritten text (`OffsetRule`):
 * - 'library': exactly the library's alignment rules, so the parity test can compare every offset;
 * - 'hover': the span of input each token stands for, which the engine reports (hovers, neuron
 *   examples). It differs from the library's in three documented ways:
 *   1. a run a normalizer rewrites (a Replace match, a Precompiled grapheme, a Unicode-normalization
 *      segment) is covered whole by every character written for it, where the library hands the
 *      run's characters out one per written character in order: "e◌́"→"é" covers only the "e", a
 *      collapsed run of spaces only its last space, and a dropped first character moves every
 *      later span of the piece onto its left neighbour;
 *   2. a character the tokenizer inserts (the prefix "▁" or space, a Prepend normalizer's text)
 *      covers nothing, where the library gives it the first character's span;
 *   3. a special token the template adds has no span (null; the library: (0, 0)), postProcessors.ts.
 */

export type OffsetRule = 'library' | 'hover';

/** One rewritten stretch: `text` [start, end) (UTF-16 units) becomes `out`. start === end inserts. */
export interface Rewrite {
  start: number;
  end: number;
  out: string;
}

/** How the library aligns a rewrite's characters (normalizer.rs replace() or prepend()). */
export type LibraryStyle =
  /** replace(): every written character gets the span of the last replaced one (or the one before an insertion). */
  | 'replace'
  /** prepend(): the written characters get the first character's span. */
  | 'prepend';

/**
 * The library's own description of a rewrite of a whole text (normalizer.rs transform()): each
 * written character with its change — ≤ 0: it takes the next input character's span and skips
 * -change more; > 0: it is inserted and shares the span of the input character before it.
 * `initial`: input characters skipped before the first.
 */
export interface ChangeStream {
  dest: [string, number][];
  initial: number;
}

/** UTF-8 bytes of a code point (a lone surrogate counts as U+FFFD's three, as TextEncoder writes it). */
export const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

const cpLength = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
};

export class AlignedText {
  private constructor(
    readonly text: string,
    /** Input span [from, to) of each UTF-16 unit of `text`; null when not tracked. */
    readonly from: Int32Array | null,
    readonly to: Int32Array | null,
    /** Where this piece starts in the input: the span of something inserted before everything. */
    readonly origin: number,
  ) {}

  /** `text` as it stands in the input at `at`: each character spans itself. */
  static of(text: string, at: number, track: boolean): AlignedText {
    if (!track) return new AlignedText(text, null, null, at);
    const from = new Int32Array(text.length);
    const to = new Int32Array(text.length);
    for (let i = 0; i < text.length; ) {
      const n = cpLength(text, i);
      for (let k = 0; k < n; k++) {
        from[i + k] = at + i;
        to[i + k] = at + i + n;
      }
      i += n;
    }
    return new AlignedText(text, from, to, at);
  }

  get tracked(): boolean {
    return this.from !== null;
  }

  /** [start, end) in UTF-16 units of `text`; the slice starts where its first character came from. */
  slice(start: number, end: number): AlignedText {
    if (!this.from) return new AlignedText(this.text.slice(start, end), null, null, this.origin);
    const origin = start < end ? this.from[start]! : start < this.text.length ? this.from[start]! : this.origin;
    return new AlignedText(this.text.slice(start, end), this.from.subarray(start, end), this.to!.subarray(start, end), origin);
  }

  /** The input span of `text` [start, end): its first unit's start to its last unit's end (expand_alignments). */
  span(start: number, end: number): [number, number] {
    if (!this.from || start >= end) return [this.origin, this.origin];
    return [this.from[start]!, this.to![end - 1]!];
  }

  /**
   * `text` with `rewrites` (in order, not overlapping) applied. The written characters' spans follow
   * `rule`; under 'library', `style` is the library's rule for the operation.
   * Components that describe their rewrites as a change stream use `transform` for 'library'.
   */
  rewrite(rewrites: readonly Rewrite[], rule: OffsetRule, style: LibraryStyle): AlignedText {
    if (rewrites.length === 0) return this;
    let text = '';
    let at = 0;
    for (const r of rewrites) {
      text += this.text.slice(at, r.start) + r.out;
      at = r.end;
    }
    text += this.text.slice(at);
    const oldFrom = this.from;
    const oldTo = this.to;
    if (!oldFrom || !oldTo) return new AlignedText(text, null, null, this.origin);
    const from = new Int32Array(text.length);
    const to = new Int32Array(text.length);
    let w = 0;
    const copy = (s: number, e: number): void => {
      from.set(oldFrom.subarray(s, e), w);
      to.set(oldTo.subarray(s, e), w);
      w += e - s;
    };
    const fill = (n: number, a: number, b: number): void => {
      from.fill(a, w, w + n);
      to.fill(b, w, w + n);
      w += n;
    };
    at = 0;
    for (const r of rewrites) {
      copy(at, r.start);
      at = r.end;
      if (r.out === '') continue;
      let a: number;
      let b: number;
      if (rule === 'hover') {
        // The whole replaced run; an insertion covers nothing, at the place it was inserted.
        if (r.end > r.start) [a, b] = [oldFrom[r.start]!, oldTo[r.end - 1]!];
        else a = b = r.start < this.text.length ? oldFrom[r.start]! : r.start > 0 ? oldTo[r.start - 1]! : this.origin;
      } else if (style === 'prepend') {
        [a, b] = this.text.length > 0 ? [oldFrom[0]!, oldTo[0]!] : [this.origin, this.origin];
      } else {
        // normalizer.rs replace(): the span of the unit before the match's end.
        [a, b] = r.end > 0 ? [oldFrom[r.end - 1]!, oldTo[r.end - 1]!] : [this.origin, this.origin];
      }
      fill(r.out.length, a, b);
    }
    copy(at, this.text.length);
    return new AlignedText(text, from, to, this.origin);
  }

  /**
   * normalizer.rs transform(): each written character takes the span of the next input character
   * it consumes (change ≤ 0, then skipping -change more), or shares the previous one's (change > 0).
   */
  transform({ dest, initial }: ChangeStream): AlignedText {
    const text = dest.map(([c]) => c).join('');
    if (!this.from) return new AlignedText(text, null, null, this.origin);
    const starts: number[] = []; // unit index of each code point of the old text
    for (let i = 0; i < this.text.length; i += cpLength(this.text, i)) starts.push(i);
    const spanOf = (cp: number): [number, number] => {
      const u = starts[Math.min(cp, starts.length - 1)];
      return u === undefined ? [this.origin, this.origin] : [this.from![u]!, this.to![u]!];
    };
    const from = new Int32Array(text.length);
    const to = new Int32Array(text.length);
    let idx = initial;
    let w = 0;
    for (const [c, change] of dest) {
      const [a, b] = change > 0 ? (idx < 1 ? [this.origin, this.origin] : spanOf(idx - 1)) : spanOf(idx);
      if (change <= 0) idx += 1 - change;
      for (let k = 0; k < c.length; k++, w++) {
        from[w] = a;
        to[w] = b;
      }
    }
    return new AlignedText(text, from, to, this.origin);
  }
}
