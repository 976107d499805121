/**
 * A variant costs its masks, not the calibration's sessions (issue #26 item 13): sequential Wanda
 * calibrates each block with a plan of its own, and each plan's onnxruntime session kept an arena
 * (~100 MB on the default model) in the session cache after pruning; two variants took the engine
 * from 174 to 990 MB. The calibration sessions are released once their statistics are read.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { pruneFromSources } from '../../src/engine/pruning/fromSources';
import { analyzeActivations } from '../../src/engine/analyze';

const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
after(() => model.dispose());
const sessions = (): number => (model as unknown as { sessions: Map<string, unknown> }).sessions.size;

test('sequential Wanda leaves no calibration session behind; the variant holds 1 byte per masked weight', async () => {
  await analyzeActivations(model, { text: 'All human beings', topK: 2, maxNewTokens: 0 });
  const before = sessions();
  const v = await pruneFromSources(model, 'w50', { method: 'wanda', sparsity: 0.5, mode: 'sequential', calibration: 'mono:en', calibrationSequences: 2, calibrationLength: 32, calibrationShots: 1 });
  assert.equal(sessions(), before, 'sessions after pruning (6 block plans were kept before)');
  const maskBytes = [...v.values()].reduce((n, m) => n + m.byteLength, 0);
  const weights = v.info.linears.reduce((n, l) => n + l.total, 0);
  assert.equal(maskBytes, weights);
  await pruneFromSources(model, 'm30', { method: 'wanda', sparsity: 0.3, mode: 'oneshot', calibration: 'mono:fr', calibrationSequences: 2, calibrationLength: 32, calibrationShots: 1 });
  assert.equal(sessions(), before, 'one-shot too');
});
