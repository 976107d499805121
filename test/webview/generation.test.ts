/** Empty output in words (issue #26 item 6): one function for the panel, Generate's notification, Compare and the report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyOutputNote, languageVerdict, outputLine } from '../../src/shared/generation';
import type { CompareSide } from '../../src/shared/compare';

test('emptyOutputNote says why there is nothing to read', () => {
  assert.equal(emptyOutputNote({ ids: [], text: '' }), 'no continuation (maxNewTokens = 0)');
  assert.equal(emptyOutputNote({ ids: [2], text: '', stoppedBy: 'eos' }), 'the model ended at once (EOS)');
  assert.equal(emptyOutputNote({ ids: [13, 2], text: '\n', stoppedBy: 'eos' }), 'the model wrote only whitespace ("\\n") in 1 token, then ended (EOS)');
  assert.equal(emptyOutputNote({ ids: [13, 13, 13], text: '\n\n\n', stoppedBy: 'max-new-tokens' }), 'the model wrote only whitespace ("\\n\\n\\n") in 3 tokens');
  assert.equal(emptyOutputNote({ ids: [5], text: ' Hallo', stoppedBy: 'max-new-tokens' }), undefined);
});

test('outputLine: the text (cut at 120 characters), or the note', () => {
  assert.equal(outputLine({ ids: [2], text: '', stoppedBy: 'eos' }), 'the model ended at once (EOS)');
  assert.equal(outputLine({ ids: [1], text: 'x'.repeat(130) }), `${'x'.repeat(119)}…`);
});

const side = (label: string, text: string, ids: number[] | undefined, code = 'und', name = 'undetermined'): CompareSide =>
  ({ label, text, ids, stoppedBy: ids && ids.length === 1 && text === '' ? 'eos' : 'max-new-tokens', language: { code, name, confidence: 0 }, topNext: [] });

test('languageVerdict names the side that wrote nothing instead of calling both "undetermined"', () => {
  assert.equal(languageVerdict(side('dense', '', [2]), side('wanda', '', [2])), 'Both sides: the model ended at once (EOS).');
  assert.equal(languageVerdict(side('dense', '', [2]), side('wanda', ' Der Hund schläft im Garten.', [5, 6], 'de', 'German')), 'dense: the model ended at once (EOS); wanda wrote German.');
  assert.equal(languageVerdict(side('dense', ' Oui', [7]), side('wanda', ' Non', [8])), 'Both outputs are too short to tell their language (under 10 characters).');
  assert.equal(languageVerdict(side('dense', ' a', [7], 'en', 'English'), side('wanda', ' b', [8], 'fr', 'French')), 'Output language changed: English → French.');
});
