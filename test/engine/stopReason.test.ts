/** Why greedy generation stopped (issue #26 item 6): the panels say "the model ended at once (EOS)" from it. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { greedyGenerate } from '../../src/engine/generate';
import { emptyOutputNote } from '../../src/shared/generation';

const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
after(() => model.dispose());

test('stoppedBy: eos when the first greedy token is a stop token, max-new-tokens when the budget runs out', async () => {
  // The default model ends this UDHR sentence at once.
  const eos = await greedyGenerate(model, model.encodeInput('All human beings are born free and equal in dignity and rights.', 'p'), { maxNewTokens: 10 });
  assert.deepEqual(eos.generatedIds, model.stopIds().slice(0, 1));
  assert.equal(eos.text, '');
  assert.equal(eos.stoppedBy, 'eos');
  assert.equal(emptyOutputNote({ ids: eos.generatedIds, text: eos.text, stoppedBy: eos.stoppedBy }), 'the model ended at once (EOS)');
  const more = await greedyGenerate(model, model.encodeInput('Hello.', 'p'), { maxNewTokens: 3 });
  assert.equal(more.generatedIds.length, 3);
  assert.equal(more.stoppedBy, 'max-new-tokens');
  const none = await greedyGenerate(model, model.encodeInput('Hello.', 'p'), { maxNewTokens: 0 });
  assert.deepEqual([none.generatedIds, none.stoppedBy], [[], 'max-new-tokens']);
});
