/**
 * neuron/report as the engine process answers hovers: per-token values from the analysis's own
 * forward (no second run), equal to a capture; language profile after lape/run; examples from an
 * index built for this model, refused (with the reason) for another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { captureHooks } from '../../src/engine/capture';
import { cli, ROOT } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');

test('neuron/report reads the analysed forward, equals a capture, adds LAPE profile and index examples', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'pl-report-'));
  const o = {};
  try {
    await HANDLERS['engine/load'](s, { dir: DEFAULT_MODEL }, o);
    const text = 'Guten Morgen, wie geht es dir?';
    await HANDLERS['engine/analyze'](s, { text, topK: 4 }, o);
    const runs: number[] = [];
    const model = s.model!;
    const realRun = model.run.bind(model);
    model.run = (...args) => (runs.push(1), realRun(...args));

    const r = await HANDLERS['neuron/report'](s, { text, layer: 2, index: 300 }, o);
    assert.equal(r.cached, true);
    assert.equal(runs.length, 0, 'a hover after the analysis must not run the model');
    const ids = model.tokenizer.encode(text);
    const cap = (await captureHooks(model, { ids, hooks: ['blocks.2.mlp.hook_post'] }))['blocks.2.mlp.hook_post']!;
    assert.deepEqual(Array.from(r.activations), ids.map((_, p) => cap.data[p * 704 + 300]!));
    assert.deepEqual(r.tokens.map((t) => t.id), ids);
    assert.equal(r.languages, null);
    assert.deepEqual(r.indexState, { state: 'none' });

    // Another prompt: one forward, then kept.
    runs.length = 0;
    assert.equal((await HANDLERS['neuron/report'](s, { text: 'Hola', layer: 0, index: 1 }, o)).cached, false);
    assert.equal(runs.length, 1);
    assert.equal((await HANDLERS['neuron/report'](s, { text: 'Hola', layer: 5, index: 703 }, o)).cached, true);
    assert.equal(runs.length, 1);
    // A deactivated run is another forward: the neuron reads 0 there.
    const off = await HANDLERS['neuron/report'](s, { text: 'Hola', layer: 5, index: 703, deactivate: { 5: [703] } }, o);
    assert.equal(off.cached, false);
    assert.ok(Array.from(off.activations).every((v) => v === 0));
    assert.equal(off.deactivated, true);
    assert.equal(r.deactivated, false);

    await HANDLERS['lape/run'](s, { corpus: 'udhr:de,en', maxTokensPerLang: 400 }, o);
    const withLape = await HANDLERS['neuron/report'](s, { text, layer: 2, index: 300 }, o);
    assert.deepEqual(withLape.languages?.languages, ['de', 'en']);

    const corpus = join(dir, 'c.tsv');
    writeFileSync(corpus, 'de\tGuten Morgen.\nen\tGood morning.\nde\tDanke schön.\n');
    const idx = join(dir, 'idx');
    const built = cli(['neurons', 'index', '--corpus', corpus, '--top', '3', '--out', idx]);
    assert.equal(built.code, 0, built.stderr);
    const withIdx = await HANDLERS['neuron/report'](s, { text, layer: 2, index: 300, indexDir: idx }, o);
    assert.deepEqual(withIdx.indexState, { state: 'ok', corpus, top: 3 });
    assert.equal(withIdx.examples?.length, 3);

    // An index of another model is not used, and says why.
    const tiny = writeTinyModel({ seed: 2 }, join(dir, 'tiny'));
    const other = join(dir, 'idx-tiny');
    assert.equal(cli(['neurons', 'index', '--model', tiny.dir, '--corpus', corpus, '--top', '2', '--out', other]).code, 0);
    const stale = await HANDLERS['neuron/report'](s, { text, layer: 0, index: 0, indexDir: other }, o);
    assert.equal(stale.examples, null);
    assert.equal(stale.indexState.state, 'stale');

    await assert.rejects(HANDLERS['neuron/report'](s, { text, layer: 6, index: 0 }, o), /L6\.N0: no such neuron in default \(6 layers × 704 neurons\)/);
  } finally {
    await s.model?.dispose();
    rmSync(dir, { recursive: true, force: true });
    rmSync(s.cacheDir, { recursive: true, force: true });
  }
});
