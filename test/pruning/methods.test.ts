// magnitude, random, N:M and tie-breaking, plus the input errors of createVariant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { LoadedModel } from '../../src/engine/model/model';
import { createVariant, parseNM } from '../../src/engine/pruning';
import { kthSmallest, maskLinear, rowScratch, rowThreshold } from '../../src/engine/pruning/select';
import { mulberry32, weightStream } from '../../src/engine/pruning/prng';
import { progFactor, wandaFactor } from '../../src/engine/pruning/prune';
import { STORIES, diffCount, refLinears, refMask } from './reference';


const skip = existsSync(STORIES) ? false : 'stories260K not found';

test('ties: equal scores prune the lower input index first (unstructured and N:M)', () => {
  const w = Float32Array.from([1, -1, 1, 2, 1, 3]);
  assert.deepEqual([...maskLinear(w, 1, 6, undefined, { kind: 'unstructured', k: 2 })], [0, 0, 1, 1, 1, 1]);
  assert.deepEqual([...maskLinear(w, 1, 6, undefined, { kind: 'unstructured', k: 4 })], [0, 0, 0, 1, 0, 1]);
  // 2:3 groups [1,-1,1] and [2,1,3]
  assert.deepEqual([...maskLinear(w, 1, 6, undefined, { kind: 'nm', n: 2, m: 3 })], [0, 0, 1, 0, 0, 1]);
  // Wanda factors change the order: scores |w|·f = [0, 3, 1, 2, 1, 3] (0·∞ counts as 0)
  const f = Float64Array.from([Infinity, 3, 1, 1, 1, 1]);
  const w2 = Float32Array.from([0, -1, 1, 2, 1, 3]);
  assert.deepEqual([...maskLinear(w2, 1, 6, f, { kind: 'unstructured', k: 3 })], [0, 1, 0, 1, 0, 1]);
  // All equal: the first k go.
  assert.deepEqual([...maskLinear(new Float32Array(5), 1, 5, undefined, { kind: 'unstructured', k: 3 })], [0, 0, 0, 1, 1]);
});

test('kthSmallest agrees with a sort on random, constant and few-valued rows', () => {
  const rnd = mulberry32(7);
  for (const make of [() => rnd(), () => 1, () => Math.floor(rnd() * 3)]) {
    for (const n of [1, 2, 5, 64, 173]) {
      const a = Float64Array.from({ length: n }, make);
      const sorted = [...a].sort((x, y) => x - y);
      for (const k of [0, n >> 1, n - 1]) assert.equal(kthSmallest(Float64Array.from(a), k), sorted[k]);
    }
  }
});

test('rowThreshold (sampled bracket, rows ≥ 256) and maskLinear on long rows agree with a sort', () => {
  const rnd = mulberry32(9);
  const makers: [string, (j: number) => number][] = [
    ['uniform', () => rnd()],
    ['few values', () => Math.floor(rnd() * 4)],
    ['constant', () => 2],
    ['ascending', (j) => j],
    ['descending', (j) => -j],
    ['heavy tail', () => Math.exp(8 * rnd())],
  ];
  for (const n of [256, 769, 3072]) {
    const s = rowScratch(n);
    for (const [label, make] of makers) {
      const a = Float64Array.from({ length: n }, (_, j) => make(j));
      const sorted = [...a].sort((x, y) => x - y);
      for (const k of [0, 1, n >> 2, n >> 1, n - 2, n - 1]) assert.equal(rowThreshold(a, k, s), sorted[k], `${label} n=${n} k=${k}`);
    }
  }
  // Whole masks with ties (weights on a coarse grid) against the reference's sort by (score, index).
  const rows = 8;
  const cols = 1024;
  const w = Float32Array.from({ length: rows * cols }, () => Math.round((rnd() - 0.5) * 16) / 16);
  const f = Float64Array.from({ length: cols }, () => 1 + Math.floor(rnd() * 3));
  for (const sp of [0.1, 0.5, 0.9]) {
    const k = Math.floor(cols * sp);
    assert.equal(diffCount(maskLinear(w, rows, cols, f, { kind: 'unstructured', k }), refMask(w, rows, cols, [...f], { k })), 0);
  }
});

test('factors: wanda sqrt(s); prog sqrt(s_mt²/s_code) with a code-unseen feature kept first', () => {
  assert.deepEqual([...wandaFactor(Float64Array.from([4, 0, 2.25]))], [2, 0, 1.5]);
  // s_mt = [4, 0, 2, 3], s_code = [4, 0, 0, 9]: [sqrt(16/4), 0/0 → 0, 4/0 → ∞, sqrt(9/9)]
  assert.deepEqual([...progFactor(Float64Array.from([4, 0, 2, 3]), Float64Array.from([4, 0, 0, 9]))], [2, 0, Infinity, 1]);
});

test('mulberry32 matches the C original bit for bit', () => {
  // The first three uint32 draws for state 0 printed by the C original (gcc -O2, uint32_t arithmetic).
  const g = mulberry32(0);
  assert.deepEqual([g(), g(), g()].map((u) => Math.round(u * 4294967296)), [1144304738, 1416247, 958946056]);
});

