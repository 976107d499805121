/**
 * Token language profiles and language mass (methods.md §8): p(language | token) against a plain
 * recount of the same token streams; the script fallback; the unknown column; the cache; the
 * language mass at the last layer against softmax(logits) · profile computed here in F64.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { openCorpus } from '../../src/engine/corpus/open';
import { countTokenLanguages, dominantScript, resolveProfile, RowSource, writeProfile, readProfile, PROFILE_FILE } from '../../src/engine/lens/profile';
import { lensFromCapture, modelVocabularyBytes } from '../../src/engine/lens/run';
import { lensPlan } from '../../src/engine/lens/hidden';
import { writeArchCase, archCase } from '../reference/arch-cases';

const ROOT = join(__dirname, '..', '..');
const DEV = join(ROOT, 'examples', 'eval', 'toyworld', 'dev.jsonl');
const model = LoadedModel.load(join(ROOT, 'models', 'default'), { threads: 1 });

test('p(language | token) is the frequency per language normalised over languages, from the same token streams LAPE reads', async () => {
  const corpus = openCorpus(DEV);
  const p = await countTokenLanguages(model, corpus, { languages: ['en', 'fr', 'ja', 'zh'] });
  // A plain recount: every text tokenized with the default special tokens, specials dropped.
  const V = model.cfg.vocabSize;
  const counts = p.languages.map(() => new Float64Array(V));
  const totals = p.languages.map(() => 0);
  for (const [li, lang] of p.languages.entries()) {
    for await (const t of corpus.texts(lang)) {
      for (const id of model.tokenizer.encode(t.text)) {
        if (model.tokenizer.isSpecial(id)) continue;
        counts[li]![id]! += 1;
        totals[li]! += 1;
      }
    }
  }
  assert.deepEqual(p.totals, totals);
  const C = p.languages.length + 1;
  let checked = 0;
  for (let v = 0; v < V; v++) {
    let row = 0;
    for (let c = 0; c < C; c++) row += p.matrix[v * C + c]!;
    assert.ok(Math.abs(row - 1) < 1e-6, `row ${v} sums to ${row}`);
    if (p.source[v] !== RowSource.Counts) continue;
    const f = counts.map((c, l) => c[v]! / totals[l]!);
    const z = f.reduce((a, b) => a + b, 0);
    f.forEach((x, l) => assert.ok(Math.abs(p.matrix[v * C + l]! - x / z) < 1e-6, `token ${v} language ${p.languages[l]}`));
    checked++;
  }
  assert.ok(checked > 50, `${checked} tokens decided by counts`);
  // "The" (every English clause starts with it) is English by its counts; "<s>" is special: unknown.
  const the = model.tokenizer.encode('The', false)[0]!;
  assert.equal(p.source[the], RowSource.Counts);
  assert.equal(p.matrix[the * C + 0], 1);
  assert.equal(p.matrix[model.tokenizer.bosId! * C + C - 1], 1);
  // " The" is rare mid-sentence: it takes the row of " the", which the counts decide.
  const [upper, lower] = [' The', ' the'].map((t) => model.tokenizer.encode(t, false)[0]!);
  assert.equal(p.source[lower!], RowSource.Counts);
  assert.equal(p.source[upper!], RowSource.Case);
  assert.deepEqual(p.matrix.subarray(upper! * C, (upper! + 1) * C), p.matrix.subarray(lower! * C, (lower! + 1) * C));
  assert.deepEqual([p.scripts[0], p.scripts[1], p.scripts[3]], [['Latin'], ['Latin'], ['Han']]);
  assert.ok(p.scripts[2]!.includes('Hiragana') && p.scripts[2]!.includes('Han'), `ja is written in ${p.scripts[2]}`);
});

test('below --min-count a token takes its script when one language writes it, else unknown', async () => {
  const p = await countTokenLanguages(model, openCorpus(DEV), { languages: ['en', 'fr', 'ru', 'hi', 'ja', 'zh'], minCount: 1e9 });
  const C = p.languages.length + 1;
  const bytes = modelVocabularyBytes(model);
  const decoder = new TextDecoder();
  const langOf = (v: number): string => {
    for (let c = 0; c < C - 1; c++) if (p.matrix[v * C + c] === 1) return p.languages[c]!;
    assert.equal(p.matrix[v * C + C - 1], 1);
    return 'unknown';
  };
  assert.deepEqual(p.scripts.slice(0, 4), [['Latin'], ['Latin'], ['Cyrillic'], ['Devanagari']]);
  assert.deepEqual(p.scripts[5], ['Han']);
  // Japanese: kana and kanji (Katakana words are rarer than 10 % of its letters in these clauses).
  assert.deepEqual(p.scripts[4], ['Hiragana', 'Han']);
  const seen = new Map<string, string>();
  for (let v = 0; v < model.cfg.vocabSize; v++) {
    const b = bytes[v];
    const script = b ? dominantScript(decoder.decode(b)) : undefined;
    const expected = script === 'Cyrillic' ? 'ru' : script === 'Devanagari' ? 'hi' : script === 'Hiragana' ? 'ja' : 'unknown';
    // Han is written by ja and zh, Latin by en and fr: unknown; so are tokens without letters.
    assert.equal(langOf(v), expected, `token ${v} (${script})`);
    if (script) seen.set(script, expected);
  }
  assert.equal(seen.get('Han'), 'unknown');
  assert.equal(seen.get('Latin'), 'unknown');
  assert.equal(seen.get('Hiragana'), 'ja');
});

test('language mass at the last layer is softmax(logits) · p(language | token)', async () => {
  const profile = await countTokenLanguages(model, openCorpus(DEV));
  const text = 'French: Le chat voit le chien.</s>Japanese: ';
  const ids = model.encodeInput(text, 'test');
  const out = await model.run([ids], lensPlan(model.cfg.nLayers, ['logits']));
  const r = await lensFromCapture(model, text, ids, out, { k: 3, profile });
  const { vocabSize: V } = model.cfg;
  const C = profile.languages.length + 1;
  const T = ids.length;
  let worst = 0;
  for (let t = 0; t < T; t++) {
    const row = out.logits!.data.subarray(t * V, (t + 1) * V);
    const max = Math.max(...row);
    let z = 0;
    for (const x of row) z += Math.exp(x - max);
    for (let c = 0; c < C; c++) {
      let m = 0;
      for (let v = 0; v < V; v++) m += (Math.exp(row[v]! - max) / z) * profile.matrix[v * C + c]!;
      worst = Math.max(worst, Math.abs(m - r.lenses[0]!.mass[((r.layers - 1) * T + t) * C + c]!));
    }
  }
  assert.ok(worst <= 1e-5, `mass differs by ${worst}`);
});

test('a corpus profile is built once into the cache and read back; a profile file for another tokenizer is refused', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'pl-lens-cache-'));
  const tiny = mkdtempSync(join(tmpdir(), 'pl-lens-tiny-'));
  try {
    const a = await resolveProfile(model, DEV, cache, { languages: ['en', 'fr'] });
    const files = readdirSync(cache).filter((f) => f.startsWith('token-languages-'));
    assert.equal(files.length, 1);
    const b = await resolveProfile(model, DEV, cache, { languages: ['en', 'fr'] });
    assert.deepEqual(b.matrix, a.matrix);
    assert.deepEqual(b.languages, ['en', 'fr']);
    writeProfile(join(tiny, PROFILE_FILE), model, a);
    assert.ok(existsSync(join(tiny, PROFILE_FILE)));
    assert.deepEqual((await resolveProfile(model, tiny, undefined)).matrix, a.matrix);
    const other = LoadedModel.load(writeArchCase(archCase('llama3-rope-gqa'), join(tiny, 'm')));
    assert.throws(() => readProfile(join(tiny, PROFILE_FILE), other), /was made with the tokenizer of default, not m's/);
    await other.dispose();
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(tiny, { recursive: true, force: true });
  }
});

test('a cached profile counted by older rules is counted again, not reused (the cache key is tokenizer, corpus and settings, not the rules)', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'pl-lens-cache-'));
  try {
    const a = await resolveProfile(model, DEV, cache, { languages: ['en', 'fr'] });
    const [file] = readdirSync(cache).filter((f) => f.startsWith('token-languages-'));
    // What an earlier version left under the same key: other rows, and the rules it was counted by.
    const stale = { ...a, matrix: a.matrix.map((_, i) => (i % (a.languages.length + 1) === a.languages.length ? 1 : 0)) };
    writeProfile(join(cache, file!), model, stale, { rules: '1' });
    const b = await resolveProfile(model, DEV, cache, { languages: ['en', 'fr'] });
    assert.deepEqual(b.matrix, a.matrix, 'the stale entry was reused');
    // …and the entry is replaced by the current count, which is then reused.
    assert.deepEqual(readProfile(join(cache, file!), model).matrix, a.matrix);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
