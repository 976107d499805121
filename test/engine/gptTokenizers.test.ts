/**
 * The tokenizer formats GPT-2 / mGPT, BLOOM and XGLM ship in tokenizer.json, on tiny files in the
 * real format (test/helpers/tiny-gpt.ts), through @huggingface/tokenizers. Expected ids are worked
 * out by hand from each vocabulary: byte-level BPE (GPT-2: byte b has id b, merges from 256;
 * BLOOM: 4 specials first, byte b has id 4 + b, punctuation split off before the byte-level step)
 * and Unigram (XGLM: Metaspace, best-scoring segmentation, `</s>` put first, no BOS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { tokenizerFor, type GptFamily } from '../helpers/tiny-gpt';

function load(family: GptFamily): ModelTokenizer {
  const dir = mkdtempSync(join(tmpdir(), `pl-tok-${family}-`));
  try {
    const t = tokenizerFor(family);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(t.json));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(t.config));
    return ModelTokenizer.load(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const b = (s: string, base = 0): number[] => [...Buffer.from(s, 'utf8')].map((x) => x + base);

test('gpt2: byte-level BPE with merges, no BOS, <|endoftext|> last and special', () => {
  const tok = load('gpt2');
  // merges: Ġt 256, he 257, Ġthe 258, Ġc 259, at 260, Ġcat 261, in 262, Ġin 263; <|endoftext|> 264
  assert.deepEqual(tok.encode('the cat in the hat'), [116, 257, 261, 263, 258, 32, 104, 260]);
  assert.deepEqual(tok.encode('héllo 123'), [104, ...b('é'), 108, 108, 111, 32, 49, 50, 51]);
  assert.deepEqual(tok.encode('the<|endoftext|>'), [116, 257, 264]);
  assert.equal(tok.addsBos, false);
  assert.equal(tok.eosId, 264);
  assert.equal(tok.decode(tok.encode('héllo, the cat!')), 'héllo, the cat!');
  assert.deepEqual(tok.offsets('the cat', tok.encode('the cat')), [[0, 1], [1, 3], [3, 7]]);
});

test('bloom: byte-level BPE after its punctuation split, specials first, no BOS', () => {
  const tok = load('bloom');
  // 4 specials, byte b → 4 + b, merges from 260: he 261, Ġcat 265, Ġin 267
  assert.deepEqual(tok.encode('the cat in'), [4 + 116, 261, 265, 267]);
  assert.deepEqual(tok.encode('the cat. in'), [4 + 116, 261, 265, 4 + 46, 267]);
  assert.deepEqual(tok.encode('ça</s>'), [...b('ça', 4), 2]);
  assert.equal(tok.addsBos, false);
  assert.deepEqual([tok.bosId, tok.eosId], [1, 2]);
  assert.equal(tok.decode(tok.encode('ça, the cat. in!')), 'ça, the cat. in!');
});

test('xglm: Unigram with Metaspace; </s> first on every text; unknown characters become <unk>', () => {
  const tok = load('xglm');
  // <s> 0, <pad> 1, </s> 2, <unk> 3, ▁ 4, ▁the 5, ▁cat 6, ▁in 7, ▁chat 8, ▁le 9, s 10, then a..z without s
  assert.deepEqual(tok.encode('the cat in'), [2, 5, 6, 7]);
  assert.deepEqual(tok.encode('les chats'), [2, 9, 10, 8, 10]); // ▁le+s beats ▁l+e+s
  assert.deepEqual(tok.encode('the  cat'), [2, 5, 6], 'runs of spaces collapse as XGLM normalises them');
  assert.deepEqual(tok.encode('ｔｈｅ ｃａｔ'), [2, 5, 6], 'full-width letters fold to ASCII (NFKC)');
  assert.deepEqual(tok.encode('the cat in', false), [5, 6, 7]);
  assert.deepEqual(tok.encode('ß'), [2, 4, 3]);
  assert.deepEqual([tok.bosId, tok.eosId], [0, 2]);
  assert.ok(tok.isSpecial(2));
  assert.equal(tok.decode(tok.encode('les chats in the cat')), 'les chats in the cat');
});

/** Each token's [start, end) slice of `text` (null for special tokens). */
function slices(tok: ModelTokenizer, text: string): (string | null)[] {
  return tok.offsets(text, tok.encode(text)).map((o) => (o ? text.slice(o[0], o[1]) : null));
}

test('offsets index the original text after an <unk> token, after collapsed spaces and after a special token typed in the text', () => {
  const xglm = load('xglm');
  const unk = xglm.unkId;
  assert.equal(unk, 3);
  // ß is not in XGLM's tiny vocabulary: <unk> stands for it, and the tokens after it keep their place.
  assert.deepEqual(xglm.encode('aßb cat'), [2, 53, unk, 12, 6]);
  assert.deepEqual(slices(xglm, 'aßb cat'), [null, 'a', 'ß', 'b', ' cat']);
  assert.deepEqual(slices(xglm, 'the ß cat in'), [null, 'the', ' ', 'ß', ' cat', ' in']);
  // A run of unknown characters is one <unk> (fused); an astral character counts two UTF-16 units.
  assert.deepEqual(slices(xglm, 'ßß the 😀 cat'), [null, '', 'ßß', ' the', ' ', '😀', ' cat']);
  // XGLM's normaliser collapses the two spaces: the next token covers both.
  assert.deepEqual(slices(xglm, 'the  cat'), [null, 'the', '  cat']);
  const gpt2 = load('gpt2');
  // A special token typed in the text covers it, as in the tokenizers library.
  assert.deepEqual(slices(gpt2, 'the<|endoftext|> cat'), ['t', 'he', '<|endoftext|>', ' cat']);
  // Byte-level pieces of one character each span the whole character, as in the library.
  assert.deepEqual(gpt2.offsets('aßb', gpt2.encode('aßb')), [[0, 1], [1, 2], [1, 2], [2, 3]]);
});