test('magnitude per row (scope row, unstructured 0.3) and 1:4 equal the reference', { skip }, async () => {
  const model = LoadedModel.load(STORIES, { threads: 1 });
  const v = await createVariant(model, 'm', { method: 'magnitude', sparsity: 0.3, magnitudeScope: 'row' });
  const nm = await createVariant(model, 'nm', { method: 'magnitude', nm: parseNM('1:4') });
  for (const l of refLinears(model)) {
    const w = model.weights.get(l.name)!;
    assert.equal(diffCount(v.get(l.name)!, refMask(w, l.rows, l.cols, undefined, { k: Math.floor(l.cols * 0.3) })), 0, l.name);
    assert.equal(diffCount(nm.get(l.name)!, refMask(w, l.rows, l.cols, undefined, { n: 1, m: 4 })), 0, l.name);
  }
  assert.equal(nm.info.targetSparsity, 0.25);
  assert.equal(nm.info.achievedSparsity, 0.25);
  // 0.3 of 64 inputs → 19 per row, of 172 → 51: achieved sparsity is exactly those counts.
  const q = v.info.linears.find((x) => x.weight === 'model.layers.0.self_attn.q_proj.weight')!;
  assert.equal(q.zeroed, 64 * 19);
  const down = v.info.linears.find((x) => x.weight === 'model.layers.0.mlp.down_proj.weight')!;
  assert.equal(down.zeroed, 64 * 51);
  await model.dispose();
});

test('random: reproducible from the seed, different across seeds, ≈ target per linear', { skip }, async () => {
  const model = LoadedModel.load(STORIES, { threads: 1 });
  const a = await createVariant(model, 'a', { method: 'random', sparsity: 0.4, seed: 11 });
  const b = await createVariant(model, 'b', { method: 'random', sparsity: 0.4, seed: 11 });
  const c = await createVariant(model, 'c', { method: 'random', sparsity: 0.4, seed: 12 });
  for (const l of refLinears(model)) {
    assert.equal(diffCount(a.get(l.name)!, b.get(l.name)!), 0);
    assert.ok(diffCount(a.get(l.name)!, c.get(l.name)!) > 0);
    // Independent draws: the mask is exactly "draw < 0.4" on this weight's own stream.
    const next = weightStream(11, l.name);
    const m = a.get(l.name)!;
    for (let i = 0; i < m.length; i++) assert.equal(m[i], next() < 0.4 ? 0 : 1);
  }
  // Binomial: 64·64 = 4096 draws, sd = sqrt(0.24/4096) ≈ 0.0077; 5 sd is 0.038.
  for (const x of a.info.linears) assert.ok(Math.abs(x.sparsity - 0.4) < 0.04, `${x.weight} ${x.sparsity}`);
  assert.equal(a.info.seed, 11);
  await model.dispose();
});

test('bad inputs are one-line UserErrors naming the setting', { skip }, async () => {
  const model = LoadedModel.load(STORIES, { threads: 1 });
  const cal = { calibration: { source: 'x', sequences: [[1, 2, 3]] } };
  const bad = async (p: Promise<unknown>, re: RegExp): Promise<void> => {
    await assert.rejects(p, (e: Error) => e.name === 'UserError' && re.test(e.message) && !e.message.includes('\n'));
  };
  await bad(createVariant(model, 'x', { method: 'wanda', sparsity: 0 }, cal), /^sparsity: must be a number strictly between 0 and 1/);
  await bad(createVariant(model, 'x', { method: 'wanda', sparsity: 1 }, cal), /^sparsity:/);
  await bad(createVariant(model, 'x', { method: 'magnitude', nm: { n: 2, m: 3 } }), /^nm: M=3 does not divide d_in 64 of model.layers.0.self_attn.q_proj.weight$/);
  await bad(createVariant(model, 'x', { method: 'magnitude', nm: { n: 4, m: 8 } }), /^nm: M=8 does not divide d_in 172 of model.layers.0.mlp.down_proj.weight$/);
  await bad(createVariant(model, 'x', { method: 'magnitude', sparsity: 0.4, nm: { n: 2, m: 4 } }), /^sparsity: 0.4 contradicts N:M 2:4/);
  await bad(createVariant(model, 'x', { method: 'wanda', sparsity: 0.5 }), /^calibration: wanda needs a calibration set/);
  await bad(createVariant(model, 'x', { method: 'prog', sparsity: 0.5 }, { translation: cal.calibration }), /^code-calibration: prog needs/);
  await bad(createVariant(model, 'x', { method: 'wanda', sparsity: 0.5 }, { calibration: { source: 'x', sequences: [[]] } }), /^calibration: the calibration set is empty/);
  await bad(createVariant(model, 'x', { method: 'random', sparsity: 0.5, nm: { n: 2, m: 4 } }), /^nm: random pruning/);
  assert.throws(() => parseNM('2-4'), /^UserError|nm: expected N:M/);
  assert.throws(() => parseNM('4:2'), /1 ≤ N < M/);
  assert.equal(model.variants.size, 0);
  await model.dispose();
});
