// exportPrunedCheckpoint writes a checkpoint that loads back with the variant's logits; it
// refuses existing folders and the source folder; neuron variants equal run-time deactivation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel, type Variant } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { createNeuronVariant, createVariant, exportPrunedCheckpoint, compareVariants } from '../../src/engine/pruning';
import { readSafetensorsHeader, readTensorF32, writeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { STORIES, TEXTS } from './reference';

const skip = existsSync(STORIES) ? false : 'stories260K not found';

async function logits(model: LoadedModel, ids: number[], variant?: Variant, deactivate?: Record<number, number[]>): Promise<Float32Array> {
  return (await captureHooks(model, { ids, hooks: ['logits', 'blocks.*.mlp.hook_post'], variant, deactivate })).logits!.data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

test('exported wanda checkpoint reloads with the in-memory variant logits; tied embedding written once', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prune-export-'));
  try {
    const model = LoadedModel.load(STORIES, { threads: 1 });
    const seqs = TEXTS.map((t) => model.tokenizer.encode(t));
    const v = await createVariant(model, 'w50', { method: 'wanda', sparsity: 0.5 }, { calibration: { source: 'inline', sequences: seqs } });
    const out = join(tmp, 'pruned');
    const r = await exportPrunedCheckpoint(model, 'w50', out);
    assert.deepEqual(readdirSync(out).sort(), ['.polyglot-lens-output.json', 'config.json', 'generation_config.json', 'model.safetensors', 'pruning.json', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
    assert.equal(r.tensors, readSafetensorsHeader(join(STORIES, 'model.safetensors')).length);
    const names = readSafetensorsHeader(join(out, 'model.safetensors')).map((e) => e.name);
    assert.ok(!names.includes('lm_head.weight'));
    const rec = JSON.parse(readFileSync(join(out, 'pruning.json'), 'utf8'));
    assert.equal(rec.method, 'wanda');
    assert.equal(rec.mode, 'sequential');
    assert.equal(rec.targetSparsity, 0.5);
    assert.equal(rec.achievedSparsity, 0.5);
    assert.equal(rec.calibration.calibration.sha256.length, 64);
    assert.equal(rec.perLinear.length, 35);
    assert.deepEqual(Object.keys(rec.perLinear[0]), ['layer', 'kind', 'weight', 'zeroed', 'total', 'sparsity']);

    const reloaded = LoadedModel.load(out, { threads: 1 });
    const ids = model.tokenizer.encode('Once upon a time');
    const want = await logits(model, ids, v);
    const got = await logits(reloaded, ids);
    assert.ok(maxAbsDiff(want, got) < 1e-5, `max abs diff ${maxAbsDiff(want, got)}`);
    assert.ok(maxAbsDiff(want, await logits(model, ids)) > 1e-2); // pruning really changed something

    // refusals: existing folder, the source folder, inside the source folder, a folder containing it
    await assert.rejects(exportPrunedCheckpoint(model, v, out), /output folder already exists/);
    await assert.rejects(exportPrunedCheckpoint(model, v, STORIES), /is the source model's folder or inside it/);
    await assert.rejects(exportPrunedCheckpoint(model, v, join(STORIES, 'sub')), /is the source model's folder or inside it/);
    await assert.rejects(exportPrunedCheckpoint(model, v, join(STORIES, '..'), { overwrite: true }), /contains the source model/);
    await assert.rejects(exportPrunedCheckpoint(model, 'nope', join(tmp, 'x')), /^UserError: variant: no variant named "nope"/);
    // overwrite replaces
    await exportPrunedCheckpoint(model, v, out, { overwrite: true });
    assert.ok(existsSync(join(out, 'pruning.json')));
    assert.deepEqual(readdirSync(tmp), ['pruned']); // no temp folders left behind
    await model.dispose();
    await reloaded.dispose();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('F16 source: exported in F16 by default, F32 on request, zeros where masked', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prune-f16-'));
  try {
    const src = join(tmp, 'f16');
    mkdirSync(src);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(STORIES, f), join(src, f));
    const entries = readSafetensorsHeader(join(STORIES, 'model.safetensors'));
    writeSafetensors(join(src, 'model.safetensors'), entries.map((e) => ({ name: e.name, dtype: 'F16' as const, shape: e.shape, data: readTensorF32(e) })));
    const model = LoadedModel.load(src, { threads: 1 });
    const v = await createVariant(model, 'mag', { method: 'magnitude', sparsity: 0.25 });
    await exportPrunedCheckpoint(model, v, join(tmp, 'a'));
    await exportPrunedCheckpoint(model, v, join(tmp, 'b'), { dtype: 'F32' });
    const a = readSafetensorsHeader(join(tmp, 'a', 'model.safetensors'));
    const b = readSafetensorsHeader(join(tmp, 'b', 'model.safetensors'));
    assert.ok(a.every((e) => e.dtype === 'F16') && b.every((e) => e.dtype === 'F32'));
    assert.equal(JSON.parse(readFileSync(join(tmp, 'b', 'config.json'), 'utf8')).torch_dtype, 'float32');
    assert.ok(existsSync(join(tmp, 'a', 'generation_config.json'))); // written from config when the source had none
    const q = 'model.layers.1.self_attn.q_proj.weight';
    const fromA = readTensorF32(a.find((e) => e.name === q)!);
    const fromB = readTensorF32(b.find((e) => e.name === q)!);
    const mask = v.get(q)!;
    const w = model.weights.get(q)!;
    for (let i = 0; i < w.length; i++) {
      assert.equal(fromA[i], mask[i] ? w[i] : 0); // F16 → F32 → F16 round-trips exactly
      assert.equal(fromB[i], fromA[i]);
    }
    await model.dispose();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a neuron variant equals run-time deactivation; compare data for the panel', { skip }, async () => {
  const model = LoadedModel.load(STORIES, { threads: 1 });
  const neurons = { 1: [3, 17, 40], 3: [0, 171] };
  const v = createNeuronVariant(model, '-n', neurons);
  const ids = model.tokenizer.encode('Once upon a time');
  const a = await captureHooks(model, { ids, hooks: ['blocks.*.mlp.hook_post', 'logits'], variant: v });
  const b = await captureHooks(model, { ids, hooks: ['blocks.*.mlp.hook_post', 'logits'], deactivate: neurons });
  for (const h of Object.keys(a)) assert.ok(maxAbsDiff(a[h]!.data, b[h]!.data) === 0, h);
  assert.equal(v.info.kind, 'neurons');
  assert.equal(v.info.linears.length, 2);
  assert.equal(v.info.linears[0]!.zeroed, 3 * 64);

  const pruned = await createVariant(model, 'mag', { method: 'magnitude', sparsity: 0.5 });
  const c = await compareVariants(model, ids, undefined, pruned, { maxNewTokens: 8 });
  assert.equal(c.a.label, 'dense');
  assert.equal(c.b.label, 'mag');
  assert.equal(c.a.text, ', there was a little girl'); // the start of the README's greedy continuation
  assert.equal(c.a.topNext.length, 10);
  assert.equal(c.a.topNext[0]!.token, ',');
  const sum = c.a.topNext.reduce((s, x) => s + x.p, 0);
  assert.ok(sum > 0 && sum <= 1 + 1e-9 && c.a.topNext.every((x, i, xs) => i === 0 || xs[i - 1]!.p >= x.p));
  assert.equal(c.layerChange.length, 5);
  assert.ok(c.layerChange.every((x) => x > 0));
  const same = await compareVariants(model, ids, undefined, { label: 'dense again' }, { maxNewTokens: 2 });
  assert.deepEqual([...same.layerChange], [0, 0, 0, 0, 0]);
  // neuron variant: layer 0 untouched, layer 1 moved
  const n = await compareVariants(model, ids, undefined, { label: '−n', variant: v }, { maxNewTokens: 2 });
  assert.equal(n.layerChange[0], 0);
  assert.ok(n.layerChange[1]! > 0);
  await model.dispose();
});
