/**
 * GPT-2-style tokenizer folders without a tokenizer.json (vocab.json + merges.txt, as the
 * original gpt2 repositories and ai-forever/mGPT ship them). Expected ids and decoded texts come
 * from test/reference/gpt2_bpe_reference.py, an independent byte-level BPE written from
 * transformers' tokenization_gpt2.py, on the two folders it wrote (test/fixtures/gpt2-files):
 * `gpt2` (GPT-2's defaults) and `mgpt-style` (specials first, special_tokens_map.json over
 * tokenizer_config.json, add_bos_token, add_prefix_space, a special token the vocabulary lacks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { LoadedModel } from '../../src/engine/model/model';
import { bpeTokenizerJson, writeTinyGpt, writeTinyGpt2VocabMerges, writeVocabMerges } from '../helpers/tiny-gpt';
import { ROOT } from '../helpers/cli';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'gpt2-files');

interface Expected {
  vocab: Record<string, number>;
  specialIds: { gpt2: { eos: number }; 'mgpt-style': { bos: number; eos: number; pad: number; unk: number; mask: number } };
  cases: { folder: string; text: string; ids: number[]; decoded: string }[];
}
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Expected;

const tokenizers = new Map(['gpt2', 'mgpt-style'].map((f) => [f, ModelTokenizer.load(join(FIXTURES, f))]));

test('vocab.json + merges.txt: ids and decoded text equal the independent reference on multilingual text', () => {
  assert.ok(expected.cases.length >= 20);
  for (const c of expected.cases) {
    const tok = tokenizers.get(c.folder)!;
    const what = `${c.folder} ${JSON.stringify(c.text)}`;
    assert.deepEqual(tok.encode(c.text), c.ids, what);
    assert.equal(tok.decode(c.ids), c.decoded, what);
    // Offsets: the tokens' spans, in order, cover the whole text without a gap, special tokens
    // typed in it included (a token holding some bytes of a character spans all of it, so spans
    // of neighbours can share a character); only the template's special tokens have none.
    const offsets = tok.offsets(c.text, c.ids);
    let start = 0;
    let covered = 0;
    let joined = '';
    for (const o of offsets) {
      if (o === null) continue;
      assert.ok(o[0] >= start && o[0] <= covered && o[1] >= o[0], `${what}: ${JSON.stringify(offsets)}`);
      joined += c.text.slice(Math.max(o[0], covered), o[1]);
      start = o[0];
      covered = Math.max(covered, o[1]);
    }
    assert.equal(joined, c.text, what);
  }
});

test('vocab.json + merges.txt: special tokens as transformers resolves them', () => {
  const gpt2 = tokenizers.get('gpt2')!;
  // GPT2Tokenizer's defaults: <|endoftext|> is bos, eos and unk; no BOS is added.
  assert.deepEqual([gpt2.bosId, gpt2.eosId, gpt2.padId, gpt2.addsBos], [expected.specialIds.gpt2.eos, expected.specialIds.gpt2.eos, null, false]);
  assert.equal(gpt2.vocabSize, expected.vocab.gpt2);
  assert.ok(gpt2.isSpecial(expected.specialIds.gpt2.eos));
  const m = tokenizers.get('mgpt-style')!;
  const s = expected.specialIds['mgpt-style'];
  // special_tokens_map.json's <s> wins over tokenizer_config.json's bos_token; <mask> is appended.
  assert.deepEqual([m.bosId, m.eosId, m.padId, m.addsBos], [s.bos, s.eos, s.pad, true]);
  assert.equal(m.vocabSize, expected.vocab['mgpt-style']);
  assert.equal(m.idToToken(s.mask), '<mask>');
  for (const id of [s.bos, s.eos, s.pad, s.unk, s.mask]) assert.ok(m.isSpecial(id), `id ${id}`);
  assert.equal(m.source, join(FIXTURES, 'mgpt-style', 'vocab.json'));
});

/** A folder with GPT-2's tokenizer files as vocab.json + merges.txt, from a tokenizer.json's model section. */
function vocabMergesFolder(json: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-gpt2files-'));
  writeVocabMerges(dir, json);
  return dir;
}

