import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LapeResult } from '../../src/shared/lape';
import { lapeNeuronCard } from '../../webview/render/hover';
import { countsPerLayer, filterNeurons, neuronTable, sharedMatrix } from '../../webview/render/lapeStats';

/** 3 languages × 2 layers × 4 neurons. L0.N1 is shared by en and fr. */
function tiny(): LapeResult {
  const p = new Float32Array(3 * 2 * 4).fill(0.1);
  const set = (lang: number, layer: number, n: number, v: number): void => { p[(lang * 2 + layer) * 4 + n] = v; };
  set(0, 0, 1, 0.9); set(1, 0, 1, 0.8); set(2, 1, 3, 0.95); set(0, 1, 2, 0.7);
  return {
    model: { name: 'tiny', nLayers: 2, dMlp: 4 }, languages: ['en', 'fr', 'ja'], nLayers: 2, dMlp: 4,
    neurons: [[[1], [2]], [[1], []], [[], [3]]],
    activationProbability: p, lape: new Float32Array([0.9, 0.6, 0.9, 0.9, 0.9, 0.9, 0.3, 0.2]),
    bar: 0.5, probQuantile: 0.95, entropyQuantile: 0.01, topTokens: { 'L1.N3': ['は', 'の'] },
  };
}

test('counts per layer and the shared-neuron matrix', () => {
  assert.deepEqual(countsPerLayer(tiny()), [[1, 1], [1, 0], [0, 1]]);
  assert.deepEqual(sharedMatrix(tiny()), [[2, 1, 0], [1, 1, 0], [0, 0, 1]]);
});

test('neuron table merges languages, sorts by LAPE ascending, filters', () => {
  const rows = neuronTable(tiny());
  assert.deepEqual(rows.map((r) => [r.layer, r.neuron, r.languages.join('+'), Math.round(r.lape * 10) / 10, r.maxLang]),
    [[1, 3, 'ja', 0.2, 'ja'], [1, 2, 'en', 0.3, 'en'], [0, 1, 'en+fr', 0.6, 'en']]);
  assert.deepEqual(filterNeurons(rows, { language: 'fr', layer: null }).map((r) => r.neuron), [1]);
  assert.deepEqual(filterNeurons(rows, { language: null, layer: 1 }).map((r) => r.neuron), [3, 2]);
  assert.deepEqual(filterNeurons(rows, { language: 'ja', layer: 0 }), []);
});

test('LAPE hover card: per-language bars, strong above the bar, top tokens', () => {
  const c = lapeNeuronCard(tiny(), 1, 3);
  assert.equal(c.title, 'L1.N3');
  assert.deepEqual(c.rows[1], ['specific to', 'ja']);
  assert.deepEqual(c.bars.map((b) => [b.label, b.text, b.strong]), [['en', '10.0%', false], ['fr', '10.0%', false], ['ja', '95.0%', true]]);
  assert.deepEqual(c.notes, ['top tokens: は  の']);
});
