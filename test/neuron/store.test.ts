/** The per-neuron top-K store against a full stable sort, with many ties and any arrival order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopExampleStore } from '../../src/engine/neuron/topExamples';
import { mulberry32 } from '../../src/engine/random';

test('TopExampleStore keeps what a stable sort of everything keeps, whatever the arrival order', () => {
  const rnd = mulberry32(7);
  const neurons = 5;
  const k = 4;
  // values from a small set: ties everywhere
  const items = Array.from({ length: 300 }, (_, i) => ({ n: i % neurons, seq: Math.floor(i / 10), pos: i % 10, value: Math.floor(rnd() * 6) / 2 }));
  const shuffled = [...items].sort(() => rnd() - 0.5);
  const refs = new Map<number, number>();
  const store = new TopExampleStore(neurons, k, (seq, d) => refs.set(seq, (refs.get(seq) ?? 0) + d));
  for (const it of shuffled) store.offer(it.n, it.value, it.seq, it.pos);
  for (let n = 0; n < neurons; n++) {
    const want = items
      .filter((x) => x.n === n)
      .sort((a, b) => b.value - a.value || a.seq - b.seq || a.pos - b.pos)
      .slice(0, k)
      .map((x) => ({ value: x.value, seq: x.seq, pos: x.pos }));
    assert.deepEqual(store.entries(n), want, `neuron ${n}`);
  }
  // reference counts equal the kept slots per sequence
  const kept = new Map<number, number>();
  for (let n = 0; n < neurons; n++) for (const e of store.entries(n)) kept.set(e.seq, (kept.get(e.seq) ?? 0) + 1);
  for (const [seq, r] of refs) assert.equal(r, kept.get(seq) ?? 0, `refs of ${seq}`);
});

test('TopExampleStore.offer says false once a candidate cannot enter (sorted input stops early)', () => {
  const s = new TopExampleStore(1, 2);
  assert.equal(s.offer(0, 3, 0, 0), true);
  assert.equal(s.offer(0, 2, 0, 1), true);
  assert.equal(s.offer(0, 2, 0, 2), false); // tie with the worst, later in the corpus
  assert.equal(s.offer(0, 2, 0, 0), true); // tie with the worst, earlier in the corpus
  assert.deepEqual(s.entries(0), [{ value: 3, seq: 0, pos: 0 }, { value: 2, seq: 0, pos: 0 }]);
});
