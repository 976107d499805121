/**
 * Streaming (stored precision, block by block) and mapped (read per block) weights give the same
 * numbers as resident F32 weights, command by command, on a small BF16 model forced into each
 * mode: captures of every hook, analyze, greedy generation with a KV cache (logits at every step),
 * LAPE counts, feature statistics, sequential Wanda masks, the pruned export and eval (compare).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { analyzeActivations } from '../../src/engine/analyze';
import { greedyGenerate } from '../../src/engine/generate';
import { runLape } from '../../src/engine/lape/lape';
import { openCorpus } from '../../src/engine/corpus/open';
import { collectFeatureStats } from '../../src/engine/features/features';
import { createVariant, exportPrunedCheckpoint, compareVariants } from '../../src/engine/pruning';
import { allHooks } from '../../src/engine/hooks';
import { chooseWeightsMode } from '../../src/engine/model/weights';
import { segmentsFor } from '../../src/engine/model/segments';
import { buildSegmentGraph } from '../../src/engine/model/plan';
import { writeTinyModel, prng } from '../helpers/tiny-model';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { smallCorpusFile, tempDir } from '../lape/helpers';
import { randomIds, same } from './helpers';

const tiny = writeTinyModel({ dtype: 'BF16', nLayers: 3, dModel: 32, dMlp: 48, maxPositions: 64, seed: 7 });
const MODES = ['streaming', 'mapped'] as const;

function load(mode: 'resident' | 'streaming' | 'mapped'): LoadedModel {
  return LoadedModel.load(tiny.dir, { threads: 1, weights: mode });
}

test('segments cover each hook exactly once, as far as the plan needs', () => {
  const L = 3;
  const ranks = allHooks({ nLayers: L, dModel: 1, dMlp: 1, nHeads: 1, dHead: 1, vocabSize: 1, gatedMlp: true }).map((h, i) => [h, i - 1] as const);
  const all = segmentsFor(L, Infinity);
  assert.equal(all.length, L + 2);
  for (const [h, r] of ranks) assert.equal(all.filter((s) => r > s.reportAfter && r <= s.reportUpTo).length, 1, h);
  assert.equal(segmentsFor(L, -1).length, 1, 'hook_embed only: the embedding segment');
  assert.deepEqual(segmentsFor(L, 9).map((s) => s.layer), [-1, 0, 1], 'a hook of block 1: blocks 0 and 1');
});

test('one session serves every block: block graphs differ only in names and encode to the same bytes', () => {
  const m = load('streaming');
  const plan = { capture: ['logits'], stats: Array.from({ length: 3 }, (_, i) => ({ hook: `blocks.${i}.mlp.hook_pre`, kind: 'countPos' as const })), kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  const graphs = segmentsFor(3, Infinity).map((seg) => buildSegmentGraph(m.adapter, m.cfg, m.specs, plan, seg));
  assert.equal(graphs.length, 5);
  assert.equal(new Set(graphs.map((g) => g.key)).size, 3, 'embedding, block, head');
  assert.ok([...graphs[2]!.inputs.values()].includes('model.layers.1.mlp.up_proj.weight'));
  assert.ok([...graphs[3]!.inputs.values()].includes('model.layers.2.mlp.up_proj.weight'), 'block 2 feeds its own weights');
  assert.ok(![...graphs[3]!.inputs.values()].some((n) => n.startsWith('model.layers.1.')), 'and no other block\'s');
});

test('auto mode: F32 when it fits, else read from the file with widened weights kept within what memory allows', () => {
  const G = 1024 ** 3;
  assert.equal(chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'auto', 40 * G).mode, 'resident');
  assert.equal(chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'auto', 40 * G).retainBytes, 0);
  // 20 GiB available: 2 of headroom, 1 for a widened block and the head, 13.5 for the file in the
  // page cache leave 3.5; each F32 byte kept frees half a byte of the file's pages: 7 GiB kept.
  const mid = chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'auto', 20 * G);
  assert.equal(mid.mode, 'mapped');
  assert.equal(mid.retainBytes, 7 * G);
  assert.match(mid.reason, /nothing copied at load; up to 7\.0 GiB of widened weights kept/);
  assert.deepEqual(
    [chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'auto', 8 * G).mode, chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'auto', 8 * G).retainBytes],
    ['mapped', 0],
  );
  // Streaming holds the stored copy itself: what is left beside it.
  assert.equal(chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'streaming', 20 * G).retainBytes, 3.5 * G);
  // An F32 file: keeping a weight frees its pages one for one, so all or nothing.
  assert.equal(chooseWeightsMode(27 * G, 27 * G, 1 * G, 'mapped', 28 * G).retainBytes, 0);
  assert.equal(chooseWeightsMode(27 * G, 27 * G, 1 * G, 'mapped', 31 * G).retainBytes, 27 * G);
  assert.match(chooseWeightsMode(27 * G, 13.5 * G, 1 * G, 'resident', 8 * G).reason, /forced/);
});

test('held bytes: F32 resident holds 4 bytes a weight, streaming the stored 2, mapped none', () => {
  const r = load('resident');
  const s = load('streaming');
  const m = load('mapped');
  assert.equal(r.info.runtime.heldWeightBytes, r.info.parameterCount * 4);
  assert.equal(s.info.runtime.heldWeightBytes, s.info.parameterCount * 2);
  assert.equal(m.info.runtime.heldWeightBytes, 0);
  assert.equal(s.info.runtime.weights, 'streaming');
});

test('capture (every hook), analyze and generate with a KV cache are identical in streaming and mapped mode', async () => {
  const base = load('resident');
  const ids = randomIds(20, 3);
  const hooks = allHooks(base.cfg);
  const ref = await captureHooks(base, { ids, hooks });
  const refAnalysis = await analyzeActivations(base, { text: 'Tous les êtres humains naissent libres', maxNewTokens: 4 });
  const refLogits: Float32Array[] = [];
  const refGen = await greedyGenerate(base, ids.slice(0, 6), { maxNewTokens: 6, onLogits: (_, l) => refLogits.push(Float32Array.from(l)) });
  for (const mode of MODES) {
    const m = load(mode);
    const got = await captureHooks(m, { ids, hooks });
    for (const h of hooks) same(got[h]!.data, ref[h]!.data, `${mode} ${h}`);
    assert.deepEqual(await analyzeActivations(m, { text: 'Tous les êtres humains naissent libres', maxNewTokens: 4 }), refAnalysis, `${mode} analyze`);
    const logits: Float32Array[] = [];
    const gen = await greedyGenerate(m, ids.slice(0, 6), { maxNewTokens: 6, onLogits: (_, l) => logits.push(Float32Array.from(l)) });
    assert.deepEqual(gen, refGen);
    logits.forEach((l, i) => same(l, refLogits[i]!, `${mode} logits step ${i}`));
    await m.dispose();
  }
  await base.dispose();
});

test('LAPE counts, feature statistics, sequential Wanda masks, the pruned export and eval are identical in streaming mode', async () => {
  const corpus = smallCorpusFile();
  const run = async (mode: 'resident' | 'streaming') => {
    const m = load(mode);
    const lape = await runLape(m, openCorpus(corpus), { maxLength: 16 });
    const feats = await collectFeatureStats(m, [{ name: 'txt', source: corpus.replace(/corpus\.jsonl$/, 'texts.jsonl') }], { sequences: 4, length: 16 });
    const sequences = [randomIds(12, 1), randomIds(9, 2), randomIds(16, 3)];
    const v = await createVariant(m, 'w', { method: 'wanda', sparsity: 0.5, mode: 'sequential' }, { calibration: { source: 'ids', sequences } });
    const out = join(tempDir(), 'pruned');
    await exportPrunedCheckpoint(m, v, out, {});
    const cmp = await compareVariants(m, randomIds(8, 4), undefined, v, { maxNewTokens: 4 });
    await m.dispose();
    return { lape, feats, masks: [...v.entries()], exported: readFileSync(join(out, 'model.safetensors')), cmp };
  };
  const texts = ['The cat sat on the mat.', 'Le chat dort sur le tapis.', 'Die Katze schläft.', 'El gato duerme.'];
  const { writeFileSync } = await import('node:fs');
  writeFileSync(corpus.replace(/corpus\.jsonl$/, 'texts.jsonl'), texts.map((t) => JSON.stringify({ text: t })).join('\n') + '\n');
  const r = await run('resident');
  const s = await run('streaming');
  r.lape.counts.forEach((c, i) => same(s.lape.counts[i]!, c, `LAPE counts ${i}`));
  assert.deepEqual(s.lape.result.neurons, r.lape.result.neurons);
  for (const [h, v] of r.feats.collected[0]!.sumsq) same(s.feats.collected[0]!.sumsq.get(h)!, v, `features Σx² ${h}`);
  same(s.feats.collected[0]!.residNormSum, r.feats.collected[0]!.residNormSum, 'features Σ‖x‖');
  assert.equal(s.masks.length, r.masks.length);
  s.masks.forEach(([n, m], i) => {
    assert.equal(n, r.masks[i]![0]);
    same(m, r.masks[i]![1], `mask ${n}`);
  });
  assert.ok(s.exported.equals(r.exported), 'pruned checkpoint bytes');
  assert.deepEqual(s.cmp, r.cmp);
});

test('block by block is architecture agnostic: GPT-2 (Conv1D, learned positions), BLOOM (ALiBi), XGLM (sinusoidal) give identical captures and generations', async () => {
  for (const family of ['gpt2', 'bloom', 'xglm'] as const) {
    const g = writeTinyGpt({ family, nLayers: 3, dtype: 'F16' });
    const ids = randomIds(12, 5).map((i) => i % g.vocab);
    const base = LoadedModel.load(g.dir, { threads: 1, weights: 'resident' });
    const hooks = allHooks(base.cfg);
    const ref = await captureHooks(base, { ids, hooks });
    const refGen = await greedyGenerate(base, ids.slice(0, 5), { maxNewTokens: 5 });
    for (const mode of MODES) {
      const m = LoadedModel.load(g.dir, { threads: 1, weights: mode });
      const got = await captureHooks(m, { ids, hooks });
      for (const h of hooks) same(got[h]!.data, ref[h]!.data, `${family} ${mode} ${h}`);
      assert.deepEqual(await greedyGenerate(m, ids.slice(0, 5), { maxNewTokens: 5 }), refGen, `${family} ${mode} generate`);
      await m.dispose();
    }
    await base.dispose();
  }
});

test('residual shifts (eval, LRP2) land in the segment that reports their hidden state: identical logits in streaming mode', async () => {
  const plan = { capture: ['logits', 'blocks.1.hook_resid_pre'], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [], residualShifts: [1, 3] };
  const r = prng(11);
  const vec = (): Float32Array => Float32Array.from({ length: 32 }, () => r() - 0.5);
  const shifts = { 1: vec(), 3: vec() };
  const ids = randomIds(10, 9);
  const base = load('resident');
  const ref = await base.run([ids], plan, { shifts });
  const plain = await base.run([ids], { ...plan, residualShifts: [] });
  assert.ok(ref.logits!.data.some((v, i) => v !== plain.logits!.data[i]), 'the shifts change the logits');
  for (const mode of MODES) {
    const m = load(mode);
    const got = await m.run([ids], plan, { shifts });
    same(got.logits!.data, ref.logits!.data, `${mode} logits`);
    same(got['blocks.1.hook_resid_pre']!.data, ref['blocks.1.hook_resid_pre']!.data, `${mode} shifted resid_pre`);
    await m.dispose();
  }
  await base.dispose();
});
