/**
 * The engine process dispatches only the methods of its table (issue 21, item 14): a request
 * naming an inherited member (`constructor`, `toString`, `__proto__`, `hasOwnProperty`) is refused
 * as an unknown method, and the process keeps serving real requests. Raw protocol messages to
 * the real process, as a buggy or hostile host would send them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';

const workerPath = join(__dirname, '..', '..', 'dist', 'engine-worker.js');

interface Response {
  kind: string;
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string };
}

test('the engine process refuses methods that are not its own (prototype members included) and keeps working', async () => {
  const p = fork(workerPath, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const responses = new Map<number, (r: Response) => void>();
  p.on('message', (m: Response) => {
    if (m.kind === 'response') responses.get(m.id)?.(m);
  });
  let id = 0;
  const request = (method: string, params: unknown): Promise<Response> =>
    new Promise((resolve) => {
      responses.set(++id, resolve);
      p.send({ kind: 'request', id, method, params });
    });
  try {
    p.send({ kind: 'init', threads: 1, cacheDir: '', executionProvider: 'cpu', weights: 'auto' });
    for (const method of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'engine/nope']) {
      const r = await request(method, {});
      assert.equal(r.ok, false, `${method} answered ${JSON.stringify(r.result)}`);
      assert.deepEqual(r.error, { name: 'UserError', message: `engine: unknown method ${JSON.stringify(method)}` });
    }
    const loaded = await request('engine/load', {});
    assert.equal(loaded.ok, true, JSON.stringify(loaded.error));
    assert.equal((loaded.result as { nLayers: number }).nLayers, 6, 'the process still serves requests');
  } finally {
    p.kill();
  }
});
