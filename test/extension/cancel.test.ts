/** Cancel at any moment (issue 12, bug 2): the host rejects at once, even while the job waits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untilAborted } from '../../src/extension/cancel';
import { CancelledError } from '../../src/engine/errors';

test('a job that has not started (waits on a promise that never settles) rejects as soon as Cancel is pressed', async () => {
  const ac = new AbortController();
  const queued = new Promise<number>(() => undefined); // e.g. waiting behind another job in the engine
  const p = untilAborted(queued, ac.signal);
  setTimeout(() => ac.abort(), 10);
  // The work never settles, so the rejection can only come from Cancel (no timing needed).
  await assert.rejects(p, CancelledError);
});

test('already cancelled: rejects without waiting; the late failure of the work is swallowed', async () => {
  const ac = new AbortController();
  ac.abort();
  let rejectWork!: (e: Error) => void;
  const work = new Promise<number>((_, r) => { rejectWork = r; });
  await assert.rejects(untilAborted(work, ac.signal), CancelledError);
  rejectWork(new Error('late')); // must not become an unhandled rejection
  await new Promise((r) => setTimeout(r, 10));
});

test('not cancelled: the work\'s value or error passes through', async () => {
  const ac = new AbortController();
  assert.equal(await untilAborted(Promise.resolve(7), ac.signal), 7);
  await assert.rejects(untilAborted(Promise.reject(new Error('boom')), ac.signal), /boom/);
});
