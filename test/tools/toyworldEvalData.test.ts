/**
 * The toy world's evaluation files in examples/ (issue #15) are exactly what
 * tools/train-default-model/write-eval-data.ts writes, come only from held-out clauses (the
 * translation demonstrations from training clauses), and their prompts render the very text the
 * default model's instruction items were trained on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { records } from '../../tools/train-default-model/toyworld/generate';
import { TOY_LANGUAGES } from '../../tools/train-default-model/toyworld/lexicon';
import { taskItems } from '../../tools/train-default-model/toyworld/tasks';
import { evalFiles, STUDY_ITEMS_PER_LANGUAGE, TRANSLATE_TEST, ZERO_SHOT_ITEMS_PER_LANGUAGE } from '../../tools/train-default-model/write-eval-data';
import { parsePrompt, renderPrompt } from '../../src/shared/prompt';

const ROOT = join(__dirname, '..', '..');
const files = evalFiles();
const lines = (path: string) => files.get(path)!.trim().split('\n').map((l) => JSON.parse(l) as { lang: string; text: string; label?: number; gold?: number });

test('committed toy-world evaluation files equal the generator output', () => {
  for (const [path, text] of files) assert.equal(readFileSync(join(ROOT, path), 'utf8'), text, `${path} is stale: run node --import tsx tools/train-default-model/write-eval-data.ts`);
});

test('translation test lines are held-out clauses, parallel across the eight languages; dev lines are training clauses', () => {
  const all = records();
  const split = new Map<string, string>(TOY_LANGUAGES.flatMap((l) => all.map((r) => [`${l}\t${r.text[l]}`, r.split] as const)));
  const test_ = lines('examples/eval/toyworld/test.jsonl');
  const dev = lines('examples/eval/toyworld/dev.jsonl');
  assert.equal(test_.length, TRANSLATE_TEST * TOY_LANGUAGES.length);
  assert.ok(test_.every((l) => split.get(`${l.lang}\t${l.text}`) === 'test'));
  assert.ok(dev.every((l) => split.get(`${l.lang}\t${l.text}`) === 'train'));
  // The nth English line and the nth French line are one clause.
  const en = test_.filter((l) => l.lang === 'en');
  const fr = test_.filter((l) => l.lang === 'fr');
  const byEn = new Map(all.map((r) => [r.text.en, r.text.fr]));
  en.forEach((l, i) => assert.equal(byEn.get(l.text), fr[i]!.text));
});

test('study prompts render the trained instruction text; items are held out, balanced and labelled by the lexicon', () => {
  const all = records();
  const byText = new Map(TOY_LANGUAGES.flatMap((l) => all.map((r) => [r.text[l], r] as const)));
  const animal = lines('examples/studies/animal.jsonl');
  assert.equal(animal.length, STUDY_ITEMS_PER_LANGUAGE * TOY_LANGUAGES.length);
  for (const item of animal) {
    const r = byText.get(item.text)!;
    assert.equal(r.split, 'test');
    for (const instruction of item.lang === 'en' ? ['en'] : ['en', item.lang]) {
      const file = `examples/studies/animal${instruction === 'en' ? '' : `.${instruction}`}.prompt`;
      const { doc, partials } = parsePrompt(files.get(file)!);
      assert.deepEqual(doc.diagnostics, [], file);
      const trained = taskItems(r, item.lang as (typeof TOY_LANGUAGES)[number]).find((t) => t.task === 'animal' && t.instruction === instruction)!;
      assert.equal(renderPrompt(doc, partials, { text: item.text }).text, trained.prompt, file);
      assert.equal(doc.metadata.polyglot.labels![item.label!], trained.answer);
    }
  }
  for (const lang of TOY_LANGUAGES) assert.equal(animal.filter((i) => i.lang === lang && i.label === 0).length, STUDY_ITEMS_PER_LANGUAGE / 2);
  const size = parsePrompt(files.get('examples/studies/size.prompt')!);
  assert.deepEqual(size.doc.diagnostics, []);
  for (const item of lines('examples/studies/size.jsonl').filter((i) => i.lang === 'en')) {
    const r = byText.get(item.text)!;
    assert.equal(r.split, 'test');
    const trained = taskItems(r, 'en').find((t) => t.task === 'size' && t.instruction === 'en')!;
    assert.equal(String(item.gold), trained.answer);
    // bias appends the digits directly: prompt + "3" must be the trained "Answer: 3".
    assert.equal(renderPrompt(size.doc, size.partials, { text: item.text, scoreMin: 1, scoreMax: 5 }).text + trained.answer, `${trained.prompt} ${trained.answer}`);
  }
});

test('Study 1 zero-shot demo: 100 held-out clauses per language, parallel, outside the translation test; label + prompt = the trained English item', () => {
  const all = records();
  const byText = new Map(TOY_LANGUAGES.flatMap((l) => all.map((r) => [r.text[l], r] as const)));
  const translation = new Set(lines('examples/eval/toyworld/test.jsonl').map((l) => l.text));
  for (const [name, task] of [['animal', 'animal'], ['size', 'size']] as const) {
    const items = files.get(`examples/eval/toyworld/${name}.jsonl`)!.trim().split('\n').map((l) => JSON.parse(l) as { lang: string; text: string; label: string });
    const { doc, partials } = parsePrompt(files.get(`examples/eval/toyworld/${name}.prompt`)!);
    assert.deepEqual(doc.diagnostics, [], name);
    for (const lang of TOY_LANGUAGES) assert.equal(items.filter((i) => i.lang === lang).length, ZERO_SHOT_ITEMS_PER_LANGUAGE, `${name} ${lang}`);
    const en = items.filter((i) => i.lang === 'en');
    items.forEach((item, k) => {
      const r = byText.get(item.text)!;
      assert.equal(r.split, 'test');
      assert.ok(!translation.has(item.text));
      // Parallel: the k-th item of every language is the same clause as the k-th English item.
      assert.equal(r.text.en, en[k % ZERO_SHOT_ITEMS_PER_LANGUAGE]!.text);
      const trained = taskItems(r, item.lang as (typeof TOY_LANGUAGES)[number]).find((t) => t.task === task && t.instruction === 'en')!;
      assert.equal(item.label, trained.answer);
      assert.ok(doc.metadata.polyglot.labels!.includes(item.label));
      assert.equal(renderPrompt(doc, partials, { text: item.text, label: item.label }).text.replace(/\n$/, ""), `${trained.prompt} ${trained.answer}`);
    });
    if (name === 'animal') assert.equal(en.filter((i) => i.label === 'yes').length, ZERO_SHOT_ITEMS_PER_LANGUAGE / 2);
  }
});
