// Quadrant overlap maps and large-magnitude features on the shipped default model, against the
// hidden-state reference test/lape/overlap_reference.py (plain PyTorch, written from the semantics
// of hwichan0720/pruning_for_multilinguality hidden_states_analysis.py + overlap_analysis.py) at
// k = 0.3: 6 settings (3 mono, 3 mt), 7 hidden states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { runFeatures } from '../../src/engine/features/features';
import { OVERLAP_CASE } from './overlapCase';

const DEFAULT_MODEL = join(__dirname, '..', '..', 'models', 'default');

test('default model: hidden-state overlap maps at k = 0.3 and large-magnitude dims equal the reference', async () => {
  const want = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'features', 'default-overlap-hidden.json'), 'utf8')) as {
    k: number; n: number; settings: string[]; hiddenStates: number; values: number[][][]; largeMagnitude: Record<string, number[][]>;
  };
  const model = LoadedModel.load(DEFAULT_MODEL, { threads: 1 });
  const run = await runFeatures(model, OVERLAP_CASE.requests, { ...OVERLAP_CASE.options, overlapK: OVERLAP_CASE.k });
  const o = run.analysis.overlap!;
  assert.equal(o.source, 'hidden_states');
  assert.equal(o.k, 0.3);
  assert.deepEqual(o.settings.map((s) => s.id), want.settings);
  assert.deepEqual(o.layers, Array.from({ length: want.hiddenStates }, (_, i) => i));
  assert.deepEqual(o.kinds, ['hidden']);
  const S = want.settings.length;
  for (let i = 0; i < want.hiddenStates; i++) {
    const got = Array.from({ length: S }, (_, a) => Array.from({ length: S }, (_, b) => Math.round(o.values[(i * S + a) * S + b]! * want.n / 100)));
    const exp = want.values[i]!.map((row) => row.map((v) => Math.round((v * want.n) / 100)));
    assert.deepEqual(got, exp, `hidden state ${i} (shared features out of ${want.n})`);
  }
  // the map is not trivially empty: off-diagonal cells hold real overlaps
  assert.ok(Math.max(...want.values.flat(2)) > 10);
  for (const id of want.settings) {
    const lm = run.largeMagnitudeBySetting[id]!;
    assert.equal(lm.nLayers, want.hiddenStates);
    for (let i = 0; i < want.hiddenStates; i++) assert.deepEqual([...lm.dims.subarray(i * 20, (i + 1) * 20)], want.largeMagnitude[id]![i], `${id} hidden ${i}`);
  }
  await model.dispose();
});
