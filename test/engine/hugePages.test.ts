/**
 * A cold 7B process pays mostly for touching the memory of the blocks it keeps (model/weights.ts):
 * kept arrays are malloc's (huge pages where glibc is asked for them), and the engine process is
 * forked with that request (worker/processEnv.ts). A kept array in a WebAssembly memory, or an
 * engine process without the tunable, paid 10-19 ns a value again (docs/performance.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWeights, weightEntries, WidenBuffers } from '../../src/engine/model/weights';
import { openCheckpoint, TensorLookup } from '../../src/engine/checkpoint/checkpoint';
import { LoadedModel } from '../../src/engine/model/model';
import { EngineClient } from '../../src/engine/worker/client';
import { engineProcessEnv } from '../../src/engine/worker/processEnv';
import { writeTinyModel } from '../helpers/tiny-model';

const tiny = writeTinyModel({ dtype: 'BF16', nLayers: 2, dModel: 32, dMlp: 48, maxPositions: 32, seed: 5 });

test('engineProcessEnv adds glibc.malloc.hugetlb=1 on Linux, keeps the user\'s tunables and their own choice of it', () => {
  assert.equal(engineProcessEnv({ PATH: '/bin' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1');
  assert.equal(engineProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  assert.equal(engineProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.hugetlb=0');
  assert.equal(engineProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=2:glibc.malloc.arena_max=2' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.hugetlb=2:glibc.malloc.arena_max=2');
  assert.equal(engineProcessEnv({ PATH: '/bin' }, 'darwin').GLIBC_TUNABLES, undefined);
  assert.equal(engineProcessEnv({ PATH: '/bin' }, 'linux').PATH, '/bin');
});

test('a kept weight owns exactly its values (plain memory, not a WebAssembly memory with room to spare); a lent buffer is never kept', async () => {
  const m = LoadedModel.load(tiny.dir, { threads: 1, weights: 'resident' });
  const sources = weightEntries(m.specs, new TensorLookup(openCheckpoint(tiny.dir)));
  const names = [...sources.keys()];
  const resident = new Map(names.map((n) => [n, Float32Array.from(m.weights.get(n)!)]));
  await m.dispose();
  for (const mode of ['mapped', 'streaming'] as const) {
    const store = openWeights(mode, sources, 1e9, () => {});
    const buffers = new WidenBuffers();
    const seen: Float32Array[][] = [];
    for (let run = 0; run < 2; run++) {
      const lease = buffers.lease();
      seen.push(names.map((n) => store.widen(n, lease)!));
      lease.release();
      store.endRun();
    }
    assert.ok(store.retainedBytes > 0, `${mode}: something kept`);
    names.forEach((n, i) => {
      const kept = seen[1]![i]!;
      assert.ok(!(kept.buffer instanceof SharedArrayBuffer));
      assert.equal(kept.buffer.byteLength, kept.byteLength, `${mode}: ${n} kept in memory of its own`);
      assert.notEqual(kept.buffer, seen[0]![i]!.buffer, `${mode}: ${n} is not the first run's lent buffer`);
      assert.deepEqual(kept, resident.get(n), `${mode}: ${n} keeps the resident values`);
    });
  }
});

test('the engine process the host forks runs with glibc.malloc.hugetlb=1 (Linux)', { skip: process.platform !== 'linux' && 'GLIBC_TUNABLES is read by glibc on Linux only' }, async () => {
  const children = (): number[] =>
    readdirSync(`/proc/${process.pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  const before = new Set(children());
  const client = new EngineClient({ workerPath: join(__dirname, '..', '..', 'dist', 'engine-worker.js'), threads: 1, log: () => {} });
  try {
    await client.loadModel(tiny.dir);
    const fresh = children().filter((p) => !before.has(p));
    assert.equal(fresh.length, 1, 'one engine process');
    const env = readFileSync(`/proc/${fresh[0]}/environ`, 'utf8').split('\0');
    assert.ok(env.some((e) => e.startsWith('GLIBC_TUNABLES=') && e.split('=').slice(1).join('=').split(':').includes('glibc.malloc.hugetlb=1')), `engine env: ${env.filter((e) => e.startsWith('GLIBC')).join(' ') || 'no GLIBC_TUNABLES'}`);
  } finally {
    await client.dispose();
  }
});
