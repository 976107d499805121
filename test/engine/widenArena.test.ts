/**
 * Block-by-block runs carve a segment's lent buffers from one WebAssembly memory (an arena) and the
 * next segment starts again at its beginning (model/weights.ts WidenBuffers), so a cold process
 * touches new memory for its largest segment only: a 7B model's embedding, a block and the head
 * each took memory of their own before, 1.8 GB touched where 0.8 GB now is (docs/performance.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { f32Arena, simdWidener } from '../../src/engine/checkpoint/widenSimd';
import { widenToF32 } from '../../src/engine/checkpoint/safetensors';
import { largestSegmentValues, openWeights, weightEntries, WidenBuffers } from '../../src/engine/model/weights';
import { openCheckpoint, TensorLookup } from '../../src/engine/checkpoint/checkpoint';
import { LoadedModel } from '../../src/engine/model/model';
import { writeTinyModel } from '../helpers/tiny-model';
import { writeTinyGpt } from '../helpers/tiny-gpt';

/** BF16 bits of value i: finite, distinct per view (seed). */
const bf16 = (n: number, seed: number): Uint16Array => Uint16Array.from({ length: n }, (_, i) => 0x3c00 + ((i * 7 + seed * 131) % 0x1f00));

test('views of one arena widen with SIMD at their own offsets and leave their neighbours intact', () => {
  const arena = f32Arena(4096, 256);
  assert.ok(arena, 'this runtime makes arenas (WebAssembly SIMD)');
  const spans = [[0, 1003], [1008, 16], [1024, 3001], [4032, 64]] as const;
  const views = spans.map(([at, n]) => arena.view(at, n));
  views.forEach((v, i) => {
    assert.ok(simdWidener(v), `view ${i} has a SIMD widener`);
    assert.equal(v.buffer, views[0]!.buffer, 'one memory');
    widenToF32('BF16', new Uint8Array(bf16(v.length, i).buffer), v);
  });
  views.forEach((v, i) => {
    const want = bf16(v.length, i);
    const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
    for (let j = 0; j < v.length; j++) if (bits[j] !== want[j]! << 16) assert.fail(`view ${i} value ${j}: 0x${bits[j]!.toString(16)}`);
  });
  assert.throws(() => arena.view(8, 4), /do not fit|16/, 'an offset off the 16-value grid');
  assert.throws(() => arena.view(4080, 32), /do not fit/);
});

test('a lease takes a segment\'s buffers from one arena; the next segment and the next run reuse it from its start', () => {
  const buffers = new WidenBuffers(1000);
  const lease = buffers.lease();
  const a = lease.take(300);
  const b = lease.take(300);
  const c = lease.take(100);
  assert.equal(a.buffer, b.buffer);
  assert.equal(b.buffer, c.buffer);
  assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [0, 4 * 304, 4 * 608], 'one after another, 16-value aligned');
  const big = lease.take(400);
  assert.notEqual(big.buffer, a.buffer, 'what does not fit comes from the pool');
  lease.release();
  // The next segment (another shape): the same memory from its start.
  const head = lease.take(900);
  assert.equal(head.buffer, a.buffer);
  assert.equal(head.byteOffset, 0);
  // A second lease held at the same time gets an arena of its own.
  const other = buffers.lease();
  const otherMemory = other.take(10).buffer;
  assert.notEqual(otherMemory, a.buffer);
  lease.release();
  other.release();
  const again = buffers.lease().take(900);
  assert.ok([a.buffer, otherMemory].includes(again.buffer), 'a released arena is reused');
});

test('largestSegmentValues: the largest block, or the weights outside the blocks but one of the embedding and the head, as aligned', () => {
  const llama = writeTinyModel({ nLayers: 2, dModel: 32, dMlp: 48, vocab: 300, maxPositions: 32, seed: 3 });
  const gpts = (['gpt2', 'bloom', 'xglm'] as const).map((family) => writeTinyGpt({ family, seed: 4 }).dir);
  for (const dir of [llama.dir, ...gpts]) {
    const m = LoadedModel.load(dir, { threads: 1, weights: 'resident' });
    const size = (s: { shape: number[] }): number => Math.ceil(s.shape.reduce((x, y) => x * y, 1) / 16) * 16;
    const perLayer = Array.from({ length: m.cfg.nLayers }, (_, i) => m.specs.filter((s) => new RegExp(`(^|\\.)${i}\\.`).test(s.name)).reduce((n, s) => n + size(s), 0));
    const outside = m.specs.filter((s) => !/(^|\.)\d+\./.test(s.name));
    assert.ok(perLayer.every((n) => n > 0) && outside.some((s) => s.name === 'lm_head.weight'), dir);
    // The head runs in a segment of its own: the embedding's segment (with positions, norms) is the larger.
    const embeddingSegment = outside.filter((s) => s.name !== 'lm_head.weight').reduce((n, s) => n + size(s), 0);
    assert.equal(largestSegmentValues(m.specs), Math.max(embeddingSegment, ...perLayer), dir);
    void m.dispose();
  }
});

test('a mapped model widens every segment into one arena: the same bits as resident, one memory for all shapes', async () => {
  const tiny = writeTinyModel({ dtype: 'BF16', nLayers: 2, dModel: 32, dMlp: 48, vocab: 300, maxPositions: 32, seed: 5 });
  const m = LoadedModel.load(tiny.dir, { threads: 1, weights: 'resident' });
  const sources = weightEntries(m.specs, new TensorLookup(openCheckpoint(tiny.dir)));
  const resident = new Map([...sources.keys()].map((n) => [n, Float32Array.from(m.weights.get(n)!)]));
  const buffers = new WidenBuffers(largestSegmentValues(m.specs));
  await m.dispose();
  const store = openWeights('mapped', sources, 0, () => {});
  const lease = buffers.lease();
  const memories = new Set<ArrayBufferLike>();
  // Segment by segment, as model.ts runs them: the embedding, each block, the head.
  const segments = [[...sources.keys()].filter((n) => !/\.\d+\./.test(n) && /embed/.test(n)), ...[0, 1].map((i) => [...sources.keys()].filter((n) => n.includes(`.${i}.`))), [...sources.keys()].filter((n) => !/\.\d+\./.test(n) && !/embed/.test(n))];
  for (const names of segments) {
    assert.ok(names.length > 0);
    for (const n of names) {
      const w = store.widen(n, lease)!;
      memories.add(w.buffer);
      assert.deepEqual(w, resident.get(n), n);
    }
    lease.release();
  }
  assert.equal(memories.size, 1, 'every segment widened into the same memory');
});
