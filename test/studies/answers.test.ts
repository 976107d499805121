/** Reading answers (methods.md §6) on hand-made outputs: labels, failures, refusals, and the per-variant rates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeAnswer, readAnswer } from '../../src/engine/studies/answers';
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
