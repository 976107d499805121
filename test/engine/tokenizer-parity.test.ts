/**
 * Token ids and offsets identical to Hugging Face's Rust `tokenizers` library (its official Node
 * binding, npm `tokenizers`, a devDependency) for every family's tokenizer.json format, on the UDHR
 * in 30 languages (30 paragraphs each) plus edge cases (test/helpers/tokenizer-parity/strings.ts).
 * The formats are built from SentencePiece and BPE models trained for the purpose, the way
 * transformers' converters build them (test/helpers/tokenizer-parity/formats.ts).
 *
 * Offsets: under the 'library' rule every token's span equals the library's (its character offsets
 * turned into UTF-16 positions). The engine's own spans ('hover', what hovers and neuron examples
 * show) may differ from those only in the documented ways (src/engine/tokenizer/aligned.ts), each
 * counted here: a special token the template added has none (the library: (0, 0)); a token made
 * only of an inserted "▁" or prefix space covers nothing (the library: the first character); a
 * normaliser's rewritten run is covered whole (the library: one character of it per written
 * character, in order, so a dropped first character shifts the spans after it).
 * On a difference the first differing string is printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { STORIES_FORMAT, parityFormats } from '../helpers/tokenizer-parity/formats';
import { EDGE_CASES, PARAGRAPHS_PER_LANGUAGE, PARITY_LANGUAGES, parityStrings } from '../helpers/tokenizer-parity/strings';

interface RustEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  getSpecialTokensMask(): number[];
}
interface RustTokenizer {
  encode(text: string, pair: null, options: { addSpecialTokens: boolean }): Promise<RustEncoding>;
}

function loadRust(): { fromString(json: string): RustTokenizer } | string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('tokenizers') as { Tokenizer: { fromString(json: string): RustTokenizer } }).Tokenizer;
  } catch (e) {
    return `the tokenizers library's binding does not load on ${process.platform}-${process.arch} (${(e as Error).message.split('\n')[0]})`;
  }
}

const rust = loadRust();
const formats = parityFormats();
const strings = parityStrings();

type Span = [number, number] | null;

/** The library's character offsets as UTF-16 positions of `text`. */
function utf16Offsets(text: string, offsets: number[][]): [number, number][] {
  const at: number[] = [];
  let u = 0;
  for (const c of text) {
    at.push(u);
    u += c.length;
  }
  at.push(u);
  return offsets.map(([a, b]) => [at[a!]!, at[b!]!]);
}

/**
 * How far the library's spans are displaced where a normaliser dropped the text's first
 * characters: the first character our spans cover less the first the library's do (else 0).
 */
function displacement(hover: Span[], library: [number, number][]): number {
  const first = (spans: Span[]): number => Math.min(...spans.filter((x): x is [number, number] => x !== null && x[1] > x[0]).map((x) => x[0]));
  const d = first(hover) - first(library);
  return Number.isFinite(d) && d > 0 ? d : 0;
}

/** Why the engine's span differs from the library's, or null when it is not one of the documented ways. */
function difference(hover: Span, library: [number, number], special: boolean, shift: number): string | null {
  const [l0, l1] = library;
  if (hover === null) return special && l0 === 0 && l1 === 0 ? 'template special token' : null;
  const [h0, h1] = hover;
  if (h0 === h1 && l1 > l0 && (h0 === l0 || h0 === l0 + shift)) return 'inserted character';
  if (h0 <= l0 && h1 >= l1) return 'rewritten run covered whole';
  if (shift > 0 && h0 === l0 + shift && h1 === l1 + shift) return 'library displaced by a dropped first character';
  return null;
}

test('the parity inputs: 30 languages × 30 UDHR paragraphs, then the edge cases', () => {
  assert.equal(PARITY_LANGUAGES.length, 30);
  assert.equal(strings.length, PARITY_LANGUAGES.length * PARAGRAPHS_PER_LANGUAGE + EDGE_CASES.length);
  assert.ok(strings.length >= 972);
  assert.ok(formats.length >= 20);
  assert.ok(formats.some((f) => f.name === STORIES_FORMAT), 'the committed stories260K checkpoint is among the formats');
});

for (const format of formats) {
  test(`ids and offsets identical to the tokenizers library: ${format.name}`, { skip: typeof rust === 'string' ? rust : false }, async (t) => {
    const lib = rust as { fromString(json: string): RustTokenizer };
    const dir = mkdtempSync(join(tmpdir(), 'pl-parity-'));
    try {
      writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(format.json));
      writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(format.config));
      const ours = ModelTokenizer.load(dir);
      const ref = lib.fromString(JSON.stringify(format.json));
      let same = 0;
      let first: string | undefined;
      let firstOffset: string | undefined;
      let firstHover: string | undefined;
      const differences = new Map<string, number>();
      for (const s of strings) {
        for (const special of [true, false]) {
          const want = await ref.encode(s, null, { addSpecialTokens: special });
          const got = ours.encode(s, special);
          if (JSON.stringify(got) !== JSON.stringify(want.getIds())) {
            if (first === undefined) {
              let i = 0;
              while (got[i] === want.getIds()[i]) i++;
              first = `${JSON.stringify(s.slice(0, 120))} (add_special_tokens ${special}): from token ${i}, ours ${JSON.stringify(got.slice(i, i + 5).map((id) => ours.idToToken(id)))}, library ${JSON.stringify(want.getTokens().slice(i, i + 5))}`;
            }
            continue;
          }
          if (special) same++;
          const wantOffsets = utf16Offsets(s, want.getOffsets());
          const exact = ours.encodeWithOffsets(s, special, 'library');
          assert.deepEqual(exact.ids, got, `${format.name}: ${JSON.stringify(s.slice(0, 80))}: encodeWithOffsets gives other ids`);
          const at = exact.offsets.findIndex((o, i) => JSON.stringify(o) !== JSON.stringify(wantOffsets[i]));
          if (at >= 0 && firstOffset === undefined) {
            firstOffset = `${JSON.stringify(s.slice(0, 120))} (add_special_tokens ${special}): token ${at} ${JSON.stringify(want.getTokens()[at])}, ours ${JSON.stringify(exact.offsets[at])}, library ${JSON.stringify(wantOffsets[at])}`;
          }
          const hover = ours.offsets(s, got);
          const mask = want.getSpecialTokensMask();
          const shift = displacement(hover, wantOffsets);
          hover.forEach((h, i) => {
            if (JSON.stringify(h) === JSON.stringify(wantOffsets[i])) return;
            const why = difference(h, wantOffsets[i]!, mask[i] === 1, shift);
            if (why !== null) differences.set(why, (differences.get(why) ?? 0) + (special ? 1 : 0));
            else firstHover ??= `${JSON.stringify(s.slice(0, 120))} (add_special_tokens ${special}): token ${i} ${JSON.stringify(want.getTokens()[i])}, ours ${JSON.stringify(h)}, library ${JSON.stringify(wantOffsets[i])}`;
          });
        }
      }
      assert.equal(first, undefined, `${format.name}: ids ${same}/${strings.length} identical; first difference: ${first}`);
      assert.equal(firstOffset, undefined, `${format.name}: first offset difference under the library's rule: ${firstOffset}`);
      assert.equal(firstHover, undefined, `${format.name}: an engine span differs from the library's in an undocumented way: ${firstHover}`);
      t.diagnostic(`${format.name}: ids ${same}/${strings.length}, library-rule offsets ${same}/${strings.length}; engine spans that differ by design (tokens, with special tokens): ${JSON.stringify(Object.fromEntries(differences))}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
