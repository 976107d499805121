/**
 * Results as folders the editor and CLI share (issue #26 item 8), called as the engine process
 * calls them: lape/save writes the last language neurons as a LAPE folder, lape/open gives them back
 * to a fresh engine (the Neuron panel's language profile), neuron/index builds the index hovers read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { UserError } from '../../src/engine/errors';
import { defaultModelDir } from '../../src/engine/paths';

const state = (): EngineState => ({ threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} });

test('lape/save then lape/open in a fresh engine: the same neurons, and the Neuron report\'s language profile', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pl-lapefolder-'));
  const o = {};
  try {
    const a = state();
    const dir = defaultModelDir();
    await HANDLERS['engine/load'](a, { dir }, o);
    await assert.rejects(HANDLERS['lape/save'](a, { outDir: join(tmp, 'none') }, o), (e: Error) => e instanceof UserError && /run Find Language Neurons first/.test(e.message));
    const found = await HANDLERS['lape/run'](a, { corpus: 'udhr:en,fr', maxTokensPerLang: 400 }, o);
    const out = join(tmp, 'en-fr');
    const saved = await HANDLERS['lape/save'](a, { outDir: out }, o);
    assert.deepEqual(saved, { outDir: out, languages: ['en', 'fr'], corpus: 'udhr:en,fr' });
    for (const f of ['lape.json', 'neuron-stats.safetensors', 'neurons.csv']) assert.ok(existsSync(join(out, f)), f);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'lape.json'), 'utf8')).neurons, { en: found.neurons[0], fr: found.neurons[1] });
    // Never over an existing folder without overwrite, never into the model folder.
    await assert.rejects(HANDLERS['lape/save'](a, { outDir: out }, o), (e: Error) => e instanceof UserError && /already exists/.test(e.message));
    await assert.rejects(HANDLERS['lape/save'](a, { outDir: join(dir, 'lape') }, o), (e: Error) => e instanceof UserError);
    assert.ok(!existsSync(join(dir, 'lape')));
    assert.equal((await HANDLERS['lape/save'](a, { outDir: out, overwrite: true }, o)).outDir, out, 'an earlier output of ours is replaced');

    // A fresh engine: no language profile until the folder is opened.
    const b = state();
    await HANDLERS['engine/load'](b, { dir }, o);
    const layer = found.neurons[0].findIndex((js) => js.length > 0);
    const index = found.neurons[0][layer]![0]!;
    const ask = () => HANDLERS['neuron/report'](b, { text: 'All human beings are born free.', layer, index }, o);
    assert.equal((await ask()).languages, null);
    const opened = await HANDLERS['lape/open'](b, { dir: out }, o);
    assert.deepEqual(opened.neurons, found.neurons);
    assert.deepEqual(Array.from(opened.activationProbability), Array.from(found.activationProbability));
    const r = await ask();
    assert.ok(r.languages?.selectedFor.includes('en'), JSON.stringify(r.languages));
    // Saved again from the opened folder: the same lape.json.
    const again = await HANDLERS['lape/save'](b, { outDir: join(tmp, 'again') }, o);
    assert.equal(readFileSync(join(again.outDir, 'lape.json'), 'utf8'), readFileSync(join(out, 'lape.json'), 'utf8'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('neuron/index builds the index folder the Neuron report reads, reuses it while nothing changed, refuses a foreign folder', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pl-index-'));
  const o = {};
  try {
    const s = state();
    await HANDLERS['engine/load'](s, { dir: defaultModelDir() }, o);
    const outDir = join(tmp, 'idx');
    const built = await HANDLERS['neuron/index'](s, { corpus: 'udhr:en,fr', outDir, top: 3, maxTokensPerLang: 200 }, o);
    assert.equal(built.reused, false);
    assert.ok(built.sequences > 0 && built.tokens >= 200, JSON.stringify(built));
    const r = await HANDLERS['neuron/report'](s, { text: 'All human beings.', layer: 2, index: 100, indexDir: outDir }, o);
    assert.equal(r.indexState.state, 'ok');
    assert.equal(r.examples?.length, 3);
    assert.ok(r.examples!.every((e, i, xs) => i === 0 || xs[i - 1]!.value >= e.value), 'strongest first');
    assert.deepEqual(await HANDLERS['neuron/index'](s, { corpus: 'udhr:en,fr', outDir, top: 3, maxTokensPerLang: 200 }, o), { ...built, reused: true });
    await assert.rejects(HANDLERS['neuron/index'](s, { corpus: 'udhr:en,fr', outDir: tmp, top: 3 }, o), (e: Error) => e instanceof UserError && /not a neuron index folder/.test(e.message));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
