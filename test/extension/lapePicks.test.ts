/** Find Language Neurons pre-selects the prompt's languages (issue #26 item 9: [es, en] used to pre-select en, fr). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lapeLanguagePicks } from '../../src/extension/prompt/lapePicks';

const OFFERED = ['en', 'fr', 'de', 'es', 'ja', 'zh'];
const picked = (p: { code: string; picked: boolean }[]) => p.filter((x) => x.picked).map((x) => x.code);

test('a prompt declaring [es, en] pre-selects es and en, listed first', () => {
  const p = lapeLanguagePicks(OFFERED, ['es', 'en']);
  assert.deepEqual(picked(p), ['es', 'en']);
  assert.deepEqual(p.map((x) => x.code), ['es', 'en', 'fr', 'de', 'ja', 'zh']);
});

test('a declared language the model card does not list is offered too; no declaration keeps en, fr', () => {
  assert.deepEqual(picked(lapeLanguagePicks(OFFERED, ['sw', 'fr'])), ['sw', 'fr']);
  assert.deepEqual(picked(lapeLanguagePicks(OFFERED, undefined)), ['en', 'fr']);
  assert.deepEqual(picked(lapeLanguagePicks(OFFERED, [])), ['en', 'fr']);
});
