/**
 * Token offsets (what hovers and neuron examples show): each token's span of the text the user
 * typed, tracked through normalizers and pre-tokenizers as Hugging Face's `tokenizers` tracks it
 * (the parity test compares every span with the library's on 1,049 strings × every format). Here:
 * the cases the earlier decode-and-align offsets got wrong, and each deliberate difference from the
 * library's offsets with both values ('hover', the engine's, and 'library'), on tokenizers built
 * from the parity fixtures. Expected values are the library's own output (npm `tokenizers`
 * 0.23.2) where the two agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { parityFormats } from '../helpers/tokenizer-parity/formats';

const formats = parityFormats();

function load(name: string): ModelTokenizer {
  const f = formats.find((x) => x.name === name);
  if (!f) throw new Error(`no parity format ${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'pl-offsets-'));
  try {
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(f.json));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(f.config));
    return ModelTokenizer.load(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const XGLM = 'XGLM Unigram + Precompiled (current converter)';
const spans = (tok: ModelTokenizer, text: string, special = false) => tok.offsets(text, tok.encode(text, special));
const both = (tok: ModelTokenizer, text: string) => ({
  hover: tok.encodeWithOffsets(text, false, 'hover').offsets,
  library: tok.encodeWithOffsets(text, false, 'library').offsets,
});

test('a byte-level token holding a space and part of a character spans both (it had an empty span)', () => {
  const gpt2 = load('GPT-2 byte-level BPE');
  const text = 'verkündeten Über';
  assert.deepEqual(gpt2.encode(text).map((id) => gpt2.idToToken(id)), ['ver', 'k', 'Ã¼n', 'de', 'ten', 'ĠÃ', 'ľ', 'ber']);
  // "ĠÃ" is the space and Ü's first byte, "ľ" Ü's second: both span the whole Ü.
  assert.deepEqual(spans(gpt2, text), [[0, 3], [3, 4], [4, 6], [6, 8], [8, 11], [11, 13], [12, 13], [13, 16]]);
});

test('tokens after text a Split pre-tokenizer removes sit where they are (they were placed on the removed text)', () => {
  const removed = load('byte-level BPE, Split Removed');
  assert.deepEqual(spans(removed, 'a, b'), [[0, 1], [3, 4]]);
  assert.deepEqual(spans(removed, 'Universal Declaration').slice(4, 6), [[7, 9], [10, 11]], '"D" starts after the removed space');
});

test('special tokens typed in the text span it; those the template adds have no span', () => {
  const xglm = load(XGLM);
  assert.deepEqual(spans(xglm, '<s>hi', true), [null, [0, 3], [3, 3], [3, 5]]);
  const def = load('default model');
  assert.deepEqual(spans(def, 'a<s>b', true), [null, [0, 1], [1, 4], [4, 5]]);
  assert.deepEqual(def.encodeWithOffsets('a<s>b', true, 'library').offsets, [[0, 0], [0, 1], [1, 4], [4, 5]], 'the library gives the template BOS (0, 0)');
});

test('deliberate difference: a token made only of an inserted "▁" or prefix space covers nothing (the library: the first character)', () => {
  assert.deepEqual(both(load(XGLM), '『x』'), { hover: [[0, 0], [0, 1], [1, 2], [2, 3]], library: [[0, 1], [0, 1], [1, 2], [2, 3]] });
  assert.deepEqual(both(load('GPT-2 byte-level BPE, add_prefix_space'), 'Article 1'), { hover: [[0, 0], [0, 7], [7, 9]], library: [[0, 1], [0, 7], [7, 9]] });
  // Where the inserted character joins a word, the token spans the word either way.
  assert.deepEqual(both(load('Llama 2 SentencePiece BPE, byte fallback (legacy: false)'), 'à la'), { hover: [[0, 1], [1, 4]], library: [[0, 1], [1, 4]] });
});

test('deliberate difference: a run a normaliser rewrites is covered whole (the library: one character of it per written character)', () => {
  const xglm = load(XGLM);
  // Replace(" {2,}" → "▁"): the library gives "▁" the last space of the run only.
  assert.deepEqual(both(xglm, 'the   cat'), { hover: [[0, 3], [3, 8], [8, 9]], library: [[0, 3], [5, 8], [8, 9]] });
  // Precompiled nmt_nfkc composes "e" + U+0301: the library gives "é" the "e" only.
  assert.deepEqual(both(xglm, 'e\u0301tat'), { hover: [[0, 0], [0, 2], [2, 4], [4, 5]], library: [[0, 1], [0, 1], [2, 4], [4, 5]] });
  // NFC (Qwen2) composes "e" + U+0323 + U+0302 into "ệ", three byte-level pieces.
  const qwen = load('Qwen2 byte-level BPE');
  assert.deepEqual(both(qwen, 'Vie\u0323\u0302t'), { hover: [[0, 1], [1, 2], [2, 5], [2, 5], [2, 5], [5, 6]], library: [[0, 1], [1, 2], [2, 3], [2, 3], [2, 3], [5, 6]] });
});

test('deliberate difference: a first character the normaliser drops leaves the spans in place (the library shifts every later span onto its left neighbour)', () => {
  const xglm = load(XGLM);
  assert.deepEqual(xglm.encode('\u0007hello world', false).map((id) => xglm.idToToken(id)), ['▁h', 'el', 'lo', '▁w', 'or', 'l', 'd']);
  assert.deepEqual(both(xglm, '\u0007hello world'), {
    hover: [[1, 2], [2, 4], [4, 6], [6, 8], [8, 10], [10, 11], [11, 12]],
    library: [[0, 1], [1, 3], [3, 5], [5, 7], [7, 9], [9, 10], [10, 11]],
  });
  // Dropped in the middle, the library skips it too.
  assert.deepEqual(both(xglm, 'x \u0007hello'), { hover: [[0, 1], [1, 4], [4, 6], [6, 8]], library: [[0, 1], [1, 4], [4, 6], [6, 8]] });
});

test('offsets of ids with or without the template, of truncated ids, and of ids that are not the text’s', () => {
  const def = load('default model');
  const text = 'Hello world, hello again';
  const all = spans(def, text, true);
  assert.equal(all[0], null);
  assert.deepEqual(spans(def, text, false), all.slice(1), 'without the template: the same spans less its BOS');
  assert.deepEqual(def.offsets(text, def.encodeTruncated(text, 3)), all.slice(0, 3));
  const other = def.encode('Hello there');
  const got = def.offsets(text, other);
  const agree = other.findIndex((id, i) => id !== def.encode(text)[i]);
  assert.ok(agree > 0);
  assert.deepEqual(got.slice(0, agree), all.slice(0, agree));
  assert.ok(got.slice(agree).every((o) => o === null), 'from where the ids part from the text’s, no span');
});
