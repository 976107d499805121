/**
 * The engine process as the extension uses it: requests, progress, cancellation (also of a queued
 * job), crash recovery, and requests that name their model. Runs on the shipped default model
 * (models/default) and a tiny random model written here, so it never skips; the expected values
 * come from the same engine run in this process (no process boundary), so what is tested is
 * that the process adds nothing and loses nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EngineClient, EngineCrashedError } from '../../src/engine/worker/client';
import { CancelledError, UserError } from '../../src/engine/errors';
import { LoadedModel } from '../../src/engine/model/model';
import { greedyGenerate } from '../../src/engine/generate';
import { writeTinyModel } from '../helpers/tiny-model';

const root = join(__dirname, '..', '..');
const workerPath = join(root, 'dist', 'engine-worker.js');
const DEFAULT = join(root, 'models', 'default');
const TEXT = 'All human beings are born free';

async function inProcess(dir: string, maxNewTokens: number) {
  const m = LoadedModel.load(dir, { threads: 1 });
  try {
    const ids = m.tokenizer.encode(TEXT);
    const g = await greedyGenerate(m, ids, { maxNewTokens });
    return { ids, generated: g.generatedIds, text: g.text };
  } finally {
    await m.dispose();
  }
}

test('engine process on models/default: load, generate with progress, analyze, crash recovery, cancel', async () => {
  const expected = await inProcess(DEFAULT, 8);
  const logs: string[] = [];
  const crashes: string[] = [];
  const client = new EngineClient({ workerPath, threads: 1, log: (l) => logs.push(l), onCrash: (r) => crashes.push(r) });
  try {
    const info = await client.loadModel(undefined); // undefined = the embedded default model
    assert.equal(info.nLayers, 6);
    assert.equal(info.dMlp, 704);
    const ids = (await client.tokenize(TEXT)).ids;
    assert.deepEqual(ids, expected.ids);
    const fractions: number[] = [];
    const g = await client.generate({ ids, maxNewTokens: 8 }, { onProgress: (p) => fractions.push(p.fraction) });
    assert.deepEqual(g.generatedIds, expected.generated);
    assert.equal(g.text, expected.text);
    assert.equal(fractions.at(-1), 1);

    const a = await client.analyze({ text: TEXT, topK: 3 });
    assert.equal(a.tokens.length, ids.length);
    assert.ok(a.topIndex instanceof Int32Array, 'typed arrays cross the process boundary intact');
    assert.equal(a.topIndex.length, ids.length * 6 * 3);

    await assert.rejects(client.generate({ ids: [1, 99999], maxNewTokens: 1 }), (e: Error) => e instanceof UserError && /outside the vocabulary/.test(e.message));

    // A crash mid-job rejects the pending call and the next call starts a fresh process with the model reloaded.
    // Killed at its first progress report, so the job is mid-run whatever the machine's load.
    const pending = client.generate({ ids, maxNewTokens: 200 }, { onProgress: () => client.kill() });
    await assert.rejects(pending, EngineCrashedError);
    assert.equal(crashes.length, 1);
    const again = await client.generate({ ids, maxNewTokens: 3 });
    assert.deepEqual(again.generatedIds, expected.generated.slice(0, 3));

    const ac = new AbortController();
    const cancelled = client.generate({ ids, maxNewTokens: 250 }, { signal: ac.signal, onProgress: () => ac.abort() });
    await assert.rejects(cancelled, CancelledError);
  } finally {
    client.dispose();
  }
});

test('Cancel of a queued job rejects at once and the engine never runs it (issue 12, bug 2)', async () => {
  const logs: string[] = [];
  const client = new EngineClient({ workerPath, threads: 1, log: (l) => logs.push(l) });
  try {
    await client.loadModel(undefined);
    const ids = (await client.tokenize(TEXT)).ids;
    // Order, not time: the queued job must be rejected while the job ahead is still running.
    const settled: string[] = [];
    const running = client.generate({ ids, maxNewTokens: 120 });
    void running.then(() => settled.push('running'), () => settled.push('running'));
    const ac = new AbortController();
    const queued = client.analyze({ text: TEXT, topK: 2 }, { signal: ac.signal });
    let queuedSettled = false;
    queued.catch(() => undefined).finally(() => { queuedSettled = true; settled.push('queued'); });
    ac.abort();
    await assert.rejects(queued, CancelledError);
    await Promise.resolve();
    assert.deepEqual(settled, ['queued'], 'rejected at once, not when the running job finished');
    const g = await running; // the job ahead is not disturbed
    assert.equal(g.generatedIds.length > 0, true);
    assert.equal(queuedSettled, true);
    await client.tokenize('x'); // everything queued before this has been handled
    assert.equal(logs.filter((l) => /^analyzed /.test(l)).length, 0, `the cancelled analyze ran anyway: ${logs.join(' | ')}`);
    assert.equal(client.pendingCount, 0);
  } finally {
    client.dispose();
  }
});

test('every request names its model: interleaved jobs each run on the model they asked for (issue 12, bug 3)', async () => {
  const tiny = writeTinyModel({ nLayers: 2, seed: 3 });
  const client = new EngineClient({ workerPath, threads: 1, log: () => undefined });
  try {
    const onDefault = client.forModel(undefined);
    const onTiny = client.forModel(tiny.dir);
    // Job A loads the default model, then job B loads the tiny one before A's analysis is sent:
    // with one global model, A would analyze on the tiny model.
    await onDefault.loadModel(undefined);
    await onTiny.loadModel(tiny.dir);
    const [a, b, a2] = await Promise.all([
      onDefault.analyze({ text: TEXT, topK: 2 }),
      onTiny.analyze({ text: TEXT, topK: 2 }),
      onDefault.analyze({ text: TEXT, topK: 2 }),
    ]);
    assert.equal(a.model.dir, DEFAULT);
    assert.equal(a.nLayers, 6);
    assert.equal(b.model.dir, tiny.dir);
    assert.equal(b.nLayers, 2);
    assert.equal(a2.model.dir, DEFAULT);
    assert.deepEqual([...a2.topIndex], [...a.topIndex], 'the same request on the same model gives the same answer');
  } finally {
    client.dispose();
  }
});
