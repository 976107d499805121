/**
 * The tokenizer formats the supported families ship, through @huggingface/tokenizers as the
 * engine loads them (ModelTokenizer): Gemma's SentencePiece-style BPE with byte fallback,
 * Llama 3's and Qwen2's byte-level BPE with their split regexes. Expected ids are worked out by
 * hand from the tiny vocabularies in test/helpers/tokenizer-json.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { LoadedModel } from '../../src/engine/model/model';
import { gemmaTokenizerJson, llama3TokenizerJson, qwen2TokenizerJson } from '../helpers/tokenizer-json';
import { writeTinyGemma } from '../helpers/tiny-gemma';

function folder(json: object, cfg: object, dir = mkdtempSync(join(tmpdir(), 'pl-tok-'))): string {
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(cfg));
  return dir;
}

const byte = (b: number): number => 4 + b; // Gemma's <0xNN> ids

/** Token → id from the tokenizer.json's own vocabulary (not through the library under test). */
function idsOf(json: object): (t: string) => number {
  const vocab = (json as { model: { vocab: Record<string, number> } }).model.vocab;
  return (t) => {
    const v = vocab[t];
    assert.ok(v !== undefined, `${t} is not in the vocabulary`);
    return v;
  };
}

test('Gemma: "▁" for spaces, merges, <bos> first, byte fallback for what the vocabulary lacks, exact round trip', () => {
  const dir = folder(gemmaTokenizerJson(), { bos_token: '<bos>', eos_token: '<eos>', pad_token: '<pad>', add_bos_token: true });
  try {
    const tok = ModelTokenizer.load(dir);
    const id = idsOf(gemmaTokenizerJson());
    assert.equal(tok.bosId, 2);
    assert.equal(tok.eosId, 1);
    assert.equal(tok.addsBos, true);
    assert.deepEqual(tok.encode('Hello world'), [2, id('Hello'), id('▁world')]);
    // 😀 is F0 9F 98 80; é is C3 A9: neither is in the vocabulary, so each byte is a <0xNN> token.
    assert.deepEqual(tok.encode('Hello 😀'), [2, id('Hello'), id('▁'), byte(0xf0), byte(0x9f), byte(0x98), byte(0x80)]);
    assert.deepEqual(tok.encode('Héllo', false), [id('H'), byte(0xc3), byte(0xa9), id('ll'), id('o')]);
    for (const t of ['Hello world', 'Hello 😀', 'Héllo', ' world']) assert.equal(tok.decode(tok.encode(t)), t);
    // Byte pieces of one character each span it (as the tokenizers library's offsets do).
    assert.deepEqual(tok.offsets('Héllo', tok.encode('Héllo')), [null, [0, 1], [1, 2], [1, 2], [2, 4], [4, 5]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Llama 3: byte-level BPE after the split regex (digits in threes), ignore_merges, <|begin_of_text|>', () => {
  const l = llama3TokenizerJson();
  const dir = folder(l.json, { bos_token: '<|begin_of_text|>', eos_token: '<|end_of_text|>' });
  try {
    const tok = ModelTokenizer.load(dir);
    const id = idsOf(l.json);
    assert.equal(tok.bosId, l.bos);
    assert.equal(tok.addsBos, true);
    assert.deepEqual(tok.encode('Hello world'), [l.bos, id('Hello'), id('Ġworld')]);
    // Without the split, merge '3 4' (rank 0) would give 12|34|5.
    assert.deepEqual(tok.encode('12345', false), [id('123'), id('45')]);
    // 'Ġthere' has no merge path: only ignore_merges finds the whole word.
    assert.deepEqual(tok.encode('Hello there', false), [id('Hello'), l.there]);
    // 世界 = E4 B8 96 E7 95 8C: one byte-level character per byte (ids 0-255 are the bytes in GPT-2 order).
    assert.deepEqual(tok.encode(' 世界', false), [id('Ġ'), id('ä'), id('¸'), id('ĸ'), id('ç'), id('ķ'), id('Į')]);
    for (const t of ['Hello world', '12345', 'Hello 世界']) assert.equal(tok.decode(tok.encode(t)), t);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Qwen2: NFC first, single digits, no BOS, ChatML special tokens recognised in text', () => {
  const q = qwen2TokenizerJson();
  const dir = folder(q.json, { bos_token: null, eos_token: '<|im_end|>', pad_token: '<|endoftext|>' });
  try {
    const tok = ModelTokenizer.load(dir);
    const id = idsOf(q.json);
    assert.equal(tok.bosId, null);
    assert.equal(tok.addsBos, false);
    assert.equal(tok.eosId, q.imEnd);
    // Merge '1 2' exists, but Qwen2's regex splits every digit first.
    assert.deepEqual(tok.encode('Hello 123'), [id('Hello'), id('Ġ'), id('1'), id('2'), id('3')]);
    // e + combining acute is NFC-composed to é (C3 A9), which the 'Ã ©' merge makes one token.
    assert.deepEqual(tok.encode('e\u0301'), [id('Ã©')]);
    assert.deepEqual(tok.encode('e\u0301'), tok.encode('\u00e9'));
    assert.deepEqual(tok.encode('<|im_start|>user<|im_end|>'), [q.imStart, id('u'), id('s'), id('e'), id('r'), q.imEnd]);
    assert.equal(tok.decode(tok.encode('Hello 123')), 'Hello 123');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a tiny Gemma checkpoint with the Gemma-format tokenizer loads and runs a prompt with byte fallback', async () => {
  const json = gemmaTokenizerJson() as { model: { vocab: Record<string, number> } };
  const vocab = Object.keys(json.model.vocab).length;
  const { dir } = writeTinyGemma({ modelType: 'gemma', vocab });
  folder(json, { bos_token: '<bos>', eos_token: '<eos>', add_bos_token: true }, dir);
  try {
    const m = LoadedModel.load(dir, { threads: 1 });
    assert.deepEqual(m.info.tokenizer, { vocabSize: vocab, bosId: 2, eosId: 1, addsBos: true, hasChatTemplate: false });
    const ids = m.tokenizer.encode('Hello 😀');
    const out = await m.run([ids], { capture: ['logits'], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] });
    assert.deepEqual(out.logits!.dims, [ids.length, vocab]);
    await m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
