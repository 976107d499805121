// Magnitude pruning on the shipped default model against test/pruning/magnitude_reference.py
// (plain PyTorch, written from locuslab/wanda prune_magnitude's semantics): ONE threshold per
// weight matrix by default, rows unevenly sparse; the reference's own ≤-threshold rule under
// referenceCompatible; per-row ranking only when asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { createVariant } from '../../src/engine/pruning';
import { maskMatrixMagnitude } from '../../src/engine/pruning/select';

const DEFAULT_MODEL = join(__dirname, '..', '..', 'models', 'default');
const sha = (m: Uint8Array): string => createHash('sha256').update(m).digest('hex');

interface Expected {
  sparsity: number;
  weights: Record<string, { shape: number[]; exactZeroed: number; exactSha256: string; referenceZeroed: number; referenceSha256: string; rowZeroedMin: number; rowZeroedMax: number }>;
}

test('default model: magnitude masks equal one threshold per matrix (and the reference rule under referenceCompatible)', async () => {
  const want = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'pruning', 'default-magnitude-0.5.json'), 'utf8')) as Expected;
  const model = LoadedModel.load(DEFAULT_MODEL, { threads: 1 });
  const dflt = await createVariant(model, 'mag', { method: 'magnitude', sparsity: want.sparsity });
  const ref = await createVariant(model, 'mag-ref', { method: 'magnitude', sparsity: want.sparsity, referenceCompatible: true });
  const row = await createVariant(model, 'mag-row', { method: 'magnitude', sparsity: want.sparsity, magnitudeScope: 'row' });
  assert.equal(dflt.info.magnitudeScope, 'matrix');
  assert.equal(ref.info.referenceCompatible, true);
  assert.deepEqual(Object.keys(want.weights).sort(), [...dflt.keys()].sort());
  for (const [name, w] of Object.entries(want.weights)) {
    const m = dflt.get(name)!;
    assert.equal(sha(m), w.exactSha256, `${name}: per-matrix mask`);
    assert.equal(sha(ref.get(name)!), w.referenceSha256, `${name}: reference rule`);
    assert.equal(dflt.info.linears.find((l) => l.weight === name)!.zeroed, w.exactZeroed);
    assert.ok(w.rowZeroedMax > w.rowZeroedMin, `${name}: rows are unevenly sparse under one threshold`);
    // per-row: every row exactly ⌊d_in · s⌋
    const [rows, cols] = w.shape as [number, number];
    const rm = row.get(name)!;
    for (let r = 0; r < rows; r++) assert.equal(rm.subarray(r * cols, (r + 1) * cols).reduce((n, v) => n + 1 - v, 0), Math.floor(cols * want.sparsity));
  }
  await model.dispose();
});

test('per-matrix threshold: ties by flat index; the reference rule zeroes one more and every tie', () => {
  const w = Float32Array.from([3, -1, 2, 1, 5, -1, 0.5, 4]); // |W| sorted: .5 1 1 2 3 4 5 → k = ⌊8·0.25⌋ = 2
  assert.deepEqual([...maskMatrixMagnitude(w, 0.25)], [1, 0, 1, 1, 1, 1, 0, 1]); // 0.5 and the first 1
  assert.deepEqual([...maskMatrixMagnitude(w, 0.25, true)], [1, 0, 1, 0, 1, 0, 0, 1]); // |W| ≤ sorted[2] = 1: four
  assert.deepEqual([...maskMatrixMagnitude(w, 0.1)], [1, 1, 1, 1, 1, 1, 1, 1]); // ⌊0.8⌋ = 0
});
