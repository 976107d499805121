// `intervene --prompts`: per prompt, the dense and deactivated greedy outputs are exactly
// greedyGenerate's with and without the language's mask, and the per-language switch share is
// recomputed here from those outputs' detected languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { openCorpus } from '../../src/engine/corpus/open';
import { greedyGenerate } from '../../src/engine/generate';
import { detectLanguage } from '../../src/engine/intervene/langid';
import { languageMask, type LapeJson } from '../../src/engine/lape/files';
import { languageSwitchShare } from '../../src/engine/intervene/switchShare';
import { writeTinyModel } from '../helpers/tiny-model';

test('language switch share over a prompt set', async () => {
  const tiny = writeTinyModel({ seed: 13 });
  const model = LoadedModel.load(tiny.dir, { threads: 1 });
  const file = join(mkdtempSync(join(tmpdir(), 'pl-switch-')), 'p.jsonl');
  writeFileSync(file, ['The weather is lovely', 'We walked along the river', 'Il fait beau aujourd’hui', 'Nous avons marché le long'].map((t, i) => JSON.stringify({ lang: i < 2 ? 'en' : 'fr', text: t })).join('\n') + '\n');
  const lape: LapeJson = { languages: ['en', 'fr'], neurons: { en: [[0, 1, 2, 3, 4, 5, 6, 7], [1]], fr: [[10, 11, 12], [2, 3, 4, 5, 6, 7, 8, 9]] }, bar: 0.5, entropyThreshold: 0.1 };
  const r = await languageSwitchShare(model, openCorpus(file), lape, { deactivate: 'own', languages: ['en', 'fr'], promptTokens: 6, maxNewTokens: 24 });
  assert.equal(r.items.length, 4);
  for (const [i, it] of r.items.entries()) {
    const ids = model.tokenizer.encode(['The weather is lovely', 'We walked along the river', 'Il fait beau aujourd’hui', 'Nous avons marché le long'][i]!).slice(0, 6);
    const dense = await greedyGenerate(model, ids, { maxNewTokens: 24 });
    const off = await greedyGenerate(model, ids, { maxNewTokens: 24, deactivate: languageMask(lape, [it.lang]) });
    assert.equal(it.dense.text, dense.text);
    assert.equal(it.intervened.text, off.text);
    const [a, b] = [(await detectLanguage(dense.text)).code, (await detectLanguage(off.text)).code];
    assert.equal(it.switched, a === 'und' || b === 'und' ? null : a !== b);
  }
  for (const l of r.perLanguage) {
    const mine = r.items.filter((x) => x.lang === l.lang && x.switched !== null);
    assert.equal(l.judged, mine.length);
    assert.equal(l.share, mine.length ? mine.filter((x) => x.switched).length / mine.length : null);
  }
  await model.dispose();
});
