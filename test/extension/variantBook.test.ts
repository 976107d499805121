/** The editor's list of variants per model (issue #26 item 2): what a prompt sees, what the engine holds, what survives a reload. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VariantBook } from '../../src/extension/variantBook';
import type { VariantRecord } from '../../src/extension/variantBook';

const rec = (name: string): VariantRecord => ({
  summary: { name, kind: 'pruned', method: 'wanda', achievedSparsity: 0.5, calibration: { calibration: 'mono:de' }, createdAt: '2025-01-01T00:00:00Z' },
  settings: { method: 'wanda', sparsity: 0.5, calibration: 'mono:de' },
  origin: 'palette',
});

test('variants are listed and activated per model; another model sees none of them', () => {
  const b = new VariantBook();
  b.engineLoaded('/m/default');
  b.record('/m/default', rec('w50'));
  b.setActive('/m/default', 'w50');
  assert.deepEqual(b.list('/m/default').map((r) => r.summary.name), ['w50']);
  assert.equal(b.active('/m/default'), 'w50');
  assert.deepEqual(b.list('/m/other'), []);
  assert.equal(b.active('/m/other'), undefined);
  assert.throws(() => b.setActive('/m/other', 'w50'), /no variant w50 of \/m\/other/);
});

test('the engine loading another model unloads the variants (listed still), a restart too', () => {
  const b = new VariantBook();
  b.engineLoaded('/m/default');
  b.record('/m/default', rec('w50'));
  assert.equal(b.inEngine('/m/default', 'w50'), true);
  assert.deepEqual(b.engineLoaded('/m/other'), ['w50']);
  assert.equal(b.inEngine('/m/default', 'w50'), false);
  assert.deepEqual(b.list('/m/default').map((r) => r.summary.name), ['w50'], 'still listed: a run re-creates it');
  assert.deepEqual(b.engineLoaded('/m/default'), []);
  b.record('/m/default', rec('w50'));
  b.engineStopped();
  assert.equal(b.inEngine('/m/default', 'w50'), false);
});

test('saved and read back (workspaceState): records and the active variant, nothing in the engine', () => {
  const b = new VariantBook();
  b.record('/m/default', rec('w50'));
  b.record('/m/default', rec('w20'));
  b.setActive('/m/default', 'w20');
  const back = VariantBook.fromJson(JSON.parse(JSON.stringify(b.toJson())));
  assert.deepEqual(back.list('/m/default').map((r) => r.summary.name), ['w50', 'w20']);
  assert.equal(back.active('/m/default'), 'w20');
  assert.equal(back.inEngine('/m/default', 'w20'), false);
  back.forget('/m/default', 'w20');
  assert.equal(back.active('/m/default'), undefined);
  assert.equal(VariantBook.fromJson(undefined).list('/m/default').length, 0);
});
