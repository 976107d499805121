// Zero-shot data in the forms it is distributed in (Kim et al. evaluate on XNLI and MARC): XNLI's
// xnli.{dev,test}.tsv read by column name, its per-language JSONL mirrors (language from the file
// name), MARC-style {lang, text, label} JSONL, gold labels as class names, label words or indices;
// label words per language; code as a perplexity "language" (code:GLOB, lang: code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languageFromPath, readLabelledData } from '../../src/engine/eval/datasets';
import { prepareTask } from '../../src/engine/eval/tasks';
import { classifyTask } from '../../src/engine/eval/tasks/classify';
import { openEvalCorpora, collect } from '../../src/engine/eval/data';
import { codeChunks, CODE_LANGUAGE } from '../../src/engine/corpus/codeCorpus';
import { LoadedModel } from '../../src/engine/model/model';
import type { EvalTemplate } from '../../src/engine/eval/template';
import { writeTinyModel } from '../helpers/tiny-model';

const XNLI = { classes: ['entailment', 'neutral', 'contradiction'], labels: ['Yes', 'Also', 'No'] };
const tmp = mkdtempSync(join(tmpdir(), 'pl-data-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('XNLI as distributed: the TSV by column name and its JSONL mirrors give the same items', async () => {
  const tsv = await readLabelledData('examples/eval/xnli/xnli.test.tsv', XNLI);
  assert.equal(tsv.items.length, 36);
  assert.deepEqual([...new Set(tsv.items.map((i) => i.lang))], ['en', 'fr', 'de', 'zh']);
  const fr = tsv.items.filter((i) => i.lang === 'fr');
  assert.deepEqual(fr.map((i) => i.gold), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  assert.equal(fr[2]!.label, 'contradiction');
  assert.equal(fr[0]!.vars.premise, 'Le musée ouvre à neuf heures tous les matins.');
  assert.equal(fr[0]!.vars.hypothesis, 'Le musée est ouvert le matin.');
  assert.equal(fr[0]!.where, 'examples/eval/xnli/xnli.test.tsv:11');
  const mirror = await readLabelledData('examples/eval/xnli/jsonl', XNLI);
  assert.deepEqual(mirror.formats, ['jsonl', 'jsonl', 'jsonl', 'jsonl']);
  const key = (i: { lang: string; gold: number; vars: Record<string, unknown> }) => `${i.lang}|${i.gold}|${String(i.vars.premise)}|${String(i.vars.hypothesis)}`;
  assert.deepEqual(mirror.items.map(key).sort(), tsv.items.map(key).sort());
  const dev = await readLabelledData('examples/eval/xnli/xnli.dev.tsv', XNLI);
  assert.equal(dev.items.length, 12);
  // MNLI-style rows without a gold label ("-") are skipped and counted; a file without the columns names them.
  const f = join(tmp, 'xnli.dev.tsv');
  writeFileSync(f, 'language\tgold_label\tsentence1\tsentence2\nfr\t-\ta\tb\nfr\tneutral\tc\td\n');
  const r = await readLabelledData(f, XNLI);
  assert.deepEqual([r.items.length, r.skipped, r.items[0]!.gold], [1, 1, 1]);
  writeFileSync(f, 'lang\tlabel\ttext\nfr\tneutral\tc\n');
  await assert.rejects(readLabelledData(f, XNLI), /xnli.dev.tsv:1: the header must name gold_label/);
  writeFileSync(f, 'language\tgold_label\tsentence1\tsentence2\nfr\tmaybe\tc\td\n');
  await assert.rejects(readLabelledData(f, XNLI), /xnli.dev.tsv:2: label "maybe" is not one of the declared labels \(entailment, neutral, contradiction; words Yes, Also, No\)/);
});

test('MARC-style JSONL: {lang, text, label} with names, words or 0-based indices; one-line errors', async () => {
  const marc = await readLabelledData('examples/eval/marc/marc.test.jsonl', { classes: ['negative', 'positive'], labels: ['negative', 'positive'] });
  assert.equal(marc.items.length, 48);
  assert.deepEqual([...new Set(marc.items.map((i) => i.lang))], ['en', 'fr', 'de', 'es', 'ja', 'zh']);
  assert.equal(marc.items.filter((i) => i.gold === 1).length, 24);
  const f = join(tmp, 'reviews.jsonl');
  writeFileSync(f, '{"lang":"fr","text":"bien","label":1}\n{"language":"de","text":"gut","label":"Positive"}\n');
  const r = await readLabelledData(f, { classes: ['negative', 'positive'], labels: ['bad', 'good'] });
  assert.deepEqual(r.items.map((i) => [i.lang, i.gold, i.label]), [['fr', 1, 'positive'], ['de', 1, 'positive']]);
  writeFileSync(f, '{"lang":"fr","text":"x","label":2}\n');
  await assert.rejects(readLabelledData(f, { classes: ['negative', 'positive'], labels: ['negative', 'positive'] }), /reviews.jsonl:1: label 2 is not a class index 0–1/);
  writeFileSync(f, '{"lang":"xx","text":"x","label":0}\n');
  await assert.rejects(readLabelledData(f, { classes: ['negative', 'positive'], labels: ['negative', 'positive'] }), /reviews.jsonl:1: unknown language code "xx"/);
  assert.equal(languageFromPath('data/xnli.fr.test.jsonl'), 'fr');
  assert.equal(languageFromPath('data/test-zh.jsonl'), 'zh');
  assert.equal(languageFromPath('data/de/test.jsonl'), 'de');
  assert.equal(languageFromPath('data/test.jsonl'), undefined);
});

test('classify: the label words of each item\'s language (polyglot.labelsByLanguage), gold by class', async () => {
  const prepared = await prepareTask({ kind: 'classify', data: 'examples/eval/xnli/jsonl', template: 'examples/eval/xnli/xnli.native-labels.prompt' });
  assert.deepEqual(prepared.settings.classes, XNLI.classes);
  assert.deepEqual((prepared.settings.labelsByLanguage as Record<string, string[]>).fr, ['Oui', 'De plus', 'Non']);
  assert.equal(prepared.settings.items, 36);
  const tiny = writeTinyModel({ seed: 3, nLayers: 1, dModel: 16, nHeads: 2, nKvHeads: 1, dMlp: 24 });
  const model = LoadedModel.load(tiny.dir, { threads: 1 });
  try {
    const template: EvalTemplate = { source: 'inline', render: (v) => `${String(v.text)} ${String(v.label)}` };
    const items = [{ lang: 'fr', label: 'contradiction', gold: 2, vars: { text: 'a' }, where: 'x:1' }, { lang: 'en', label: 'entailment', gold: 0, vars: { text: 'b' }, where: 'x:2' }];
    const r = await classifyTask({ name: 't', model }, items, { labels: XNLI.labels, labelsByLanguage: { fr: ['Oui', 'De plus', 'Non'] }, template });
    const fr = r.find((x) => x.language === 'fr')!.items[0] as { gold: string; predicted: string; goldClass: string };
    assert.equal(fr.gold, 'Non');
    assert.equal(fr.goldClass, 'contradiction');
    assert.ok(['Oui', 'De plus', 'Non'].includes(fr.predicted));
    const en = r.find((x) => x.language === 'en')!.items[0] as { gold: string; predicted: string };
    assert.equal(en.gold, 'Yes');
    assert.ok(XNLI.labels.includes(en.predicted));
  } finally {
    await model.dispose();
  }
  await assert.rejects(prepareTask({ kind: 'classify', data: 'examples/eval/marc/marc.test.jsonl', template: 'examples/eval/xnli/xnli.prompt' }), /label "negative" is not one of the declared labels/);
});

test('code as a corpus language: code:GLOB chunks source files, lang: code in JSONL, beside natural languages', async () => {
  assert.deepEqual(codeChunks('a\nbb\n\nccc\n', 5), ['a\nbb\n', '\nccc\n']);
  assert.deepEqual(codeChunks('x'.repeat(12), 5), ['xxxxx', 'xxxxx', 'xx']);
  const dir = join(tmp, 'repo');
  mkdirSync(join(dir, 'src', 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'src', 'a.py'), 'def f(x):\n    return x + 1\n');
  writeFileSync(join(dir, 'src', 'b.py'), '\n\n');
  writeFileSync(join(dir, 'src', 'node_modules', 'c.py'), 'print(1)\n');
  const { test: corpus } = openEvalCorpora('udhr:en+code:src/**/*.py', undefined, dir);
  const s = await corpus.scan();
  assert.deepEqual(s.languages, ['en', CODE_LANGUAGE]);
  const code = await collect(corpus.texts(CODE_LANGUAGE));
  assert.deepEqual(code.map((t) => [t.where, t.text]), [['src/a.py#chunk.1', 'def f(x):\n    return x + 1\n']]);
  const jsonl = join(tmp, 'mixed.jsonl');
  writeFileSync(jsonl, '{"lang":"fr","text":"bonjour"}\n{"lang":"code","text":"x = 1"}\n');
  const mixed = openEvalCorpora(jsonl).test;
  assert.deepEqual((await mixed.scan()).languages, ['fr', 'code']);
  await assert.rejects(openEvalCorpora('code:none/*.rs', undefined, dir).test.scan(), /no files match none\/\*\.rs/);
  assert.ok(readFileSync('examples/eval/xnli/xnli.prompt', 'utf8').includes('polyglot.classes'));
});
