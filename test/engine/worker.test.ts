/** The engine process as the extension uses it: requests, progress, cancellation, crash recovery. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EngineClient, EngineCrashedError } from '../../src/engine/worker/client';
import { CancelledError, UserError } from '../../src/engine/errors';
import { sharedModel, skipWithoutModel } from '../helpers/shared';

const workerPath = join(__dirname, '..', '..', 'dist', 'engine-worker.js');

test('engine process: load, generate with progress, analyze, crash recovery, cancel', { skip: skipWithoutModel('stories260K') }, async () => {
  const logs: string[] = [];
  const crashes: string[] = [];
  const client = new EngineClient({ workerPath, threads: 1, log: (l) => logs.push(l), onCrash: (r) => crashes.push(r) });
  try {
    const info = await client.loadModel(sharedModel('stories260K'));
    assert.equal(info.nLayers, 5);
    const ids = (await client.tokenize('Once upon a time')).ids;
    assert.deepEqual(ids, [1, 403, 407, 261, 378]);
    const fractions: number[] = [];
    const g = await client.generate({ ids, maxNewTokens: 8 }, { onProgress: (p) => fractions.push(p.fraction) });
    assert.equal(g.text, ', there was a little girl');
    assert.equal(fractions.length, 8);
    assert.equal(fractions.at(-1), 1);

    const a = await client.analyze({ text: 'Once upon a time', topK: 3 });
    assert.equal(a.tokens.length, 5);
    assert.ok(a.topIndex instanceof Int32Array, 'typed arrays cross the process boundary intact');
    assert.equal(a.topIndex.length, 5 * 5 * 3);

    await assert.rejects(client.generate({ ids: [1, 99999], maxNewTokens: 1 }), (e: Error) => e instanceof UserError && /outside the vocabulary/.test(e.message));

    // A crash mid-job rejects the pending call and the next call starts a fresh process with the model reloaded.
    const pending = client.generate({ ids, maxNewTokens: 200 });
    setTimeout(() => client.kill(), 30);
    await assert.rejects(pending, EngineCrashedError);
    assert.equal(crashes.length, 1);
    const again = await client.generate({ ids, maxNewTokens: 3 });
    assert.deepEqual(again.generatedIds, [432, 383, 286]);

    const ac = new AbortController();
    const cancelled = client.generate({ ids, maxNewTokens: 250 }, { signal: ac.signal, onProgress: () => ac.abort() });
    await assert.rejects(cancelled, CancelledError);
  } finally {
    client.dispose();
  }
});
