/**
 * Token ids identical to Hugging Face's Rust `tokenizers` library (its official Node binding, npm
 * `tokenizers`, a devDependency) for every family's tokenizer.json format, on the UDHR in 30
 * languages (30 paragraphs each) plus edge cases (test/helpers/tokenizer-parity/strings.ts). The
 * formats are built from SentencePiece and BPE models trained for the purpose, the way
 * transformers' converters build them (test/helpers/tokenizer-parity/formats.ts). On a
 * difference the first differing string is printed with the tokens where the two part.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { parityFormats } from '../helpers/tokenizer-parity/formats';
import { EDGE_CASES, PARAGRAPHS_PER_LANGUAGE, PARITY_LANGUAGES, parityStrings } from '../helpers/tokenizer-parity/strings';

interface RustEncoding {
  getIds(): number[];
  getTokens(): string[];
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

test('the parity inputs: 30 languages × 30 UDHR paragraphs, then the edge cases', () => {
  assert.equal(PARITY_LANGUAGES.length, 30);
  assert.equal(strings.length, PARITY_LANGUAGES.length * PARAGRAPHS_PER_LANGUAGE + EDGE_CASES.length);
  assert.ok(strings.length >= 972);
  assert.ok(formats.length >= 20);
});

for (const format of formats) {
  test(`ids identical to the tokenizers library: ${format.name}`, { skip: typeof rust === 'string' ? rust : false }, async () => {
    const lib = rust as { fromString(json: string): RustTokenizer };
    const dir = mkdtempSync(join(tmpdir(), 'pl-parity-'));
    try {
      writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(format.json));
      writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(format.config));
      const ours = ModelTokenizer.load(dir);
      const ref = lib.fromString(JSON.stringify(format.json));
      let same = 0;
      let first: string | undefined;
      for (const s of strings) {
        for (const special of [true, false]) {
          const want = await ref.encode(s, null, { addSpecialTokens: special });
          const got = ours.encode(s, special);
          if (JSON.stringify(got) === JSON.stringify(want.getIds())) {
            if (special) same++;
            continue;
          }
          if (first === undefined) {
            let i = 0;
            while (got[i] === want.getIds()[i]) i++;
            first = `${JSON.stringify(s.slice(0, 120))} (add_special_tokens ${special}): from token ${i}, ours ${JSON.stringify(got.slice(i, i + 5).map((id) => ours.idToToken(id)))}, library ${JSON.stringify(want.getTokens().slice(i, i + 5))}`;
          }
        }
      }
      assert.equal(first, undefined, `${format.name}: ${same}/${strings.length} identical; first difference: ${first}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
