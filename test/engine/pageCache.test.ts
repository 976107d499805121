/**
 * Mapped mode drops the stored bytes of the weights it keeps from the OS page cache
 * (checkpoint/pageCache.ts, model/weights.ts): every kept tensor's byte range exactly once, in
 * contiguous runs, nothing that is not kept (those are read again on every run), nothing in the
 * modes that do not read through the page cache. The numbers stay the resident ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheRelease, dropFromPageCache } from '../../src/engine/checkpoint/pageCache';
import { openWeights, weightEntries, WidenBuffers } from '../../src/engine/model/weights';
import { LoadedModel } from '../../src/engine/model/model';
import { openCheckpoint, TensorLookup } from '../../src/engine/checkpoint/checkpoint';
import { join } from 'node:path';
import { writeTinyModel } from '../helpers/tiny-model';
import { analyzeActivations } from '../../src/engine/analyze';

const tiny = writeTinyModel({ dtype: 'BF16', nLayers: 3, dModel: 32, dMlp: 48, maxPositions: 64, seed: 3 });

test('CacheRelease drops each file\'s ranges sorted and joined, splits at gaps and other files, flushes at its size cap', () => {
  const calls: [string, number, number][] = [];
  const r = new CacheRelease((f, o, n) => calls.push([f, o, n]), 100);
  // A block's tensors in the adapter's order (q, k, v, o) while the file stores them alphabetically
  // (k, o, q, v): one call once sorted, not four.
  r.add('a', 30, 10); // q
  r.add('a', 0, 10); // k
  r.add('a', 40, 10); // v
  r.add('a', 10, 20); // o
  r.add('a', 60, 5); // after a gap
  r.add('b', 45, 5); // another file
  r.add('a', 50, 0); // empty: nothing
  r.flush();
  r.flush(); // nothing left
  r.add('b', 50, 60);
  r.add('b', 0, 50); // reaches the cap: dropped at once, joined
  r.add('b', 200, 1);
  r.flush();
  assert.deepEqual(calls, [['a', 0, 50], ['a', 60, 5], ['b', 45, 5], ['b', 0, 110], ['b', 200, 1]]);
});

test('dropFromPageCache never throws: an empty range, a missing file, a path dd cannot take', () => {
  assert.doesNotThrow(() => dropFromPageCache('/nonexistent/model.safetensors', 0, 4096));
  assert.doesNotThrow(() => dropFromPageCache(join(tiny.dir, 'model.safetensors'), 0, 0));
  assert.doesNotThrow(() => dropFromPageCache('bad\0path', 0, 4096));
});

test('mapped mode drops exactly the kept tensors\' stored bytes, once each; streaming and resident drop nothing', async () => {
  const m = LoadedModel.load(tiny.dir, { threads: 1, weights: 'resident' });
  const sources = weightEntries(m.specs, new TensorLookup(openCheckpoint(tiny.dir)));
  const names = [...sources.keys()];
  await m.dispose();
  const storedBytes = [...sources.values()].reduce((n, w) => n + w.entry.byteLength, 0);
  for (const mode of ['mapped', 'streaming', 'resident'] as const) {
    for (const budget of [0, Math.floor(storedBytes), 4 * storedBytes]) {
      const what = `${mode}, budget ${budget}`;
      const dropped: [string, number, number][] = [];
      const store = openWeights(mode, sources, budget, (f, o, n) => dropped.push([f, o, n]));
      const buffers = new WidenBuffers();
      for (let run = 0; run < 3; run++) {
        const lease = buffers.lease();
        for (const n of names) store.widen(n, lease);
        lease.release();
        store.endRun();
      }
      const bytes = new Map<number, number>();
      for (const [f, o, n] of dropped) {
        assert.equal(f, join(tiny.dir, 'model.safetensors'), what);
        for (let b = o; b < o + n; b++) bytes.set(b, (bytes.get(b) ?? 0) + 1);
      }
      if (mode !== 'mapped' || budget === 0) {
        assert.equal(dropped.length, 0, `${what}: nothing dropped`);
        continue;
      }
      // Every byte of a kept tensor dropped once; no byte of a tensor not kept.
      let kept = 0;
      for (const w of new Set(sources.values())) {
        const counts = Array.from({ length: w.entry.byteLength }, (_, i) => bytes.get(w.entry.offset + i) ?? 0);
        const all = counts.every((c) => c === 1);
        const none = counts.every((c) => c === 0);
        assert.ok(all || none, `${what}: ${w.entry.name} dropped in part or twice`);
        if (all) kept += w.entry.byteLength * 2; // BF16 → F32
      }
      assert.equal(kept, store.retainedBytes, `${what}: the dropped tensors are the kept ones`);
      assert.ok(kept > 0, what);
      if (budget >= 4 * storedBytes) assert.equal(bytes.size, storedBytes, `${what}: all kept, all dropped`);
    }
  }
});

test('a mapped model that drops what it keeps gives the resident numbers', async () => {
  const text = 'Tous les êtres humains';
  const base = LoadedModel.load(tiny.dir, { threads: 1, weights: 'resident' });
  const ref = await analyzeActivations(base, { text, maxNewTokens: 4 });
  await base.dispose();
  const m = LoadedModel.load(tiny.dir, { threads: 1, weights: 'mapped', retainBytes: 1e9 });
  for (let r = 0; r < 3; r++) assert.deepEqual(await analyzeActivations(m, { text, maxNewTokens: 4 }), ref, `run ${r}`);
  assert.ok(m.weights.retainedBytes > 0);
  await m.dispose();
});