test('vocab.json + merges.txt tokenizes exactly as the tokenizer.json GPT-2 ships for the same vocabulary', () => {
  const { json, config } = bpeTokenizerJson('gpt2');
  const a = mkdtempSync(join(tmpdir(), 'pl-gpt2json-'));
  const b = vocabMergesFolder(json);
  try {
    writeFileSync(join(a, 'tokenizer.json'), JSON.stringify(json));
    writeFileSync(join(a, 'tokenizer_config.json'), JSON.stringify(config));
    const viaJson = ModelTokenizer.load(a);
    const viaFiles = ModelTokenizer.load(b);
    for (const t of ['the cat in the hat', ' the  cat\n\nin', 'héllo 123 Привет 日本 😀', "it's the cat's", 'the<|endoftext|>cat']) {
      assert.deepEqual(viaFiles.encode(t), viaJson.encode(t), t);
      assert.deepEqual(viaFiles.offsets(t, viaFiles.encode(t)), viaJson.offsets(t, viaJson.encode(t)), t);
      assert.equal(viaFiles.decode(viaFiles.encode(t)), viaJson.decode(viaJson.encode(t)), t);
    }
    assert.deepEqual([viaFiles.bosId, viaFiles.eosId, viaFiles.vocabSize], [viaJson.bosId, viaJson.eosId, viaJson.vocabSize]);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('vocab.json + merges.txt: added_tokens.json and special_tokens_map.json beside an older config; a newer config (added_tokens_decoder) alone decides', () => {
  const { json } = bpeTokenizerJson('gpt2'); // 256 bytes, 8 merges, <|endoftext|> 264
  const older = vocabMergesFolder(json);
  const newer = vocabMergesFolder(json);
  const flags = { single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
  try {
    writeFileSync(join(older, 'tokenizer_config.json'), JSON.stringify({ eos_token: '<|endoftext|>' }));
    writeFileSync(join(older, 'special_tokens_map.json'), JSON.stringify({ eos_token: '<|endoftext|>', pad_token: { content: '<pad>', lstrip: false, rstrip: false, normalized: false, single_word: false } }));
    writeFileSync(join(older, 'added_tokens.json'), JSON.stringify({ '<x>': 265 }));
    const a = ModelTokenizer.load(older);
    // <x> keeps its id from added_tokens.json; <pad>, missing from the vocabulary, comes after it.
    assert.deepEqual(a.encode('a<x>b<pad>'), [97, 265, 98, 266]);
    assert.deepEqual([a.eosId, a.padId, a.vocabSize], [264, 266, 267]);
    assert.ok(a.isSpecial(266) && !a.isSpecial(265));

    writeFileSync(join(newer, 'tokenizer_config.json'), JSON.stringify({ eos_token: '<|endoftext|>', added_tokens_decoder: { '264': { content: '<|endoftext|>', ...flags }, '265': { content: '<|im_start|>', ...flags } } }));
    writeFileSync(join(newer, 'special_tokens_map.json'), JSON.stringify({ eos_token: '<nope>' }));
    writeFileSync(join(newer, 'added_tokens.json'), JSON.stringify({ '<x>': 266 }));
    const b = ModelTokenizer.load(newer);
    assert.deepEqual(b.encode('a<|im_start|>b<x>'), [97, 265, 98, 60, 120, 62]);
    assert.deepEqual([b.eosId, b.vocabSize], [264, 266]);
    assert.ok(b.isSpecial(265));
  } finally {
    rmSync(older, { recursive: true, force: true });
    rmSync(newer, { recursive: true, force: true });
  }
});

test('bad vocab.json / merges.txt: one line naming the file (and line) and the problem', () => {
  const { json } = bpeTokenizerJson('gpt2');
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['merges line with three symbols', (d) => writeFileSync(join(d, 'merges.txt'), '#version: 0.2\nĠ t\nh e x\n'), /merges\.txt:3: expected two symbols separated by one space, got "h e x"$/],
    ['merges line with one symbol', (d) => writeFileSync(join(d, 'merges.txt'), 'Ġ t\nhe\n'), /merges\.txt:2: expected two symbols/],
    ['empty line inside merges', (d) => writeFileSync(join(d, 'merges.txt'), '#version: 0.2\nĠ t\n\nh e\n'), /merges\.txt:3: expected two symbols/],
    ['merge result not in the vocabulary', (d) => writeFileSync(join(d, 'merges.txt'), '#version: 0.2\nĠ t\nq z\n'), /merges\.txt:3: the merge result "qz" is not in vocab\.json$/],
    ['merge symbol not in the vocabulary', (d) => writeFileSync(join(d, 'merges.txt'), '#version: 0.2\nĠ t\nhe ☃\n'), /merges\.txt:3: symbol "☃" is not in vocab\.json$/],
    ['vocab not an object', (d) => writeFileSync(join(d, 'vocab.json'), '["a", "b"]'), /vocab\.json: expected a JSON object \(token → id\)$/],
    ['vocab id not an integer', (d) => writeFileSync(join(d, 'vocab.json'), '{"a": 0, "b": "1"}'), /vocab\.json: token "b" has id "1" \(expected a non-negative integer\)$/],
    ['vocab syntax error', (d) => writeFileSync(join(d, 'vocab.json'), '{\n"a": 0,\n"b" 1\n}'), /vocab\.json:3: malformed JSON/],
    ['merges.txt missing', (d) => unlinkSync(join(d, 'merges.txt')), /merges\.txt: missing \(a folder without tokenizer\.json needs both vocab\.json and merges\.txt\)$/],
    ['neither tokenizer file', (d) => (unlinkSync(join(d, 'merges.txt')), unlinkSync(join(d, 'vocab.json'))), /tokenizer\.json: missing \(the model folder needs a tokenizer\.json, or GPT-2's vocab\.json \+ merges\.txt\)$/],
    ['another tokenizer class', (d) => writeFileSync(join(d, 'tokenizer_config.json'), '{"tokenizer_class": "RobertaTokenizer"}'), /tokenizer_config\.json: tokenizer_class RobertaTokenizer from vocab\.json \+ merges\.txt is not supported/],
  ];
  for (const [what, spoil, re] of cases) {
    const dir = vocabMergesFolder(json);
    try {
      spoil(dir);
      assert.throws(
        () => ModelTokenizer.load(dir),
        (e: Error) => {
          assert.match(e.message, re, what);
          assert.ok(!e.message.includes('\n'), `${what}: one line`);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a tiny GPT-2 checkpoint with vocab.json + merges.txt only loads and runs like its tokenizer.json twin', async () => {
  const tiny = writeTinyGpt({ family: 'gpt2', seed: 11 });
  const twin = writeTinyGpt2VocabMerges({ seed: 11 });
  try {
    assert.ok(!existsSync(join(twin.dir, 'tokenizer.json')));
    const a = LoadedModel.load(tiny.dir, { threads: 1 });
    const b = LoadedModel.load(twin.dir, { threads: 1 });
    assert.deepEqual(b.info.tokenizer, a.info.tokenizer);
    const text = 'the cat in the hat, héllo Привет';
    const ids = b.tokenizer.encode(text);
    assert.deepEqual(ids, a.tokenizer.encode(text));
    const run = { capture: ['logits'], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
    const [la, lb] = [await a.run([ids], run), await b.run([ids], run)];
    assert.deepEqual([...lb.logits!.data], [...la.logits!.data]);
    await a.dispose();
    await b.dispose();
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
    rmSync(twin.dir, { recursive: true, force: true });
  }
});
