/**
 * The shard contract, through the real CLI (bin/polyglot-lens) on the embedded default model:
 * N shard processes then `merge` write the same folder as one run — neurons byte for byte
 * (counts are exact), features within float rounding, Wanda one-shot statistics giving the same
 * pruned checkpoint — and merge refuses every set it should, with one line naming the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliOk, cliRefused, cliShards, cliStopped } from '../helpers/cli';
import { tempDir } from '../lape/helpers';
import { writeTinyModel } from '../helpers/tiny-model';
import { readLapeFolder } from '../../src/engine/lape/files';
import { readSafetensorsHeader, readTensorF32, readTensorF64, writeSafetensors } from '../../src/engine/checkpoint/safetensors';

// Small batches (--batch-tokens 96) so each language is several batches and the shards split it.
const NEURONS = ['neurons', '--corpus', 'udhr:en,fr,de', '--max-tokens-per-lang', '400', '--max-length', '48', '--batch-tokens', '96'];
const FEATURES = ['features', '--calibration', 'fr=mono:fr', '--calibration', 'fr-en=mt:fr-en', '--calibration', 'en=mono:en', '--sequences', '7', '--length', '48'];
const WANDA = ['prune', '--method', 'wanda', '--mode', 'oneshot', '--calibration', 'mt:fr-en', '--calibration-sequences', '7', '--calibration-length', '48'];

const ok = cliOk;
const shards = cliShards;
const refused = cliRefused;

const bytes = (f: string): Buffer => readFileSync(f);

let neuronParts: string[] = [];
let neuronDir = '';

test('neurons: 3 shard processes then merge write byte-identical lape.json, neuron-stats.safetensors and neurons.csv', () => {
  neuronDir = tempDir();
  ok([...NEURONS, '--out', join(neuronDir, 'one')]);
  neuronParts = shards(neuronDir, NEURONS, 3);
  // Listing order does not matter: merge sums in shard order.
  const s = ok(['merge', neuronParts[2]!, neuronParts[0]!, neuronParts[1]!, '--out', join(neuronDir, 'merged')]) as { scalars: Record<string, number> };
  assert.deepEqual(s.scalars, { 'tokens/en': 400, 'tokens/fr': 400, 'tokens/de': 400 });
  for (const f of ['lape.json', 'neuron-stats.safetensors', 'neurons.csv']) assert.ok(bytes(join(neuronDir, 'one', f)).equals(bytes(join(neuronDir, 'merged', f))), f);
  // The shards really split the work: each counted a part of every language's tokens.
  const tokens = neuronParts.map((p) => (JSON.parse(readFileSync(join(p, 'partial.json'), 'utf8')) as { scalars: Record<string, number> }).scalars['tokens/fr']!);
  assert.equal(tokens.reduce((a, b) => a + b, 0), 400);
  assert.ok(tokens.every((t) => t > 0 && t < 400), String(tokens));
});

test('neurons at the default batch size: the merge equals one run byte for byte (shards split batches, not texts)', () => {
  // Failed when shards split texts and re-batched them: one activation within rounding of 0 fell
  // on the other side in a differently shaped batch, and one count of 12,672 differed.
  const dir = tempDir();
  const base = ['neurons', '--corpus', 'udhr:en,fr,de', '--max-tokens-per-lang', '400', '--max-length', '48'];
  ok([...base, '--out', join(dir, 'one')]);
  ok(['merge', ...shards(dir, base, 3), '--out', join(dir, 'merged')]);
  for (const f of ['lape.json', 'neuron-stats.safetensors', 'neurons.csv']) assert.ok(bytes(join(dir, 'one', f)).equals(bytes(join(dir, 'merged', f))), f);
});

test('neurons: more shards than texts still merge to the same result (empty shards are allowed, the total is checked)', () => {
  const dir = tempDir();
  const base = ['neurons', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '60', '--max-length', '16', '--batch-tokens', '32'];
  ok([...base, '--out', join(dir, 'one')]);
  const parts = shards(dir, base, 6);
  ok(['merge', ...parts, '--out', join(dir, 'merged')]);
  assert.ok(bytes(join(dir, 'one', 'neuron-stats.safetensors')).equals(bytes(join(dir, 'merged', 'neuron-stats.safetensors'))));
  assert.ok(bytes(join(dir, 'one', 'lape.json')).equals(bytes(join(dir, 'merged', 'lape.json'))));
});

test('merge refuses a gap, a duplicate, other models, corpora and settings, a changed file and an interrupted shard; writes nothing', () => {
  assert.ok(neuronParts.length === 3, 'runs after the first test');
  const [p0, p1, p2] = neuronParts as [string, string, string];
  const out = join(neuronDir, 'refused');
  refused(['merge', p0, p2, '--out', out], /^polyglot-lens: merge: incomplete set: shard 1\/3 missing \(got 2 of 3\)$/);
  refused([...NEURONS, '--shard', '3/3', '--out', out], /^polyglot-lens: --shard: expected i\/N with 0 ≤ i < N, got 3\/3$/);
  refused([...NEURONS, '--shard', 'first', '--out', out], /--shard: expected i\/N with 0 ≤ i < N \(e\.g\. 0\/4\), got "first"/);
  refused(['merge', p0, p1, p1, p2, '--out', out], /p1: shard 1\/3 is given twice/);

  const tiny = writeTinyModel({ maxPositions: 64 });
  const other = tempDir();
  const tinyParts = shards(other, [...NEURONS, '--model', tiny.dir], 3);
  refused(['merge', p0, tinyParts[1]!, p2, '--out', out], /computed with a different model than .*p0/);

  const corpusDir = tempDir();
  const corpusParts = shards(corpusDir, ['neurons', '--corpus', 'udhr:en,fr,de', '--max-tokens-per-lang', '400', '--max-length', '40'], 3);
  // max-length changes what is read (the corpus fingerprint) and is a setting: the first check that fails names it.
  refused(['merge', p0, corpusParts[1]!, p2, '--out', out], /read a different corpus than .*p0/);

  const settingsDir = tempDir();
  const settingParts = shards(settingsDir, [...NEURONS, '--prob-quantile', '0.9'], 3);
  refused(['merge', p0, settingParts[1]!, p2, '--out', out], /settings differ from .*p0: probQuantile 0\.9 vs 0\.95/);

  const nDir = tempDir();
  const fourParts = shards(nDir, NEURONS, 4);
  refused(['merge', p0, fourParts[1]!, p2, '--out', out], /is shard 1\/4 but .* is shard 0\/3 \(different N\)/);

  // A partial whose statistics changed after the shard finished.
  const changed = join(neuronDir, 'changed');
  cpSync(p1, changed, { recursive: true });
  const f = join(changed, 'partial.safetensors');
  const buf = readFileSync(f);
  buf[buf.length - 3] ^= 0x40;
  writeFileSync(f, buf);
  refused(['merge', p0, changed, p2, '--out', out], /changed.partial\.safetensors: checksum does not match partial\.json/);

  // The temporary folder a killed shard leaves behind (same content as a finished one) is refused.
  const tmp = join(neuronDir, 'p1.tmp-4242');
  cpSync(p1, tmp, { recursive: true });
  refused(['merge', p0, tmp, p2, '--out', out], /p1\.tmp-4242: temporary folder of an interrupted shard/);

  assert.equal(existsSync(out), false);
});

test('a shard killed mid-run leaves no folder merge would accept', async () => {
  const dir = tempDir();
  // Killed where the shard stopped itself (POLYGLOT_LENS_STOP_AT), so mid-run by construction
  // whatever the machine's load (a 2.5 s timer once let the shard finish first): while computing
  // (its first progress report) and while writing (its temp folder made, not yet filled).
  for (const [at, name] of [['progress', 'p1'], ['write', 'p2']] as const) {
    const out = join(dir, name);
    const r = await cliStopped([...NEURONS, '--shard', '1/3', '--out', out], at, (pid) => process.kill(-pid, 'SIGKILL'));
    assert.ok(r.stopped, `stopped at ${at}: ${r.raw}`);
    assert.equal(r.signal, 'SIGKILL', 'killed, not finished');
    assert.equal(existsSync(out), false, 'no finished partial under the final name');
  }
  const left = readdirSync(dir);
  assert.ok(left.some((n) => n.includes('polyglot-lens-tmp')), `the write killed midway left its temp folder: ${left.join(', ')}`);
  // --out elsewhere: a merge writing into `dir` would first clear the dead shard's temp folder.
  for (const name of left) refused(['merge', join(dir, name), '--out', join(tempDir(), 'merged')], /interrupted shard|no partial\.json/);
});

test('features: 3 shards then merge equal one run (positions and sequences exact, importances within 1e-5 relative)', () => {
  const dir = tempDir();
  ok([...FEATURES, '--out', join(dir, 'one')]);
  const parts = shards(dir, FEATURES, 3);
  ok(['merge', ...parts, '--out', join(dir, 'merged')]);
  const one = join(dir, 'one');
  const merged = join(dir, 'merged');
  assert.deepEqual(readdirSync(merged).sort(), readdirSync(one).sort());
  const meta = (d: string): unknown => {
    const b = readFileSync(join(d, 'importance.safetensors'));
    return (JSON.parse(b.subarray(8, 8 + Number(b.readBigUInt64LE(0))).toString()) as { __metadata__: { settings: string } }).__metadata__.settings;
  };
  assert.equal(meta(merged), meta(one), 'settings with exact positions and sequence counts');
  const a = readSafetensorsHeader(join(one, 'importance.safetensors'));
  const b = new Map(readSafetensorsHeader(join(merged, 'importance.safetensors')).map((e) => [e.name, e]));
  assert.equal(a.length, b.size);
  let worst = 0;
  for (const e of a) {
    const x = readTensorF32(e);
    const y = readTensorF32(b.get(e.name)!);
    for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j]! - y[j]!) / Math.max(1e-12, Math.abs(x[j]!)));
  }
  assert.ok(worst < 1e-5, `worst relative difference ${worst}`);
  const lm = (d: string): { all: { dims: number[] }[] } => JSON.parse(readFileSync(join(d, 'large-magnitude.json'), 'utf8')) as { all: { dims: number[] }[] };
  assert.deepEqual(lm(merged).all.map((l) => l.dims), lm(one).all.map((l) => l.dims));
});

test('Wanda one-shot: 3 shards, merge, prune --calibration-stats give the same pruned checkpoint as one run', () => {
  const dir = tempDir();
  ok([...WANDA, '--sparsity', '0.5', '--out', join(dir, 'one')]);
  const parts = shards(dir, WANDA, 3);
  const stats = join(dir, 'stats');
  ok(['merge', ...parts, '--out', stats]);
  ok(['prune', '--method', 'wanda', '--mode', 'oneshot', '--calibration-stats', stats, '--sparsity', '0.5', '--out', join(dir, 'merged')]);
  assert.ok(bytes(join(dir, 'one', 'model.safetensors')).equals(bytes(join(dir, 'merged', 'model.safetensors'))), 'same masks, same weights');
  const rec = (d: string): unknown => {
    const j = JSON.parse(readFileSync(join(d, 'pruning.json'), 'utf8')) as Record<string, unknown>;
    delete (j.variant as Record<string, unknown> | undefined)?.createdAt;
    delete j.createdAt;
    return j;
  };
  assert.deepEqual(rec(join(dir, 'merged')), rec(join(dir, 'one')), 'same pruning.json (calibration record of the full set) apart from the time');
  refused(['prune', '--method', 'wanda', '--calibration-stats', stats, '--sparsity', '0.5', '--out', join(dir, 'x')], /--calibration-stats: needs --mode oneshot/);
  refused(['prune', '--method', 'prog', '--mode', 'oneshot', '--calibration-stats', stats, '--sparsity', '0.5', '--out', join(dir, 'x')], /statistics are for --method wanda, not prog/);
  refused(['prune', '--method', 'wanda', '--mode', 'oneshot', '--calibration-stats', parts[0]!, '--sparsity', '0.5', '--out', join(dir, 'x')], /incomplete set: shards 1\/3, 2\/3 missing/);
  refused([...WANDA.filter((x) => x !== 'oneshot' && x !== '--mode'), '--shard', '0/2', '--out', join(dir, 'x')], /--shard: needs --mode oneshot/);
});

test('import-lape: the reference activation.py counts (over_zero int32, n) as .safetensors or .json select the same neurons as our run', () => {
  const dir = tempDir();
  ok([...NEURONS, '--out', join(dir, 'one')]);
  // A 0/1 shard is the whole run's raw counts: written out the way the reference saves them.
  const [whole] = shards(dir, NEURONS, 1);
  const m = JSON.parse(readFileSync(join(whole!, 'partial.json'), 'utf8')) as { scalars: Record<string, number>; info: { nLayers: number; dMlp: number } };
  const entries = new Map(readSafetensorsHeader(join(whole!, 'partial.safetensors')).map((e) => [e.name, e]));
  const { nLayers, dMlp } = m.info;
  const files: string[] = [];
  for (const lang of ['en', 'fr', 'de']) {
    const counts = readTensorF64(entries.get(`counts/${lang}`)!);
    const n = m.scalars[`tokens/${lang}`]!;
    const st = join(dir, `activation.${lang}.train.default.safetensors`);
    writeSafetensors(st, [
      { name: 'n', dtype: 'I64', shape: [1], data: new Float32Array([n]) },
      { name: 'over_zero', dtype: 'I32', shape: [nLayers, dMlp], data: Float32Array.from(counts) },
    ]);
    files.push(st);
    const rows = Array.from({ length: nLayers }, (_, l) => [...counts.subarray(l * dMlp, (l + 1) * dMlp)]);
    writeFileSync(join(dir, `${lang}.json`), JSON.stringify({ n, over_zero: rows }));
  }
  ok(['import-lape', ...files, '--out', join(dir, 'imported')]);
  ok(['import-lape', ...['en', 'fr', 'de'].map((l) => join(dir, `${l}.json`)), '--out', join(dir, 'imported-json')]);
  for (const out of ['imported', 'imported-json']) {
    assert.ok(bytes(join(dir, 'one', 'lape.json')).equals(bytes(join(dir, out, 'lape.json'))), `${out}/lape.json`);
    const p = (d: string): Float32Array => readTensorF32(readSafetensorsHeader(join(dir, d, 'neuron-stats.safetensors')).find((e) => e.name === 'activation_probability')!);
    assert.deepEqual(p(out), p('one'));
  }
  // What Open Language Neurons Folder… reads for the panel.
  const opened = readLapeFolder(join(dir, 'imported'));
  assert.deepEqual(opened.languages, ['en', 'fr', 'de']);
  assert.deepEqual(opened.neurons, readLapeFolder(join(dir, 'one')).neurons);
  assert.deepEqual(opened.tokenCounts, [400, 400, 400]);
  refused(['import-lape', files[0]!, files[0]!, '--out', join(dir, 'x')], /language en is given twice/);
  writeFileSync(join(dir, 'activation.fr.train.llama-7b'), 'not a zip at all');
  refused(['import-lape', files[0]!, join(dir, 'activation.fr.train.llama-7b'), '--out', join(dir, 'x')], /activation\.fr\.train\.llama-7b: unsupported counts file: give the torch\.save file activation\.py wrote/);
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ n: 3, over_zero: [[1, 5]] }));
  refused(['import-lape', files[0]!, `fr=${join(dir, 'bad.json')}`, '--out', join(dir, 'x')], /bad\.json: over_zero\[1\] = 5 is not a count between 0 and n \(3\)/);
  assert.equal(existsSync(join(dir, 'x')), false);
});

const TORCH_PY = '/usr/bin/python3';
const torchOk = existsSync(TORCH_PY) && spawnSync(TORCH_PY, ['-c', 'import torch'], { timeout: 60000 }).status === 0;

test('import-lape reads the reference\'s own torch.save files (written by Debian\'s torch as activation.py does), without executing them', { skip: !torchOk && 'needs /usr/bin/python3 with torch' }, () => {
  const dir = tempDir();
  ok([...NEURONS, '--out', join(dir, 'one')]);
  const [whole] = shards(dir, NEURONS, 1);
  const m = JSON.parse(readFileSync(join(whole!, 'partial.json'), 'utf8')) as { scalars: Record<string, number>; info: { nLayers: number; dMlp: number } };
  const entries = new Map(readSafetensorsHeader(join(whole!, 'partial.safetensors')).map((e) => [e.name, e]));
  const files: string[] = [];
  for (const lang of ['en', 'fr', 'de']) {
    const json = join(dir, `${lang}.json`);
    writeFileSync(json, JSON.stringify({ n: m.scalars[`tokens/${lang}`], counts: [...readTensorF64(entries.get(`counts/${lang}`)!)] }));
    const out = join(dir, `activation.${lang}.train.default`);
    // The dict activation.py saves: n (a Python int), sum1..sum4 (float32) and over_zero (int32).
    const py = `import json, torch\nd = json.load(open(${JSON.stringify(json)}))\nL, F = ${m.info.nLayers}, ${m.info.dMlp}\nz = torch.zeros(L, F)\ntorch.save(dict(n=d['n'], sum1=z, sum2=z, sum3=z, sum4=z, over_zero=torch.tensor(d['counts'], dtype=torch.int32).reshape(L, F)), ${JSON.stringify(out)})\n`;
    const r = spawnSync(TORCH_PY, ['-c', py], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    files.push(out);
  }
  ok(['import-lape', ...files, '--out', join(dir, 'imported')]);
  assert.ok(bytes(join(dir, 'one', 'lape.json')).equals(bytes(join(dir, 'imported', 'lape.json'))));
});
