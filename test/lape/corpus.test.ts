// Corpus readers: formats, parallel alignment, one-line errors naming file:line, streaming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus, chooseLanguages } from '../../src/engine/corpus/open';
import { normalizeLanguage, type Corpus, type CorpusText } from '../../src/engine/corpus/types';
import { languageSequences } from '../../src/engine/corpus/tokens';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { sharedModel, tempDir, tempFile } from './helpers';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const texts = async (c: Corpus, lang: string): Promise<string[]> => (await collect(c.texts(lang))).map((t: CorpusText) => t.text);

test('JSONL: languages in first-appearance order, counts, blank lines skipped, FLORES codes mapped', async () => {
  const f = tempFile('c.jsonl', '{"lang":"fr","text":"Bonjour"}\n\n{"lang":"en","text":"Hello"}\n{"lang":"fra_Latn","text":"Salut"}\n');
  const c = openCorpus(f);
  const s = await c.scan();
  assert.deepEqual(s.languages, ['fr', 'en']);
  assert.deepEqual([...s.counts], [['fr', 2], ['en', 1]]);
  assert.deepEqual(await texts(c, 'fr'), ['Bonjour', 'Salut']);
  const pairs = await collect(c.parallel('fr', 'en'));
  assert.deepEqual(pairs.map(([a, b]) => [a.text, b.text]), [['Bonjour', 'Hello']]);
});

test('TSV: lang<TAB>text, the text may contain tabs', async () => {
  const c = openCorpus(tempFile('c.tsv', 'en\tone\ttwo\nja\tこんにちは\n'));
  assert.deepEqual((await c.scan()).languages, ['en', 'ja']);
  assert.deepEqual(await texts(c, 'en'), ['one\ttwo']);
});

test('bad lines are errors naming file:line', async () => {
  const cases: [string, string, RegExp][] = [
    ['a.jsonl', '{"lang":"en","text":"ok"}\n{"lang":"en","text":\n', /a\.jsonl:2: not valid JSON/],
    ['b.jsonl', '{"lang":"xx","text":"hi"}\n', /b\.jsonl:1: unknown language code "xx"/],
    ['c.jsonl', '{"lang":"en","text":"  "}\n', /c\.jsonl:1: empty text/],
    ['d.jsonl', '[1,2]\n', /d\.jsonl:1: expected a JSON object/],
    ['e.jsonl', '{"text":"hi"}\n', /e\.jsonl:1: missing language code/],
    ['f.tsv', 'en hello\n', /f\.tsv:1: expected lang<TAB>text/],
    ['g.jsonl', '\n\n', /g\.jsonl: no texts \(empty corpus\)/],
  ];
  for (const [name, content, re] of cases) await assert.rejects(openCorpus(tempFile(name, content)).scan(), re);
  assert.throws(() => openCorpus('/nonexistent/x.jsonl'), /no such file or folder/);
  assert.throws(() => openCorpus(tempFile('x.csv', 'a')), /unknown corpus format/);
});

test('udhr: spec validation and parallel pairs by paragraph id', async () => {
  assert.throws(() => openCorpus('udhr:'), /udhr:: no language codes/);
  assert.throws(() => openCorpus('udhr:en,xx'), /language code "xx"/);
  assert.throws(() => openCorpus('udhr:en,en'), /listed twice/);
  const c = openCorpus('udhr:en,fr');
  const s = await c.scan();
  assert.deepEqual(s.languages, ['en', 'fr']);
  const pairs = await collect(c.parallel('fr', 'en'));
  const a1 = pairs.find(([f]) => f.where.endsWith('#article.1.1'))!;
  assert.match(a1[0].text, /^Tous les êtres humains naissent libres/);
  assert.match(a1[1].text, /^All human beings are born free/);
  await assert.rejects(collect(c.texts('ja')), /has no language ja/);
  assert.throws(() => chooseLanguages(c, s, ['de']), /has no text in language de/);
});

