/**
 * The Continuation box of the Activations panel and the analyze report: an empty continuation
 * says why — none was asked for, or the model's first token was EOS (it ended at once). It used to
 * say "maxNewTokens = 0" in both cases (the words come from src/shared/generation.ts). Analyze in the
 * editor shows the analysis first and its continuation when generated: the same result.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyzeActivations } from '../../src/engine/analyze';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { emptyOutputNote } from '../../src/shared/generation';
import { greedyGenerate } from '../../src/engine/generate';
import { isHostToWebviewMessage } from '../../src/shared/protocol';

const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
after(() => model.dispose());

test('a prompt the default model ends at once: the note says EOS, not maxNewTokens = 0', async () => {
  // A whole toy-world translation pair: the model's next token is </s>.
  const text = 'French: Le chien blanc voit le nouveau livre.</s>English: The white dog sees the new book.';
  const a = await analyzeActivations(model, { text, topK: 2, maxNewTokens: 8 });
  assert.deepEqual(a.generated, { ids: [model.tokenizer.eosId!], text: '', stoppedBy: 'eos' });
  assert.equal(emptyOutputNote(a.generated), 'the model ended at once (EOS)');
  const none = await analyzeActivations(model, { text, topK: 2, maxNewTokens: 0 });
  assert.equal(emptyOutputNote(none.generated), 'no continuation (maxNewTokens = 0)');
  assert.equal(emptyOutputNote({ ids: [5, 2], text: ' The' }), undefined);
});

test('the editor shows the analysis before its continuation: analysis without it, then generation, equals the one-call analysis', async () => {
  const text = 'All human beings are born free and equal';
  const deactivate = { 0: [3], 1: [42] };
  const whole = await analyzeActivations(model, { text, topK: 4, maxNewTokens: 8, deactivate });
  const first = await analyzeActivations(model, { text, topK: 4, maxNewTokens: 0, deactivate });
  const g = await greedyGenerate(model, first.tokens.map((t) => t.id), { maxNewTokens: 8, deactivate });
  assert.ok(whole.generated.ids.length > 0, 'the prompt has a continuation to compare');
  assert.deepEqual({ ids: g.generatedIds, text: g.text, stoppedBy: g.stoppedBy }, whole.generated);
  assert.deepEqual({ ...first, generated: whole.generated }, whole);
});

test('a continuation still being generated, or stopped, says so instead of "no continuation"', () => {
  assert.equal(emptyOutputNote({ ids: [], text: '', pending: true }), 'generating the continuation…');
  assert.equal(emptyOutputNote({ ids: [], text: '', stopped: true }), 'the continuation was stopped before it finished');
  assert.equal(isHostToWebviewMessage({ type: 'activations/continuation', text: 'x', generated: { ids: [5, 2], text: ' The', stoppedBy: 'eos' } }), true);
  assert.equal(isHostToWebviewMessage({ type: 'activations/continuation', text: 'x', generated: { ids: [], text: '', stopped: true } }), true);
  assert.equal(isHostToWebviewMessage({ type: 'activations/continuation', text: 'x', generated: { ids: ['5'], text: '' } }), false, 'ids are integers');
  assert.equal(isHostToWebviewMessage({ type: 'activations/continuation', text: 'x', generated: { ids: [], text: '', stoppedBy: 'tired' } }), false, 'a known stop reason');
  assert.equal(isHostToWebviewMessage({ type: 'activations/continuation', generated: { ids: [], text: '' } }), false, 'names the analysed prompt');
});
