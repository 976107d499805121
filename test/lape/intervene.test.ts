// Deactivation compare data (Compare panel / `intervene`), language ID, lape.json reading, and the
// `neurons` CLI folder contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { greedyGenerate } from '../../src/engine/generate';
import { compareDeactivation } from '../../src/engine/intervene/compare';
import { detectLanguage } from '../../src/engine/intervene/langid';
import { languageMask, readLapeFolder, readLapeJson } from '../../src/engine/lape/files';
import { languageProfiles } from '../../src/engine/lape/profiles';
import { main } from '../../src/cli/main';
import { cli } from '../helpers/cli';
import { sharedModel, smallCorpusFile, tempDir, tempFile } from './helpers';

const stories = sharedModel('stories260K');

test('language ID: franc-min codes mapped to ISO 639-1, short text undetermined', async () => {
  const fr = await detectLanguage('Tous les êtres humains naissent libres et égaux en dignité et en droits.');
  assert.equal(fr.code, 'fr');
  assert.equal(fr.name, 'French');
  assert.ok(fr.confidence > 0 && fr.confidence <= 1);
  assert.equal((await detectLanguage('All human beings are born free and equal in dignity and rights.')).code, 'en');
  assert.deepEqual(await detectLanguage('  short  '), { code: 'und', name: 'undetermined', confidence: 0 });
});

test('compare: dense side equals plain greedy generation; deactivating a layer changes only that layer onwards', { skip: !stories && 'needs stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const prompt = 'Once upon a time';
  const all = Array.from({ length: model.cfg.dMlp }, (_, j) => j);
  const mask = { 2: all, 3: all }; // every neuron of layers 2 and 3
  const r = await compareDeactivation(model, prompt, mask, { maxNewTokens: 12, label: '−L2' });
  const plain = await greedyGenerate(model, model.tokenizer.encode(prompt), { maxNewTokens: 12 });
  assert.equal(r.a.text, plain.text);
  assert.equal(r.b.label, '−L2');
  assert.notEqual(r.b.text, r.a.text);
  assert.equal(r.a.language.code, 'en');
  assert.equal(r.layerChange.length, model.cfg.nLayers);
  assert.equal(r.layerChange[0], 0);
  assert.equal(r.layerChange[1], 0);
  assert.ok(Math.abs(r.layerChange[2]! - 1) < 1e-6); // hook_post of layer 2 is all zeros: ‖0 − a‖/‖a‖ = 1
  assert.ok(Math.abs(r.layerChange[3]! - 1) < 1e-6);
  assert.ok(r.layerChange[4]! > 0);
  assert.equal(r.a.topNext.length, 5);
  assert.ok(r.a.topNext[0]!.p >= r.a.topNext[1]!.p && r.a.topNext[0]!.p <= 1);
  await assert.rejects(compareDeactivation(model, prompt, { 9: [0] }), /layer 9 does not exist/);
  await model.dispose();
});

test('lape.json: masks are the union of languages; bad files and unknown languages are clear errors', () => {
  const f = tempFile('lape.json', JSON.stringify({ languages: ['fr', 'de'], neurons: { fr: [[1, 2], [], [5]], de: [[2, 3], [4]] }, bar: 0.5, entropyThreshold: 0.1 }));
  const l = readLapeJson(f);
  assert.deepEqual(languageMask(l, ['fr']), { 0: [1, 2], 2: [5] });
  assert.deepEqual(languageMask(l, ['fr', 'de']), { 0: [1, 2, 3], 1: [4], 2: [5] });
  assert.throws(() => languageMask(l, ['ja']), /--deactivate: language ja has no neurons/);
  assert.throws(() => readLapeJson(tempFile('x.json', '{"languages": 3}')), /x\.json: not a lape\.json/);
  assert.throws(() => readLapeJson('/nonexistent/lape.json'), /nonexistent\/lape\.json: not found \(ENOENT\)/);
});

