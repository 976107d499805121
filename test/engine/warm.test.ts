/**
 * Warm-up (engine/warm, issue 25 "fast at the small end"): a prompt that opens prepares the
 * sessions its Analyze runs. Checked without timing: a warmed analysis is identical to a cold one,
 * the analysis after a warm-up builds no graph the warm-up did not (the graph cache folder gains
 * no file, while another deactivation does add one), and a cancelled warm-up leaves the engine
 * working with nothing pending. (When the editor warms up: test/extension/warmup.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeActivations } from '../../src/engine/analyze';
import { CancelledError } from '../../src/engine/errors';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { warmAnalysis } from '../../src/engine/warm';
import { EngineClient } from '../../src/engine/worker/client';

const workerPath = join(__dirname, '..', '..', 'dist', 'engine-worker.js');
const TEXT = 'All human beings are born free and equal';
const DEACTIVATE = { 0: [3], 1: [42] };

test('a warmed model analyses exactly as a cold one (top-k, values, continuation)', async () => {
  const cold = LoadedModel.load(defaultModelDir(), { threads: 1 });
  const warm = LoadedModel.load(defaultModelDir(), { threads: 1 });
  try {
    const r = await warmAnalysis(warm, DEACTIVATE, undefined);
    assert.ok(r.ms >= 0);
    const req = { text: TEXT, topK: 4, maxNewTokens: 8, deactivate: DEACTIVATE };
    assert.deepEqual(await analyzeActivations(warm, req), await analyzeActivations(cold, req));
  } finally {
    await cold.dispose();
    await warm.dispose();
  }
});

test('engine/warm builds the graphs Analyze runs: the analysis after it builds none, another deactivation does; a variant only when held', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'polyglot-warm-'));
  const graphs = () => readdirSync(cacheDir).filter((f) => /^graph-.*\.onnx$/.test(f)).sort();
  const client = new EngineClient({ workerPath, threads: 1, cacheDir, log: () => undefined });
  try {
    const engine = client.forModel(undefined);
    await engine.loadModel(undefined);
    assert.deepEqual(graphs(), []);
    await engine.warm({ deactivate: DEACTIVATE });
    const warmed = graphs();
    assert.equal(warmed.length, 2, 'the analysis forward and the generation step');
    // The editor's Analyze: the forward, then the continuation (commands/analyze.ts).
    const a = await engine.analyze({ text: TEXT, topK: 4, maxNewTokens: 0, deactivate: DEACTIVATE });
    await engine.generate({ ids: a.tokens.map((t) => t.id), maxNewTokens: 8, deactivate: DEACTIVATE });
    assert.deepEqual(graphs(), warmed, 'no graph built after the warm-up');
    await engine.analyze({ text: TEXT, topK: 4, maxNewTokens: 0, deactivate: { 2: [7] } });
    assert.equal(graphs().length, 3, 'a deactivation the warm-up did not prepare builds its graph');
    // A pruned variant: not made by a warm-up; once held, warmed like the dense model.
    assert.deepEqual(await engine.warm({ variant: 'mag30' }), { ms: 0, warmed: false });
    assert.equal(graphs().length, 3, 'nothing built for a variant the engine does not hold');
    await engine.pruneCreate({ name: 'mag30', settings: { method: 'magnitude', sparsity: 0.3 } });
    assert.equal((await engine.warm({ variant: 'mag30', deactivate: DEACTIVATE })).warmed, true);
    const withVariant = graphs();
    assert.equal(withVariant.length, 5, 'the variant\'s analysis and generation graphs');
    const v = await engine.analyze({ text: TEXT, topK: 4, maxNewTokens: 0, deactivate: DEACTIVATE, variant: 'mag30' });
    await engine.generate({ ids: v.tokens.map((t) => t.id), maxNewTokens: 8, deactivate: DEACTIVATE, variant: 'mag30' });
    assert.deepEqual(graphs(), withVariant, 'no graph built for the variant\'s Analyze after its warm-up');
  } finally {
    client.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a cancelled warm-up rejects as cancelled and the engine goes on', async () => {
  const client = new EngineClient({ workerPath, threads: 1, log: () => undefined });
  try {
    const engine = client.forModel(undefined);
    const controller = new AbortController();
    const warming = engine.warm({ deactivate: DEACTIVATE }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(warming, CancelledError);
    const a = await engine.analyze({ text: TEXT, topK: 2, maxNewTokens: 0 });
    assert.equal(a.tokens.length > 0, true);
    assert.equal(client.pendingCount, 0, 'nothing left pending');
  } finally {
    client.dispose();
  }
});
