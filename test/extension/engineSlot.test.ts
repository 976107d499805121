/** Engine lifecycle (issue 12, bug 7): settings apply to the next job, crash-loop guard, Restart Engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashLoopError, EngineSlot } from '../../src/extension/engineSlot';

class FakeProcess {
  pendingCount = 0;
  disposed = false;
  constructor(readonly n: number) {}
  dispose(): void { this.disposed = true; }
}

function slot(now = () => 0) {
  let n = 0;
  const made: FakeProcess[] = [];
  const s = new EngineSlot(async () => { const p = new FakeProcess(++n); made.push(p); return p; }, { limit: 3, windowMs: 60_000, now });
  return { s, made };
}

test('a settings change never kills a running job: the process is recycled once its jobs are done', async () => {
  const { s } = slot();
  const first = await s.get();
  first.pendingCount = 1; // a job is running
  assert.equal(s.settingsChanged(), 'after-jobs');
  assert.equal(first.disposed, false, 'the running job keeps its process');
  assert.equal(await s.get(), first, 'a job sent while another runs still goes to the same process');
  first.pendingCount = 0;
  const second = await s.get();
  assert.notEqual(second, first, 'the next job starts a process with the new settings');
  assert.equal(first.disposed, true);
  // Idle: recycled at once.
  assert.equal(s.settingsChanged(), 'now');
  assert.equal(second.disposed, true);
});

test('concurrent first jobs share one process', async () => {
  const { s, made } = slot();
  const [a, b] = await Promise.all([s.get(), s.get()]);
  assert.equal(a, b);
  assert.equal(made.length, 1);
});

test('crash-loop guard: 3 crashes within the window stop automatic restarts until Restart Engine', async () => {
  let t = 0;
  const { s } = slot(() => t);
  await s.get();
  assert.equal(s.crashed(), false);
  t = 10_000; await s.get();
  assert.equal(s.crashed(), false);
  // A crash outside the window does not count with the old ones.
  t = 100_000; await s.get();
  assert.equal(s.crashed(), false);
  t = 110_000; await s.get();
  assert.equal(s.crashed(), false);
  t = 120_000; await s.get();
  assert.equal(s.crashed(), true, 'third crash within 60 s');
  await assert.rejects(s.get(), CrashLoopError);
  s.restart();
  const fresh = await s.get();
  assert.equal(fresh.disposed, false);
});

test('a process being created when the slot is dropped (restart, settings, dispose) is disposed, not kept or leaked', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const made: FakeProcess[] = [];
  const s = new EngineSlot(async () => { await gate; const p = new FakeProcess(made.length + 1); made.push(p); return p; });
  const pending = s.get(); // e.g. a warm-up starting the engine as a prompt opens
  s.drop(); // the extension is disposed (or Restart Engine) before the creation finished
  release();
  await assert.rejects(pending, { name: 'EngineDroppedError' });
  assert.equal(made.length, 1);
  assert.equal(made[0]!.disposed, true, 'the orphan is disposed');
  assert.equal(s.current, undefined, 'and not installed as the current process');
  const next = await s.get();
  assert.equal(next.disposed, false, 'the next job gets a fresh process');
  assert.equal(made.length, 2);
});

test('a creation dropped while a newer one is under way is disposed; the newer one becomes the process', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const made: FakeProcess[] = [];
  const s = new EngineSlot(async () => { await gate; const p = new FakeProcess(made.length + 1); made.push(p); return p; });
  const first = s.get();
  s.drop(); // Restart Engine while the first process starts…
  const second = s.get(); // …and a job asks again before it finished
  release();
  await assert.rejects(first, { name: 'EngineDroppedError' });
  const p = await second;
  assert.deepEqual(made.map((m) => m.disposed), [true, false]);
  assert.equal(s.current, p);
  assert.equal(await s.get(), p, 'kept: the next job gets the same process');
});