test('neurons CLI: writes the folder atomically with the documented files, refuses an existing folder', { skip: !stories && 'needs stories260K' }, async () => {
  const parent = tempDir();
  const out = join(parent, 'run');
  const corpus = smallCorpusFile();
  const code = await main(['neurons', '--model', stories!, '--corpus', corpus, '--out', out, '--max-length', '32', '--threads', '1', '--prob-quantile', '0.5', '--entropy-quantile', '0.2']);
  assert.equal(code, 0);
  assert.deepEqual(readdirSync(parent), ['run']); // no temp folder left behind
  assert.deepEqual(readdirSync(out).sort(), ['.polyglot-lens-output.json', 'figures', 'lape.json', 'neuron-stats.safetensors', 'neurons.csv', 'report.html', 'report.json']);
  const json = JSON.parse(readFileSync(join(out, 'lape.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['languages', 'neurons', 'bar', 'entropyThreshold']);
  const back = readLapeFolder(out);
  assert.deepEqual(back.languages, ['en', 'fr', 'de']);
  assert.equal(back.activationProbability.length, 3 * 5 * 172);
  assert.equal(back.lape.length, 5 * 172);
  assert.deepEqual(back.neurons, back.languages.map((l) => (json.neurons as Record<string, number[][]>)[l]));
  assert.ok(back.neurons.flat(2).length > 0);
  assert.equal(back.probQuantile, 0.5);
  const csv = readFileSync(join(out, 'neurons.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'layer,neuron,p_en,p_fr,p_de,lape,languages');
  assert.equal(csv.length, 1 + 5 * 172);
  // every selected neuron is listed in the CSV with its languages
  const layer = back.neurons[0]!.findIndex((x) => x.length > 0);
  assert.ok(layer >= 0, 'some English neuron is selected at these quantiles');
  const j = back.neurons[0]![layer]![0]!;
  assert.match(csv[1 + layer * 172 + j]!, new RegExp(`^${layer},${j},.*,en( |$)`));
  // an existing folder is refused and left untouched
  mkdirSync(join(parent, 'exists'));
  assert.equal(await main(['neurons', '--model', stories!, '--corpus', corpus, '--out', join(parent, 'exists')]), 1);
  assert.deepEqual(readdirSync(join(parent, 'exists')), []);
  assert.ok(existsSync(out));
});

test('language profiles list each selected neuron once with all its languages', () => {
  const r = {
    model: { name: 'm', nLayers: 2, dMlp: 3 },
    languages: ['fr', 'de'],
    nLayers: 2,
    dMlp: 3,
    neurons: [[[1], [0]], [[1], []]],
    activationProbability: Float32Array.from([0.1, 0.9, 0.2, 0.8, 0.3, 0.4, 0.5, 0.7, 0.6, 0.1, 0.2, 0.3]),
    lape: Float32Array.from([0.5, 0.6, 0.7, 0.1, 0.2, 0.3]),
    bar: 0.65,
    probQuantile: 0.95,
    entropyQuantile: 0.01,
  };
  const p = languageProfiles(r);
  assert.deepEqual(Object.keys(p.neurons).sort(), ['L0.N1', 'L1.N0']);
  assert.deepEqual(p.neurons['L0.N1']!.specificTo, ['fr', 'de']);
  assert.deepEqual(p.neurons['L0.N1']!.p.map((x) => +x.toFixed(3)), [0.9, 0.7]); // (lang·nLayers + layer)·dMlp + j
  assert.ok(Math.abs(p.neurons['L1.N0']!.lape - 0.1) < 1e-7);
});

test('intervene CLI --json prints the compare data with the deactivated neuron count', { skip: !stories && 'needs stories260K' }, async () => {
  const lape = tempFile('lape.json', JSON.stringify({ languages: ['en'], neurons: { en: [[], [], Array.from({ length: 172 }, (_, j) => j)] }, bar: 0.5, entropyThreshold: 0.1 }));
  // Through the real bundled CLI (bin/polyglot-lens): this also checks that esbuild inlines the ESM-only franc-min.
  const r = cli(['intervene', '--model', stories!, '--prompt', 'Once upon a time', '--lape', lape, '--deactivate', 'en', '--max-new-tokens', '8', '--json', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { a: { label: string; text: string; language: { code: string } }; b: { label: string }; layerChange: number[]; deactivated: { neurons: number } };
  assert.equal(out.a.label, 'dense');
  assert.equal(out.b.label, '−en neurons');
  assert.equal(out.deactivated.neurons, 172);
  assert.equal(out.layerChange.length, 5);
  assert.ok(Math.abs(out.layerChange[2]! - 1) < 1e-6);
  const bad = cli(['intervene', '--model', stories!, '--prompt', 'x', '--lape', lape, '--deactivate', 'fr']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), 'polyglot-lens: --deactivate: language fr has no neurons in the LAPE file (it has en)');
});
