/**
 * The Wendler experiment's parts: which vocabulary tokens a target word counts (SentencePiece
 * vocabularies, worked out by hand), the item builder's prompts, the items reader, and the dataset
 * summary (means and intervals over items, items left out, the layer where the target overtakes
 * English) against per-item lens runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { isByteLevel, targetIds, vocabularyBytes } from '../../src/engine/lens/vocabulary';
import { buildLensItems } from '../../src/engine/lens/build';
import { readLensItems, runLensDataset, type LensItem } from '../../src/engine/lens/dataset';
import { runLens } from '../../src/engine/lens/run';
import { LoadedModel } from '../../src/engine/model/model';
import { gemmaTokenizerJson } from '../helpers/tokenizer-json';

const ROOT = join(__dirname, '..', '..');

test('a SentencePiece vocabulary counts every token starting the word, ▁-spaced or not, and the first byte fallback; not ▁ alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-sp-'));
  try {
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(gemmaTokenizerJson()));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<bos>', eos_token: '<eos>' }));
    const tok = ModelTokenizer.load(dir);
    assert.equal(isByteLevel(dir), false);
    const bytes = vocabularyBytes(tok, false, tok.vocabSize);
    const id = new Map<string, number>();
    for (let i = 0; i < tok.vocabSize; i++) id.set(tok.idToToken(i)!, i);
    const ids = (...names: string[]): number[] => names.map((n) => id.get(n)!).sort((a, b) => a - b);
    assert.deepEqual(targetIds(bytes, 'Hello'), ids('<0x48>', 'H', 'He', 'Hell', 'Hello'));
    assert.deepEqual(targetIds(bytes, 'world'), ids('<0x77>', 'w', '▁w', '▁wor', '▁world'));
    assert.deepEqual(targetIds(bytes, ' world'), ids('<0x77>', 'w', '▁w', '▁wor', '▁world'));
    // Special tokens never count, whatever their text.
    assert.deepEqual(targetIds(bytes, '<bos>'), ids('<0x3C>'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const LIST: { line: number; words: Record<string, string> }[] = [
  { line: 1, words: { en: 'cat', fr: 'chat', ja: '猫' } },
  { line: 2, words: { en: 'dog', fr: 'chien', ja: '犬' } },
  { line: 3, words: { en: 'bird', fr: 'oiseau' } },
];

test('lens build: translation, repetition and cloze prompts with seeded demonstrations, in both formats', () => {
  const tr = buildLensItems(LIST, { task: 'translate', src: 'fr', tgt: 'ja', shots: 1 });
  assert.equal(tr.skipped, 1);
  assert.deepEqual(tr.items[0], { prompt: 'French: "chien" - Japanese: "犬"\nFrench: "chat" - Japanese: "', answers: { ja: '猫', en: 'cat', fr: 'chat' }, target: 'ja', task: 'translate', word: 1 });
  const pg = buildLensItems(LIST, { task: 'translate', src: 'fr', tgt: 'ja', shots: 1, format: 'polyglot', eos: '</s>' });
  assert.equal(pg.items[1]!.prompt, 'French: chat</s>Japanese: 猫</s>French: chien</s>Japanese: ');
  const rep = buildLensItems(LIST, { task: 'repeat', tgt: 'ja', shots: 1 });
  assert.deepEqual(rep.items[0], { prompt: 'Japanese: "犬" - Japanese: "犬"\nJapanese: "猫" - Japanese: "', answers: { ja: '猫', en: 'cat' }, target: 'ja', task: 'repeat', word: 1 });
  const sentences = [{ lang: 'ja', text: '猫は魚を食べます。' }, { lang: 'ja', text: '犬は本を見ます。' }, { lang: 'fr', text: 'Le chat dort.' }];
  const cl = buildLensItems(LIST, { task: 'cloze', tgt: 'ja', shots: 1, sentences });
  assert.equal(cl.items[0]!.prompt, 'Japanese: "___は本を見ます。" - "犬"\nJapanese: "___は魚を食べます。" - "');
  // Whole words in spaced scripts: "chat" in "chaton" is not the word.
  const fr = buildLensItems([{ line: 1, words: { fr: 'chat', en: 'cat' } }, { line: 2, words: { fr: 'chien', en: 'dog' } }], { task: 'cloze', tgt: 'fr', shots: 0, sentences: [{ lang: 'fr', text: 'Le chaton et le chat.' }, { lang: 'fr', text: 'Un chien.' }] });
  assert.equal(fr.items[0]!.prompt, 'French: "Le chaton et le ___." - "');
  // The same seed draws the same demonstrations; another seed may not.
  const many = Array.from({ length: 12 }, (_, i) => ({ line: i + 1, words: { en: `w${i}`, fr: `m${i}` } }));
  const a = buildLensItems(many, { task: 'translate', src: 'fr', tgt: 'en', shots: 3, seed: 1 });
  assert.deepEqual(buildLensItems(many, { task: 'translate', src: 'fr', tgt: 'en', shots: 3, seed: 1 }), a);
  assert.notDeepEqual(buildLensItems(many, { task: 'translate', src: 'fr', tgt: 'en', shots: 3, seed: 2 }).items.map((x) => x.prompt), a.items.map((x) => x.prompt));
  assert.throws(() => buildLensItems(LIST, { task: 'translate', src: 'fr', tgt: 'ja', shots: 2 }), /2 words have both fr and ja; 2 demonstrations need 3/);
});

test('lens items: a line without answers, or without a target to tell, is refused with its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-items-'));
  try {
    const f = join(dir, 'items.jsonl');
    writeFileSync(f, '{"prompt": "a", "answers": {"en": "x", "ja": "y"}}\n{"prompt": "b"}\n');
    assert.throws(() => readLensItems(f), /items\.jsonl:2: "answers" must be an object/);
    writeFileSync(f, '{"prompt": "a", "answers": {"en": "x", "ja": "y", "zh": "z"}}\n');
    assert.throws(() => readLensItems(f), /items\.jsonl:1: say which answer is the target/);
    assert.equal(readLensItems(f, 'zh')[0]!.target, 'zh');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lens --dataset: per-layer means over items equal the items\' own lens values; intervals hold the mean; overlapping answers are left out', async () => {
  const m = LoadedModel.load(join(ROOT, 'models', 'default'), { threads: 1 });
  const items: LensItem[] = [
    { line: 1, prompt: 'French: chat</s>Japanese: ', answers: { ja: '猫', en: 'cat' }, target: 'ja' },
    { line: 2, prompt: 'French: chien</s>Japanese: ', answers: { ja: '犬', en: 'dog' }, target: 'ja' },
    { line: 3, prompt: 'French: livre</s>Japanese: ', answers: { ja: '本', en: 'book' }, target: 'ja' },
    // German "Ball" and English "Ball" share tokens: this item cannot tell the languages apart.
    { line: 4, prompt: 'French: balle</s>German: ', answers: { de: 'Ball', en: 'Ball' }, target: 'de' },
  ];
  const r = await runLensDataset(m, items, { resamples: 200, seed: 7 });
  assert.equal(r.items, 3);
  assert.deepEqual(r.skipped.map((s) => s.line), [4]);
  const per = await Promise.all(items.slice(0, 3).map((it) => runLens(m, { text: it.prompt, k: 1, targets: [it.answers.ja!, it.answers.en] })));
  for (let l = 0; l < r.layers; l++) {
    for (const [j, lang] of ['ja', 'en'].entries()) {
      const values = per.map((x) => x.lenses[0]!.targets[j]!.p[l * x.tokens.length + x.tokens.length - 1]!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const iv = r.answers[lang]!;
      assert.ok(Math.abs(iv.mean[l]! - mean) < 1e-9, `${lang} layer ${l}`);
      assert.ok(iv.lo[l]! <= iv.mean[l]! + 1e-12 && iv.mean[l]! <= iv.hi[l]! + 1e-12);
      assert.ok(iv.lo[l]! >= Math.min(...values) - 1e-12 && iv.hi[l]! <= Math.max(...values) + 1e-12);
    }
  }
  // overtakes: the first layer from which ja stays above en to the last layer.
  const ja = r.answers.ja!.mean, en = r.answers.en!.mean;
  let expected: number | null = null;
  for (let l = r.layers - 1; l >= 0 && ja[l]! > en[l]!; l--) expected = l;
  assert.equal(r.overtakes, expected);
  assert.deepEqual(r.englishAbove, [...Array(r.layers).keys()].filter((l) => r.answers.en!.lo[l]! > r.answers.ja!.hi[l]!));
  await m.dispose();
});
