import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OverlapMaps } from '../../src/shared/features';
import { activationCellCard, overlapCellCard } from '../../webview/render/hover';
import { recurringDims } from '../../webview/render/largeMag';
import { overlapMatrix, overlapQuadrant, quadrantMeans } from '../../webview/render/overlap';

/** Settings given mt-first on purpose: the renderer must put monolingual first. values[a][b] = 10a + b. */
function maps(): OverlapMaps {
  const settings = [{ id: 'fr-en', label: 'fr→en', kind: 'mt' as const }, { id: 'fr', label: 'French', kind: 'mono' as const }, { id: 'en', label: 'English', kind: 'mono' as const }];
  const values = new Float32Array(2 * 9);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) { values[a * 3 + b] = 10 * a + b; values[9 + a * 3 + b] = 100; }
  return { source: 'linear_inputs', settings, layers: [0, 5], kinds: ['q'], k: 0.3, values };
}

test('overlap matrix: monolingual first, values follow their settings', () => {
  const m = overlapMatrix(maps(), 0, 0);
  assert.deepEqual(m.settings.map((s) => s.id), ['fr', 'en', 'fr-en']);
  assert.equal(m.split, 2);
  // new order [1, 2, 0]: row fr = old row 1 → [11, 12, 10].
  assert.deepEqual([...m.values], [11, 12, 10, 21, 22, 20, 1, 2, 0]);
  assert.equal(overlapQuadrant(m, 0, 2), 'mono×mt');
  assert.equal(overlapQuadrant(m, 2, 1), 'mt×mono');
  // mono×mono off-diagonal: 12, 21 → 16.5; mono×mt: 10, 20 → 15; mt×mono: 1, 2 → 1.5; mt×mt: only the diagonal → NaN.
  const q = quadrantMeans(m);
  assert.deepEqual(q.slice(0, 3), [16.5, 15, 1.5]);
  assert.ok(Number.isNaN(q[3]!));
  assert.equal(overlapMatrix(maps(), 1, 0).values[4], 100, 'second layer slice');
  assert.deepEqual(overlapCellCard('French', 'fr→en', 12.34, 'mono×mt', 0.3).rows[0], ['overlap', '12.3%']);
});

test('recurring large-magnitude dims', () => {
  const m = { nLayers: 3, dModel: 8, top: 2, dims: new Int32Array([4, 1, 4, 2, 4, 1]), norms: new Float32Array(6) };
  assert.deepEqual(recurringDims(m, 2), [{ dim: 4, layers: 3 }, { dim: 1, layers: 2 }]);
});

test('activation cell card with and without a language profile', () => {
  const profiles = { languages: ['en', 'fr'], neurons: { 'L2.N9': { p: [0.25, 0.75], lape: 0.5, specificTo: ['fr'] } } };
  const c = activationCellCard({ token: ' le', pos: 4, layer: 2, neuron: 9, value: 1.234, profiles });
  assert.equal(c.title, 'L2.N9');
  assert.deepEqual(c.rows, [['token', '4: ·le'], ['activation', '1.23'], ['LAPE', '0.5'], ['specific to', 'fr']]);
  assert.deepEqual(c.bars.map((b) => [b.label, b.fraction, b.strong]), [['en', 0.25, false], ['fr', 0.75, true]]);
  const none = activationCellCard({ token: 'x', pos: 0, layer: 1, neuron: -1, value: NaN });
  assert.deepEqual([none.title, none.rows[1], none.bars.length], ['layer 1', ['activation', 'not in top-k'], 0]);
});
