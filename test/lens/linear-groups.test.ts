/**
 * The linear lens fitted in groups of layers, one pass over the corpus per group (lens/linear.ts
 * fitGroups), so a model whose normal equations do not fit in memory at once (7B: 8.8 GiB for
 * all 32 layers) is still fitted: on the default model the maps, biases, R² and ranks of every grouping
 * equal the all-at-once fit's bit for bit; the groups follow the memory budget; a budget below one
 * layer is a one-line error naming what one layer needs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { openCorpus } from '../../src/engine/corpus/open';
import { fitBytesPerLayer, fitGroups, fitLinearLens, fitRunBytes } from '../../src/engine/lens/linear';
import { UserError } from '../../src/engine/errors';

const ROOT = join(__dirname, '..', '..');
const DEV = join(ROOT, 'examples', 'eval', 'toyworld', 'dev.jsonl');

test('a fit in groups of layers (one pass over the corpus each) equals the all-at-once fit, bit for bit', async () => {
  const m = LoadedModel.load(join(ROOT, 'models', 'default'), { threads: 1 });
  const o = { languages: ['en', 'fr', 'ja', 'zh'] };
  const all = await fitLinearLens(m, openCorpus(DEV), o);
  assert.equal(all.passes, 1);
  assert.equal(all.maps.length, m.cfg.nLayers);
  for (const layersPerPass of [1, 4]) {
    const grouped = await fitLinearLens(m, openCorpus(DEV), { ...o, layersPerPass });
    assert.equal(grouped.passes, Math.ceil(m.cfg.nLayers / layersPerPass));
    assert.equal(grouped.positions, all.positions);
    assert.deepEqual(grouped.ranks, all.ranks);
    assert.deepEqual(grouped.r2, all.r2);
    assert.deepEqual(grouped.maps, all.maps, `maps with ${layersPerPass} layer(s) per pass`);
    assert.deepEqual(grouped.biases, all.biases);
  }
  await assert.rejects(fitLinearLens(m, openCorpus(DEV), { ...o, layersPerPass: 0 }), /--layers-per-pass: must be an integer ≥ 1/);
  await m.dispose();
});

test('the layers per pass follow the memory budget: all at once when they fit, else as many as fit', () => {
  const D = 4096;
  const per = fitBytesPerLayer(D);
  const run = fitRunBytes(D);
  // 7B-shaped: X̃ᵀX̃ and X̃ᵀY in F64 and the layer's 512 chunk rows (0.26 GiB), and one layer's graph run on top (0.53 GiB).
  assert.equal(per, 4097 * 8193 * 8 + 512 * 4097 * 4);
  assert.equal(run, 2 * 4097 * 8193 * 8 + 2 * 512 * 4097 * 8);
  assert.deepEqual(fitGroups(32, D, 32 * per + run), [Array.from({ length: 32 }, (_, i) => i)]);
  assert.deepEqual(fitGroups(6, D, 2.5 * per + run), [[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(fitGroups(5, D, 2 * per + run), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(fitGroups(3, D, 100 * per, 1), [[0], [1], [2]]);
  assert.throws(() => fitGroups(32, D, (per + run) / 2), (e: unknown) => e instanceof UserError && /one layer of d_model 4096 need 0\.79 GiB; 0\.39 GiB are available/.test(e.message));
});
