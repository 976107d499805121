/**
 * When the editor warms the engine up for a prompt (src/extension/warmup.ts): once per model and
 * deactivation on one engine process, never a model over the size limit or in place of another
 * loaded model, not retried after a failure, and a superseded or disposed warm-up is aborted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Warmup, warmKey, WARM_MAX_BYTES, type WarmTarget } from '../../src/extension/warmup';

function harness(opts: { bytes?: number | undefined; fail?: boolean; nothing?: boolean } = {}) {
  let loaded: string | undefined | null = null; // null = no model loaded; undefined = the default model
  const calls: { target: WarmTarget; signal: AbortSignal; finish: () => void }[] = [];
  const logs: string[] = [];
  const w = new Warmup({
    loaded: () => ({ any: loaded !== null, is: (dir) => loaded !== null && loaded === dir }),
    modelBytes: () => ('bytes' in opts ? opts.bytes : 21 * 1024 ** 2),
    warm: (target, signal) => new Promise<boolean>((resolve, reject) => {
      const finish = () => (opts.fail ? reject(new Error('bad model folder')) : (loaded = target.modelDir, resolve(!opts.nothing)));
      signal.addEventListener('abort', () => reject(new Error('cancelled')));
      calls.push({ target, signal, finish });
    }),
    log: (l) => logs.push(l),
  });
  return { w, calls, logs, setLoaded: (d: string | undefined | null) => { loaded = d; } };
}

test('a prompt warms its model once per deactivation; the same key again is already warm', async () => {
  const { w, calls } = harness();
  assert.equal(w.request({ modelDir: undefined, deactivate: { 1: [42, 3] } }), 'started');
  assert.equal(w.request({ modelDir: undefined, deactivate: { 1: [3, 42] } }), 'already-warm', 'same mask in another order, while warming');
  calls[0]!.finish();
  await w.running;
  assert.equal(w.request({ modelDir: undefined, deactivate: { 1: [3, 42] } }), 'already-warm');
  assert.equal(w.request({ modelDir: undefined }), 'started', 'another deactivation is another plan');
  assert.equal(calls.length, 2);
  assert.equal(warmKey({ modelDir: 'm', deactivate: { 0: [], 2: [5] } }), warmKey({ modelDir: 'm', deactivate: { 2: [5] } }), 'an empty layer is no deactivation');
});

test('a newer warm-up aborts the one in flight; dispose aborts the last one (nothing is left running)', async () => {
  const { w, calls } = harness();
  w.request({ modelDir: undefined, deactivate: { 0: [1] } });
  w.request({ modelDir: undefined, deactivate: { 0: [2] } });
  assert.equal(calls[0]!.signal.aborted, true, 'superseded');
  assert.equal(calls[1]!.signal.aborted, false);
  w.dispose();
  assert.equal(calls[1]!.signal.aborted, true, 'disposed with the extension');
  await w.running;
  // The aborted keys are not remembered as warm.
  assert.equal(w.request({ modelDir: undefined, deactivate: { 0: [1] } }), 'started');
});

test('never a model over the size limit, an unreadable folder, or in place of another loaded model', () => {
  assert.equal(harness({ bytes: WARM_MAX_BYTES + 1 }).w.request({ modelDir: '/models/llama-7b' }), 'too-large');
  assert.equal(harness({ bytes: undefined }).w.request({ modelDir: '/no/such/model' }), 'unreadable');
  const { w, setLoaded, calls } = harness();
  setLoaded('/models/other');
  assert.equal(w.request({ modelDir: undefined }), 'other-model-loaded', 'switching would unload the other model\'s variants');
  setLoaded(undefined);
  assert.equal(w.request({ modelDir: undefined }), 'started', 'the loaded model itself is warmed');
  assert.equal(calls.length, 1);
});

test('a failed warm-up is logged once and not retried; a fresh engine process warms again', async () => {
  const failing = harness({ fail: true });
  failing.w.request({ modelDir: '/models/broken' });
  failing.calls[0]!.finish();
  await failing.w.running;
  assert.equal(failing.logs.length, 1);
  assert.match(failing.logs[0]!, /bad model folder/);
  assert.equal(failing.w.request({ modelDir: '/models/broken' }), 'failed-before');
  const { w, calls, setLoaded } = harness();
  w.request({ modelDir: undefined });
  calls[0]!.finish();
  await w.running;
  assert.equal(w.request({ modelDir: undefined }), 'already-warm');
  setLoaded(null); // the engine stopped (crash, Restart Engine, settings): it holds no model
  assert.equal(w.request({ modelDir: undefined }), 'started');
});

test('a variant is its own key; one the engine did not hold yet is tried again on the next request', async () => {
  assert.notEqual(warmKey({ modelDir: undefined, variant: 'mag30' }), warmKey({ modelDir: undefined }));
  const { w, calls } = harness({ nothing: true });
  assert.equal(w.request({ modelDir: undefined, variant: 'mag30' }), 'started');
  calls[0]!.finish(); // the engine answered warmed: false (it does not hold mag30)
  await w.running;
  assert.equal(w.request({ modelDir: undefined, variant: 'mag30' }), 'started', 'not remembered as warm');
});
