// Task `perplexity`: against the plain PyTorch reference on a real checkpoint
// (test/eval/perplexity_reference.py on ../shared/models/stories260K; skips when absent), and
// against the double-precision reference forward on a tiny model (always runs), with batching
// and padding across texts of different lengths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { openCorpus } from '../../src/engine/corpus/open';
import { perplexityTask } from '../../src/engine/eval/tasks/perplexity';
import { openEvalCorpora, isUdhrHeldOut } from '../../src/engine/eval/data';
import { naiveForward, type NaiveConfig } from '../helpers/naive-llama';
import { writeTinyModel } from '../helpers/tiny-model';
import { sharedModel, skipWithoutModel } from '../helpers/shared';

const fixtures = join(__dirname, '..', 'fixtures', 'eval');

function jsonlCorpus(texts: { lang: string; text: string }[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pl-ppl-')), 'corpus.jsonl');
  writeFileSync(file, texts.map((t) => JSON.stringify({ lang: t.lang, text: t.text })).join('\n') + '\n');
  return file;
}

test('perplexity on stories260K equals the PyTorch reference (pooled NLL, bits per character)', { skip: skipWithoutModel('stories260K') }, async () => {
  const cases = JSON.parse(readFileSync(join(fixtures, 'perplexity-cases.json'), 'utf8')) as { texts: { lang: string; text: string; ids: number[] }[] };
  const expected = JSON.parse(readFileSync(join(fixtures, 'perplexity-stories260K.json'), 'utf8')) as {
    texts: { nll: number; tokens: number; chars: number }[];
    languages: Record<string, { perplexity: number; bits_per_char: number; tokens: number }>;
  };
  const model = LoadedModel.load(sharedModel('stories260K')!, { threads: 1 });
  for (const t of cases.texts) assert.deepEqual(model.tokenizer.encode(t.text), t.ids, 'tokenizer ids as the fixture');
  // A small batch budget so texts of different lengths share padded batches.
  const res = await perplexityTask({ name: 'stories260K', model }, openCorpus(jsonlCorpus(cases.texts)), { batchTokens: 64 });
  assert.deepEqual(res.map((r) => r.language), ['en', 'fr']);
  const stats = res.flatMap((r) => r.stats.nll!);
  expected.texts.forEach((e, i) => {
    assert.equal(stats[i]![1], e.tokens);
    assert.equal(stats[i]![2], e.chars);
    assert.ok(Math.abs(stats[i]![0]! - e.nll) < 1e-3 * Math.max(1, e.nll), `text ${i}: ${stats[i]![0]} vs ${e.nll}`);
  });
  for (const r of res) {
    const e = expected.languages[r.language]!;
    assert.ok(Math.abs(r.metrics.perplexity! / e.perplexity - 1) < 1e-4, `${r.language} ppl ${r.metrics.perplexity} vs ${e.perplexity}`);
    assert.ok(Math.abs(r.metrics.bits_per_char! / e.bits_per_char - 1) < 1e-4, `${r.language} bpc ${r.metrics.bits_per_char} vs ${e.bits_per_char}`);
  }
  await model.dispose();
});

test('perplexity on a tiny model equals the reference forward, batched with padding', async () => {
  const tiny = writeTinyModel({ seed: 5 });
  const model = LoadedModel.load(tiny.dir, { threads: 1 });
  const s = tiny.spec;
  const cfg: NaiveConfig = { dModel: s.dModel, nLayers: s.nLayers, nHeads: s.nHeads, nKvHeads: s.nKvHeads, dMlp: s.dMlp, vocab: s.vocab, eps: 1e-5, ropeTheta: s.ropeTheta };
  const texts = [
    { lang: 'en', text: 'a short one' },
    { lang: 'en', text: 'a noticeably longer text than the first' },
    { lang: 'de', text: 'Straße über Brücken' },
    { lang: 'en', text: 'x' }, // BOS + 1 byte: one predicted token
  ];
  const res = await perplexityTask({ name: 'tiny', model }, openCorpus(jsonlCorpus(texts)), { batchTokens: 48 });
  for (const r of res) {
    let nll = 0, tokens = 0, chars = 0;
    for (const t of texts.filter((x) => x.lang === r.language)) {
      const ids = model.tokenizer.encode(t.text);
      const { logits } = naiveForward(cfg, (n) => tiny.weights.get(n), ids);
      for (let i = 0; i + 1 < ids.length; i++) {
        const row = logits[i]!;
        const max = Math.max(...row);
        nll += max + Math.log(row.reduce((z, x) => z + Math.exp(x - max), 0)) - row[ids[i + 1]!]!;
        tokens++;
      }
      chars += [...t.text].length;
    }
    assert.ok(Math.abs(r.metrics.perplexity! - Math.exp(nll / tokens)) < 1e-4 * Math.exp(nll / tokens), `${r.language} ${r.metrics.perplexity} vs ${Math.exp(nll / tokens)}`);
    assert.ok(Math.abs(r.metrics.bits_per_char! - nll / Math.LN2 / chars) < 1e-4, `${r.language} bpc`);
  }
  await model.dispose();
});

test('udhr: in evaluation is the held-out articles; the rest is the dev split', async () => {
  const { test: held, dev } = openEvalCorpora('udhr:en,fr');
  const texts: string[] = [];
  for await (const t of held.texts('en')) texts.push(t.where);
  assert.equal(texts.length, 10); // articles 3, 13, 23: titles and 7 paragraphs
  assert.ok(texts.every(isUdhrHeldOut));
  let devCount = 0;
  for await (const p of dev!.parallel('fr', 'en')) {
    assert.ok(!isUdhrHeldOut(p[0].where) && !isUdhrHeldOut(p[1].where));
    devCount++;
  }
  assert.ok(devCount > 50);
});

test('FLORES folder with dev/ and devtest/: devtest is the test split, dev the demonstrations', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pl-flores-'));
  const { mkdirSync } = await import('node:fs');
  for (const [split, n] of [['dev', 3], ['devtest', 2]] as const) {
    mkdirSync(join(root, split));
    writeFileSync(join(root, split, `fra_Latn.${split}`), Array.from({ length: n }, (_, i) => `fr ${split} ${i}`).join('\n') + '\n');
    writeFileSync(join(root, split, `eng_Latn.${split}`), Array.from({ length: n }, (_, i) => `en ${split} ${i}`).join('\n') + '\n');
  }
  const { test: t, dev } = openEvalCorpora(root);
  const pairs: string[] = [];
  for await (const [s, e] of t.parallel('fr', 'en')) pairs.push(`${s.text}|${e.text}`);
  assert.deepEqual(pairs, ['fr devtest 0|en devtest 0', 'fr devtest 1|en devtest 1']);
  let devPairs = 0;
  for await (const _ of dev!.parallel('fr', 'en')) devPairs++;
  assert.equal(devPairs, 3);
});
