/**
 * The Continuation box of the Activations panel and the analyze report: an empty continuation
 * says why — none was asked for, or the model's first token was EOS (it ended at once). It used to
 * say "maxNewTokens = 0" in both cases (the words come from src/shared/generation.ts).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyzeActivations } from '../../src/engine/analyze';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { emptyOutputNote } from '../../src/shared/generation';

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
