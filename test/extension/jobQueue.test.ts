/** Queued jobs say what they wait for (issue #26 item 11). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue } from '../../src/extension/jobQueue';

test('the oldest job runs, later ones wait for it; the next one runs when it ends', () => {
  const q = new JobQueue();
  const a = q.add('Map translation features (French→English)');
  const b = q.add('Analyze hello.prompt');
  const c = q.add('Analyze hello.prompt');
  assert.deepEqual(q.list().map((j) => [j.title, j.state, j.waitingFor]), [
    ['Map translation features (French→English)', 'running', undefined],
    ['Analyze hello.prompt', 'waiting', 'Map translation features (French→English)'],
    ['Analyze hello.prompt', 'waiting', 'Map translation features (French→English)'],
  ]);
  assert.equal(q.waitingFor(b), 'Map translation features (French→English)');
  assert.equal(q.waitingFor(a), undefined);
  q.remove(b); // cancelled while waiting
  q.remove(a);
  assert.equal(q.running, 'Analyze hello.prompt');
  assert.equal(q.waitingFor(c), undefined);
  q.remove(c);
  assert.deepEqual(q.list(), []);
});
