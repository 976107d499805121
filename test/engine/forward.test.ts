/**
 * The engine's forward pass against independent references:
 * - the real checkpoints against fixtures from ../shared/bench/hf_llama_torch.py (PyTorch);
 * - the plain-loop reference (test/helpers/naive-llama.ts), itself checked against PyTorch here,
 *   on tiny random llama / mistral / qwen2 checkpoints in every storage layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { greedyGenerate } from '../../src/engine/generate';
import { captureHooks } from '../../src/engine/capture';
import { naiveForward, type NaiveConfig } from '../helpers/naive-llama';
import { writeTinyModel, type TinySpec } from '../helpers/tiny-model';
import { sharedModel, skipWithoutModel } from '../helpers/shared';

interface Expected {
  model: string;
  ids: number[];
  logits_shape: number[];
  logits_last: number[];
  logits_first: number[];
  hook_layer: number;
  hook_post: number[];
  active_counts: number[][];
  greedy: number[];
}
const expected = (name: string): Expected => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'reference', `${name}.json`), 'utf8')) as Expected;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// F32 through different summation orders: PyTorch and onnxruntime agree to ~1e-5 on these models.
const F32_TOL = 1e-4;

for (const [fixture, model] of [
  ['stories260K-once', 'stories260K'],
  ['zh-poem-moon', 'zh-poem'],
] as const) {
  test(`${model}: logits, hook_post, active counts and greedy tokens match PyTorch`, { skip: skipWithoutModel(model) }, async () => {
    const exp = expected(fixture);
    const m = LoadedModel.load(sharedModel(model)!, { threads: 1 });
    const hooks = ['logits', `blocks.${exp.hook_layer}.mlp.hook_post`];
    const out = await captureHooks(m, { ids: exp.ids, hooks });
    const V = exp.logits_shape[1]!;
    const logits = out.logits!;
    assert.deepEqual(logits.dims, exp.logits_shape);
    assert.ok(maxAbsDiff(logits.data.subarray(0, V), exp.logits_first) < F32_TOL);
    assert.ok(maxAbsDiff(logits.data.subarray((exp.ids.length - 1) * V), exp.logits_last) < F32_TOL);
    assert.ok(maxAbsDiff(out[hooks[1]!]!.data, exp.hook_post) < F32_TOL);
    const stats = await m.run([exp.ids], {
      capture: [],
      stats: exp.active_counts.map((_, l) => ({ hook: `blocks.${l}.mlp.hook_pre`, kind: 'countPos' as const })),
      kvCache: false,
      lastPositionOnly: false,
      deactivateLayers: [],
      maskedWeights: [],
    });
    exp.active_counts.forEach((counts, l) => assert.deepEqual(Array.from(stats[`stat:countPos:blocks.${l}.mlp.hook_pre`]!.data), counts));
    const g = await greedyGenerate(m, exp.ids, { maxNewTokens: exp.greedy.length });
    assert.deepEqual(g.generatedIds, exp.greedy);
  });

  test(`${model}: the plain-loop reference matches PyTorch (so it can judge the tiny models)`, { skip: skipWithoutModel(model) }, () => {
    const exp = expected(fixture);
    const m = LoadedModel.load(sharedModel(model)!);
    const c = m.cfg;
    const cfg: NaiveConfig = { dModel: c.dModel, nLayers: c.nLayers, nHeads: c.nHeads, nKvHeads: c.nKvHeads, dMlp: c.dMlp, vocab: c.vocabSize, eps: c.normEps, ropeTheta: c.ropeTheta };
    const r = naiveForward(cfg, (n) => (n === 'lm_head.weight' && c.tiedEmbeddings ? undefined : m.weights.get(n)), exp.ids);
    assert.ok(maxAbsDiff(r.logits.at(-1)!, exp.logits_last) < F32_TOL);
    assert.ok(maxAbsDiff(r.hookPost[exp.hook_layer]!.flat(), exp.hook_post) < F32_TOL);
  });
}

const TINY: [string, TinySpec, number][] = [
  ['llama GQA, untied, F32, one file', {}, 1e-4],
  ['llama tied head, no model. prefix, 3 shards', { tied: true, prefix: false, shards: 3, seed: 2 }, 1e-4],
  ['llama F16 weights', { dtype: 'F16', seed: 3 }, 1e-4],
  ['llama BF16 weights', { dtype: 'BF16', seed: 4 }, 1e-4],
  ['llama rope_scaling linear', { ropeScaling: { rope_type: 'linear', factor: 4 }, seed: 5 }, 1e-4],
  ['llama rope_scaling llama3', { ropeScaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 }, ropeTheta: 500000, seed: 6 }, 1e-4],
  ['mistral sliding window 4', { modelType: 'mistral', slidingWindow: 4, seed: 7 }, 1e-4],
  ['qwen2 q/k/v bias, MHA', { modelType: 'qwen2', bias: true, nKvHeads: 4, seed: 8 }, 1e-4],
];

for (const [name, spec, tol] of TINY) {
  test(`tiny ${name}: logits and hooks match the plain-loop reference`, async () => {
    const tiny = writeTinyModel(spec);
    try {
      const m = LoadedModel.load(tiny.dir, { threads: 1 });
      const s = tiny.spec;
      const rs = spec.ropeScaling as Record<string, number> | undefined;
      const cfg: NaiveConfig = {
        dModel: s.dModel,
        nLayers: s.nLayers,
        nHeads: s.nHeads,
        nKvHeads: s.nKvHeads,
        dMlp: s.dMlp,
        vocab: s.vocab,
        eps: 1e-5,
        ropeTheta: s.ropeTheta,
        slidingWindow: spec.slidingWindow,
        ropeScaling: !rs
          ? undefined
          : rs.rope_type === ('linear' as unknown as number)
            ? { type: 'linear', factor: rs.factor! }
            : { type: 'llama3', factor: rs.factor!, low: rs.low_freq_factor!, high: rs.high_freq_factor!, original: rs.original_max_position_embeddings! },
      };
      const ids = [1, 40, 7, 200, 13, 99, 5, 250, 31, 64, 2, 77];
      const ref = naiveForward(cfg, (n) => tiny.weights.get(n), ids);
      const out = await captureHooks(m, { ids, hooks: ['logits', 'blocks.*.mlp.hook_pre', 'blocks.*.mlp.hook_post', 'blocks.*.hook_resid_post'] });
      assert.ok(maxAbsDiff(out.logits!.data, ref.logits.flat()) < tol, 'logits');
      for (let l = 0; l < s.nLayers; l++) {
        assert.ok(maxAbsDiff(out[`blocks.${l}.mlp.hook_pre`]!.data, ref.hookPre[l]!.flat()) < tol, `hook_pre ${l}`);
        assert.ok(maxAbsDiff(out[`blocks.${l}.mlp.hook_post`]!.data, ref.hookPost[l]!.flat()) < tol, `hook_post ${l}`);
        assert.ok(maxAbsDiff(out[`blocks.${l}.hook_resid_post`]!.data, ref.residPost[l]!.flat()) < tol, `resid_post ${l}`);
      }
      // Generation with the KV cache must agree with the full forward's argmax at every step.
      const g = await greedyGenerate(m, ids.slice(0, 6), { maxNewTokens: 6, stopIds: [] });
      const seq = ids.slice(0, 6);
      for (const next of g.generatedIds) {
        const last = naiveForward(cfg, (n) => tiny.weights.get(n), seq).logits.at(-1)!;
        assert.equal(next, last.indexOf(Math.max(...last)));
        seq.push(next);
      }
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  });
}

test('batched runs with right padding give each sequence the same hooks as running it alone', async () => {
  const tiny = writeTinyModel({ seed: 11 });
  try {
    const m = LoadedModel.load(tiny.dir, { threads: 1 });
    const a = [1, 5, 9, 200, 33, 8, 120];
    const b = [1, 70, 3];
    const plan = { capture: ['blocks.1.mlp.hook_post'], stats: [{ hook: 'blocks.1.mlp.hook_pre', kind: 'countPos' as const }], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
    const both = await m.run([a, b], plan);
    const alone = await m.run([b], plan);
    const aloneA = await m.run([a], plan);
    const D = m.cfg.dMlp;
    const rowsB = both['blocks.1.mlp.hook_post']!.data.subarray(a.length * D, (a.length + b.length) * D);
    assert.ok(maxAbsDiff(rowsB, alone['blocks.1.mlp.hook_post']!.data) < 1e-5);
    const counts = both['stat:countPos:blocks.1.mlp.hook_pre']!.data;
    const sum = alone['stat:countPos:blocks.1.mlp.hook_pre']!.data.map((v, j) => v + aloneA['stat:countPos:blocks.1.mlp.hook_pre']!.data[j]!);
    assert.deepEqual(Array.from(counts), Array.from(sum), 'padding positions are never counted');
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
  }
});
