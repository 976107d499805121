/** Reading answers (methods.md §6) on hand-made outputs: labels, failures, refusals, and the per-variant rates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerLanguage, normalizeAnswer, readAnswer, type LabelSet } from '../../src/engine/studies/answers';
import { exclusiveNeurons, roleCells } from '../../src/engine/studies/instructionTables';
import { rolesFor, variantLanguages, wordsLanguage } from '../../src/engine/studies/variantLanguages';
import { mcnemarExact, type McNemar } from '../../src/engine/stats/mcnemar';
import type { InstructionComparison } from '../../src/engine/studies/instructions';
import { summarize, type InstructionOutput } from '../../src/engine/studies/instructions';

test('a label is read after normalisation, at a word boundary, the longest label winning', () => {
  assert.equal(normalizeAnswer('  "Yes."\nbecause…'), 'yes');
  assert.deepEqual(readAnswer(' Yes, it does.', ['yes', 'no']), { kind: 'label', label: 'yes', index: 0 });
  assert.deepEqual(readAnswer('**Non**', ['oui', 'non']), { kind: 'label', label: 'non', index: 1 });
  assert.deepEqual(readAnswer('not bad at all', ['not', 'not bad']), { kind: 'label', label: 'not bad', index: 1 });
  // "nope" starts with "no" but is another word: not the label "no".
  assert.deepEqual(readAnswer('nope', ['yes', 'no']), { kind: 'invalid' });
  assert.deepEqual(readAnswer('Article 7', ['yes', 'no']), { kind: 'invalid' });
  assert.deepEqual(readAnswer('', ['yes', 'no']), { kind: 'invalid' });
  // Japanese labels end at any character (no spaces between words).
  assert.deepEqual(readAnswer('はいです。', ['はい', 'いいえ']), { kind: 'label', label: 'はい', index: 0 });
});

test('a "no answer" phrase is a failure even when a label word occurs in it', () => {
  assert.equal(readAnswer("I don't know, maybe yes", ['yes', 'no']).kind, 'no-answer');
  assert.equal(readAnswer('Je ne sais pas.', ['oui', 'non']).kind, 'no-answer');
  assert.equal(readAnswer('わかりません', ['はい', 'いいえ']).kind, 'no-answer');
});

const out = (variant: string, lang: string | null, outcome: InstructionOutput['outcome'], detected: string): InstructionOutput => ({
  variant,
  index: 0,
  lang,
  prompt: '',
  output: '',
  answer: outcome === 'failure' ? null : 'yes',
  gold: 'yes',
  outcome,
  failure: outcome === 'failure' ? 'invalid' : null,
  detected,
  offTarget: lang === null || detected === 'und' ? null : detected !== lang,
});

test('rates per variant and language: accuracy over scored items, failures over all, off-target apart from undetermined', () => {
  const rows = [
    out('en', 'fr', 'correct', 'fr'),
    out('en', 'fr', 'wrong', 'en'),
    out('en', 'fr', 'failure', 'und'),
    out('en', 'de', 'correct', 'de'),
    out('fr', 'fr', 'failure', 'en'),
    out('fr', 'fr', 'correct', 'fr'),
  ];
  const s = summarize(['en', 'fr'], rows);
  const get = (v: string, l: string) => s.find((x) => x.variant === v && x.language === l)!;
  assert.deepEqual(get('en', 'fr'), { variant: 'en', language: 'fr', n: 3, accuracy: 1 / 3, failureRate: 1 / 3, offTargetRate: 1 / 3, undeterminedRate: 1 / 3 });
  assert.deepEqual(get('en', 'all'), { variant: 'en', language: 'all', n: 4, accuracy: 2 / 4, failureRate: 1 / 4, offTargetRate: 1 / 4, undeterminedRate: 1 / 4 });
  assert.deepEqual(get('fr', 'fr'), { variant: 'fr', language: 'fr', n: 2, accuracy: 1 / 2, failureRate: 1 / 2, offTargetRate: 1 / 2, undeterminedRate: 0 });
});

test('short answers are judged: a label of another language\'s set, or an answer word of another language, is off-target', () => {
  const en: LabelSet = { language: 'en', labels: ['yes', 'no'] };
  const fr: LabelSet = { language: 'fr', labels: ['oui', 'non'] };
  const ja: LabelSet = { language: 'ja', labels: ['はい', 'いいえ'] };
  // Own label: on target.
  assert.deepEqual(answerLanguage('Yes.', en, [fr, ja], 'en', 'und'), { detected: 'en', offTarget: false, by: 'own-label' });
  // "oui" where the labels are yes/no: French, off-target (it used to be "und", never off-target).
  assert.deepEqual(answerLanguage(' oui', en, [fr, ja], 'en', 'und'), { detected: 'fr', offTarget: true, by: 'other-label' });
  assert.deepEqual(answerLanguage('いいえ。', fr, [en, ja], 'fr', 'und'), { detected: 'ja', offTarget: true, by: 'other-label' });
  // Not a label of the task, but an answer word of another language.
  assert.deepEqual(answerLanguage('nein', en, [fr], 'en', 'und'), { detected: 'de', offTarget: true, by: 'answer-word' });
  assert.deepEqual(answerLanguage('да', fr, [en], 'fr', 'und'), { detected: 'ru', offTarget: true, by: 'answer-word' });
  // A word the expected language shares is not off-target ("no" is Spanish too); the longest word wins (不是 over 是).
  assert.deepEqual(answerLanguage('no', { language: 'es', labels: ['positivo', 'negativo'] }, [], 'es', 'und'), { detected: 'es', offTarget: false, by: 'answer-word' });
  assert.deepEqual(answerLanguage('不是', en, [], 'en', 'und'), { detected: 'zh', offTarget: true, by: 'answer-word' });
  // "nope" is no word of any language: undetermined below 10 characters, franc-min's verdict above.
  assert.deepEqual(answerLanguage('nope', en, [fr], 'en', 'und'), { detected: 'und', offTarget: null, by: 'short' });
  assert.deepEqual(answerLanguage('Le chien voit le livre.', en, [fr], 'en', 'fr'), { detected: 'fr', offTarget: true, by: 'franc' });
  // Without an expected language nothing is off-target, but the language is still told.
  assert.deepEqual(answerLanguage('oui', { language: null, labels: ['a', 'b'] }, [fr], null, 'und'), { detected: 'fr', offTarget: null, by: 'other-label' });
});

test('variant languages: names give the instruction (bare code, crossing fr_en, mt), label sets their language', () => {
  const langs = variantLanguages([
    { name: 'en', labels: ['yes', 'no'] },
    { name: 'en_fr', labels: ['oui', 'non'] },
    { name: 'fr', labels: ['Oui', 'Non'] },
    { name: 'fr_en', labels: ['yes', 'no'] },
    { name: 'mt', labels: ['yes', 'no'] },
    { name: 'base', labels: ['positif', 'négatif'] },
    { name: 'de', labels: ['ja', 'nein'] },
  ]);
  assert.deepEqual(Object.fromEntries(langs), {
    en: { instruction: 'en', machineTranslated: false, labels: 'en' },
    en_fr: { instruction: 'en', machineTranslated: false, labels: 'fr' },
    fr: { instruction: 'fr', machineTranslated: false, labels: 'fr' },
    fr_en: { instruction: 'fr', machineTranslated: false, labels: 'en' },
    mt: { instruction: null, machineTranslated: true, labels: 'en' },
    base: { instruction: null, machineTranslated: false, labels: null },
    de: { instruction: 'de', machineTranslated: false, labels: 'de' },
  });
  assert.deepEqual(rolesFor(langs.get('en_fr')!, 'fr'), { instruction: 'English', labels: 'target' });
  assert.deepEqual(rolesFor(langs.get('mt')!, 'ja'), { instruction: 'machine-translated', labels: 'English' });
  assert.deepEqual(rolesFor(langs.get('fr')!, 'de'), { instruction: 'other', labels: 'other' });
  assert.equal(rolesFor(langs.get('fr')!, 'en'), null, 'English items have no target');
  assert.equal(wordsLanguage(['Ja', 'Nein']), 'de');
  assert.equal(wordsLanguage(['ja', 'nee']), 'nl');
  assert.equal(wordsLanguage(['ja']), null, 'ja alone is German, Dutch or Swedish');
});

test('McNemar exact: hand-computed binomial tails', () => {
  const t = (onlyA: number, onlyB: number, both = 3): McNemar => mcnemarExact([...Array(onlyA).fill(true), ...Array(onlyB).fill(false), ...Array(both).fill(true)], [...Array(onlyA).fill(false), ...Array(onlyB).fill(true), ...Array(both).fill(true)]);
  // b = 0, c = 6: 2 · (1/2)^6 = 0.03125.
  const six = t(0, 6);
  assert.deepEqual([six.b, six.c], [0, 6]);
  assert.ok(Math.abs(six.p - 0.03125) < 1e-15);
  // b = 1, c = 5: 2 · (1 + 6)/64 = 0.21875.
  assert.ok(Math.abs(t(1, 5).p - 0.21875) < 1e-15);
  // b = c: p = 1 (capped); no discordant items: p = 1.
  assert.equal(t(4, 4).p, 1);
  assert.equal(t(0, 0).p, 1);
  // b = 2, c = 20: 2 · (1 + 22 + 231)/2^22.
  assert.ok(Math.abs(t(2, 20).p - (2 * 254) / 2 ** 22) < 1e-15);
});

test('role cells pair the same items; the exclusive-neuron criterion keeps neurons above the bar under exactly one variant', () => {
  const o = (variant: string, index: number, outcome: InstructionOutput['outcome']): InstructionOutput => ({ model: 'm', task: 't', variant, index, lang: 'fr', prompt: '', output: '', answer: null, gold: 'yes', outcome, failure: outcome === 'failure' ? 'invalid' : null, expected: 'fr', detected: 'fr', judgedBy: 'own-label', offTarget: false });
  const outputs = [...Array(8).keys()].flatMap((i) => [o('en', i, i < 7 ? 'correct' : 'wrong'), o('fr', i, i < 1 ? 'correct' : 'failure')]);
  const r = { model: 'm', task: 't', variants: ['en', 'fr'], languages: { en: { instruction: 'en', machineTranslated: false, labels: 'en' }, fr: { instruction: 'fr', machineTranslated: false, labels: 'fr' } }, summaries: [], outputs, neurons: null };
  const cells = roleCells(r);
  assert.equal(cells.get('English|English')!.accuracy, 7 / 8);
  assert.equal(cells.get('target|target')!.accuracy, 1 / 8);
  assert.equal(cells.get('target|target')!.test, null, 'no English-instruction cell with target labels to pair with');
  const crossed = roleCells({ ...r, languages: { ...r.languages, fr: { instruction: 'fr', machineTranslated: false, labels: 'en' } } });
  // Same items, English labels: b = 6 (right under English only), c = 0: p = 2/64.
  const test_ = crossed.get('target|English')!.test!;
  assert.deepEqual({ ...test_, p: Math.round(test_.p * 1e12) / 1e12 }, { b: 6, c: 0, p: 0.03125, pairs: 8, mark: '‡' });
  // Two variants, three neurons of one layer: p by variant; bar 0.5.
  const result = { languages: ['en', 'fr'], nLayers: 1, dMlp: 3, bar: 0.5, activationProbability: Float32Array.from([0.9, 0.6, 0.2, /* fr */ 0.1, 0.7, 0.4]) };
  const ex = exclusiveNeurons({ result } as unknown as NonNullable<InstructionComparison['neurons']>);
  // Neuron 0: en only (0.9 vs 0.1); neuron 1: both above the bar (not exclusive); neuron 2: neither.
  assert.deepEqual(ex.en!.map((x) => [x.layer, x.neuron, Math.round(x.p * 10) / 10, Math.round(x.otherMax * 10) / 10]), [[0, 0, 0.9, 0.1]]);
  assert.deepEqual(ex.fr, []);
});
