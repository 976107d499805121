/**
 * The change streams Hugging Face's `tokenizers` builds for its normalizers (aligned.ts
 * ChangeStream), so that 'library' offsets are exactly the library's:
 * - `rewriteStream`: kept characters (c, 0); a rewritten stretch as precompiled.rs `replace` writes
 *   it — its characters (c, 0), the extra ones when it grows +1, and when it shrinks the difference
 *   added to the last character written so far (a leading removal is lost for Precompiled, and
 *   skipped as `filter` skips it for the others);
 * - `unicodeStream`: a stretch through the unicode-normalization-alignments crate the library uses
 *   for NFC / NFD / NFKC / NFKD — each character decomposed (first part 0, the others +1), marks
 *   put in canonical order, then recomposed with a composed pair's changes summed less one. JavaScript
 *   has no canonical combining class, so `String.prototype.normalize` answers the questions the
 *   recomposition asks (is it a starter, does one class exceed another, does a pair compose).
 */
import type { ChangeStream, Rewrite } from './aligned';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** `rewrites` of `text` as one stream; `streamOf` describes a rewrite itself where it can. */
export function rewriteStream(text: string, rewrites: readonly Rewrite[], leadingRemoval: 'lost' | 'skipped', streamOf?: (r: Rewrite) => [string, number][]): ChangeStream {
  const dest: [string, number][] = [];
  let initial = 0;
  const keep = (s: number, e: number): void => {
    for (const ch of text.slice(s, e)) dest.push([ch, 0]);
  };
  let at = 0;
  for (const r of rewrites) {
    keep(at, r.start);
    at = r.end;
    if (streamOf) {
      dest.push(...streamOf(r));
      continue;
    }
    const oldCount = [...text.slice(r.start, r.end)].length;
    const written = [...r.out];
    for (const ch of written) dest.push([ch, 0]);
    const diff = written.length - oldCount;
    if (diff > 0) for (let i = dest.length - diff; i < dest.length; i++) dest[i]![1] = 1;
    else if (diff < 0 && dest.length > 0) dest[dest.length - 1]![1] += diff;
    else if (diff < 0 && leadingRemoval === 'skipped') initial -= diff;
  }
  keep(at, text.length);
  return { dest, initial };
}

const changed = (s: string): boolean => s.normalize('NFD') !== s;
/** Canonical combining class 0 (a starter): it reorders neither after U+0301 (230) nor before U+0334 (1). */
const isStarter = (c: string): boolean => !changed('\u0301' + c) && !changed(c + '\u0334');
/** ccc(a) ≥ ccc(b) for two marks in canonical order (b not before a): equal classes, as b + a stays put. */
const notBelow = (a: string, b: string): boolean => isStarter(b) || !changed(b + a);
/** The primary composite of a starter and a character, if any. */
function compose(a: string, b: string): string | null {
  const c = (a + b).normalize('NFC');
  return [...c].length === 1 ? c : null;
}

/** One stretch's change stream under a Unicode normalization form (decompose.rs, recompose.rs). */
export function unicodeStream(stretch: string, form: UnicodeForm): [string, number][] {
  const decomposition = form === 'NFC' || form === 'NFD' ? 'NFD' : 'NFKD';
  const items: [string, number][] = [];
  for (const c of stretch) [...c.normalize(decomposition)].forEach((d, i) => items.push([d, i === 0 ? 0 : 1]));
  // Canonical ordering is a stable sort by class: the whole stretch's decomposition gives the
  // order, and equal characters keep theirs.
  const used = new Array<boolean>(items.length).fill(false);
  const sorted = [...stretch.normalize(decomposition)].map((ch): [string, number] => {
    const k = items.findIndex(([d], i) => !used[i] && d === ch);
    used[k] = true;
    return items[k]!;
  });
  if (form === 'NFD' || form === 'NFKD') return sorted;
  const out: [string, number][] = [];
  let composee: [string, number] | null = null;
  let last: string | null = null; // the last mark held back, standing for its class
  let held: [string, number][] = [];
  for (const [ch, change] of sorted) {
    const starter = isStarter(ch);
    if (composee === null) {
      if (starter) composee = [ch, change];
      else out.push([ch, change]);
      continue;
    }
    if (last !== null && notBelow(last, ch)) {
      if (starter) {
        out.push(composee, ...held);
        held = [];
        composee = [ch, change];
        last = null;
      } else {
        held.push([ch, change]);
        last = ch;
      }
      continue;
    }
    const r = compose(composee[0], ch);
    if (r !== null) composee = [r, composee[1] + change - 1];
    else if (starter && last === null) {
      out.push(composee);
      composee = [ch, change];
    } else {
      held.push([ch, change]);
      last = ch;
    }
  }
  if (composee) out.push(composee);
  out.push(...held);
  return out;
}