test('udhr: raw UDHR file codes are labelled with ISO 639-1 codes, like every other corpus', async () => {
  const raw = openCorpus('udhr:eng,fra,cmn_hans');
  assert.deepEqual((await raw.scan()).languages, ['en', 'fr', 'zh']);
  const [first] = await texts(raw, 'fr');
  assert.equal(first, (await texts(openCorpus('udhr:fr'), 'fr'))[0]);
  assert.equal((await collect(raw.parallel('fr', 'en'))).length, (await collect(openCorpus('udhr:en,fr').parallel('fr', 'en'))).length);
  // deu_1901 (the 1901 orthography) is German too: labelled de, read from its own file, and de cannot come twice.
  const deu = openCorpus('udhr:deu_1901,en');
  assert.deepEqual((await deu.scan()).languages, ['de', 'en']);
  assert.notEqual((await texts(deu, 'de')).join(' '), (await texts(openCorpus('udhr:de'), 'de')).join(' '));
  assert.throws(() => openCorpus('udhr:de,deu_1901'), /language de is listed twice \(deu_1901 is de\)/);
});

test('FLORES folder: split subfolder, lang_Script names, preferred script, line alignment', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'devtest'));
  writeFileSync(join(dir, 'devtest', 'fra_Latn.devtest'), 'Un.\nDeux.\n');
  writeFileSync(join(dir, 'devtest', 'eng_Latn.devtest'), 'One.\nTwo.\n');
  writeFileSync(join(dir, 'devtest', 'zho_Hant.devtest'), '一。\n二。\n');
  writeFileSync(join(dir, 'devtest', 'zho_Hans.devtest'), '一.\n二.\n');
  writeFileSync(join(dir, 'devtest', 'ceb_Latn.devtest'), 'Usa.\n'); // no ISO 639-1 code: skipped
  const c = openCorpus(dir);
  const s = await c.scan();
  assert.deepEqual(s.languages.sort(), ['en', 'fr', 'zh']);
  assert.deepEqual(await texts(c, 'zh'), ['一.', '二.']); // Hans wins over Hant
  assert.deepEqual((await collect(c.parallel('fr', 'en'))).map(([a, b]) => `${a.text}=${b.text}`), ['Un.=One.', 'Deux.=Two.']);
  const flat = tempDir();
  writeFileSync(join(flat, 'de.devtest'), 'Eins.\n\nDrei.\n');
  await assert.rejects(collect(openCorpus(flat).texts('de')), /de\.devtest:2: empty line/);
  assert.throws(() => openCorpus(tempDir()), /not a FLORES-200 folder/);
});

test('language codes: ISO 639-1, ISO 639-3 and FLORES names', () => {
  assert.equal(normalizeLanguage('fr'), 'fr');
  assert.equal(normalizeLanguage('arb_Arab'), 'ar');
  assert.equal(normalizeLanguage('cmn'), 'zh');
  assert.equal(normalizeLanguage('ceb'), undefined);
  assert.equal(normalizeLanguage('xx'), undefined);
});

test('token sequences: truncation to max length and an exact per-language token cap', { skip: !sharedModel('stories260K') && 'needs stories260K' }, async () => {
  const tok = ModelTokenizer.load(sharedModel('stories260K')!);
  const c = openCorpus('udhr:en');
  const seqs = await collect(languageSequences(c, 'en', tok, { maxLength: 16, maxTokens: 100 }));
  assert.equal(seqs.reduce((n, s) => n + s.length, 0), 100);
  assert.ok(seqs.every((s) => s.length <= 16 && s.length > 0 && s[0] === tok.bosId));
});

test('streaming: reading a 30 MB corpus keeps memory flat', async () => {
  const f = join(tempDir(), 'big.jsonl');
  const w = createWriteStream(f);
  const line = JSON.stringify({ lang: 'en', text: 'x'.repeat(300) }) + '\n';
  // 100k lines × ~320 B ≈ 32 MB: holding it as strings would cost well over 60 MB of heap.
  for (let i = 0; i < 100_000; i++) if (!w.write(line)) await new Promise<void>((r) => w.once('drain', () => r()));
  await new Promise<void>((r) => w.end(() => r()));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let n = 0;
  for await (const _ of openCorpus(f).texts('en')) {
    // Retained memory is what must stay flat: collect garbage before sampling (the runner passes
    // --expose-gc), so transient strings awaiting collection do not count.
    if (++n % 5000 === 0) {
      global.gc?.();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  assert.equal(n, 100_000);
  assert.ok(peak - before < 40e6, `heap grew by ${((peak - before) / 1e6).toFixed(1)} MB`);
});
