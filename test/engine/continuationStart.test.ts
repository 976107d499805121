/**
 * A continuation after an analysis starts from the analysis's own forward (its KV cache and the
 * last position's logits) instead of a second forward over the prompt: one pass over the model
 * fewer, which on a 7B model in mapped mode is a read and widening of every weight. The numbers
 * stay those of a generation with its own prefill — every step's logits bit for bit, and the
 * analysis's captures those of a forward without the KV cache — in every weights mode and for
 * the architectures with their own position schemes (rotary, learned, ALiBi, sinusoidal).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { analysisPlan, analyzeActivations } from '../../src/engine/analyze';
import { generationStart, greedyGenerate } from '../../src/engine/generate';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import type { TensorData } from '../../src/engine/api';
import { writeTinyModel } from '../helpers/tiny-model';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { same } from '../scale/helpers';

const llama = writeTinyModel({ dtype: 'BF16', nLayers: 3, dModel: 32, dMlp: 48, maxPositions: 64, seed: 5 });
const TEXT = 'Tous les êtres humains naissent libres';

test('an analysis with a continuation runs one forward fewer, and its continuation is the generation with its own prefill, bit for bit', async () => {
  const cases: [string, string][] = [['llama BF16', llama.dir], ...(['gpt2', 'bloom', 'xglm'] as const).map((f): [string, string] => [f, writeTinyGpt({ family: f, nLayers: 3, dtype: 'F16' }).dir])];
  for (const [name, dir] of cases) {
    for (const mode of ['resident', 'streaming', 'mapped'] as const) {
      const what = `${name}, ${mode}`;
      const m = LoadedModel.load(dir, { threads: 1, weights: mode });
      const ids = m.encodeInput(TEXT, 'prompt');
      // The generation with its own prefill, its logits at every step.
      const refLogits: Float32Array[] = [];
      const ref = await greedyGenerate(m, ids, { maxNewTokens: 6, stopIds: [], onLogits: (_, l) => refLogits.push(Float32Array.from(l)) });

      // The analysis forward with the KV cache: the captures are those of the forward without it.
      let withKv: Record<string, TensorData> = {};
      let plain: Record<string, TensorData> = {};
      await analyzeActivations(m, { text: TEXT, withKvCache: true }, {}, (_, out) => (withKv = out));
      await analyzeActivations(m, { text: TEXT }, {}, (_, out) => (plain = out));
      assert.equal(analysisPlan(m).kvCache, false);
      for (const h of Object.keys(plain)) same(withKv[h]!.data, plain[h]!.data, `${what}: ${h} with and without the KV cache`);

      // The continuation from that forward: the same tokens and logits, one pass fewer.
      const logits: Float32Array[] = [];
      const before = m.passCount;
      const got = await greedyGenerate(m, ids, { maxNewTokens: 6, stopIds: [], start: generationStart(m, ids, withKv), onLogits: (_, l) => logits.push(Float32Array.from(l)) });
      assert.equal(m.passCount - before, 5, `${what}: 6 tokens from the analysis's forward take 5 single-token passes`);
      assert.deepEqual(got, ref, `${what}: generated`);
      assert.equal(logits.length, refLogits.length);
      logits.forEach((l, i) => same(l, refLogits[i]!, `${what}: logits at step ${i}`));

      // A start made for other ids is not used.
      const other = [...ids.slice(0, -1), (ids[ids.length - 1]! + 1) % m.cfg.vocabSize];
      const b2 = m.passCount;
      await greedyGenerate(m, other, { maxNewTokens: 2, stopIds: [], start: generationStart(m, ids, withKv) });
      assert.equal(m.passCount - b2, 2, `${what}: another prompt gets its own prefill`);

      // analyze with maxNewTokens: the analysis's forward plus one pass per token after the first.
      const b3 = m.passCount;
      const a = await analyzeActivations(m, { text: TEXT, maxNewTokens: 6 });
      assert.equal(m.passCount - b3, 1 + 5, `${what}: analysis + 6-token continuation`);
      assert.deepEqual(a.generated.ids, ref.generatedIds, `${what}: analysis's continuation`);
      await m.dispose();
    }
  }
});

test('engine methods: the editor\'s continuation after Analyze starts from the analysis; another deactivation or model does not', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  await HANDLERS['engine/load'](s, { dir: llama.dir }, {});
  const m = s.model!;
  const a = await HANDLERS['engine/analyze'](s, { text: TEXT, maxNewTokens: 0 }, {});
  const ids = a.tokens.map((t) => t.id);
  const fresh = await greedyGenerate(m, ids, { maxNewTokens: 4 });
  let before = m.passCount;
  const g = await HANDLERS['engine/generate'](s, { ids, maxNewTokens: 4 }, {});
  assert.equal(m.passCount - before, 3, 'the first token came from the analysis');
  assert.deepEqual(g, fresh);
  // With a neuron deactivated the analysis's cache does not apply.
  const deactivate = { 1: [0, 3] };
  before = m.passCount;
  const d = await HANDLERS['engine/generate'](s, { ids, maxNewTokens: 4, deactivate }, {});
  assert.equal(m.passCount - before, 4, 'another deactivation runs its own prefill');
  assert.deepEqual(d, await greedyGenerate(m, ids, { maxNewTokens: 4, deactivate }));
  // An analysis with that deactivation makes its own start.
  await HANDLERS['engine/analyze'](s, { text: TEXT, maxNewTokens: 0, deactivate }, {});
  before = m.passCount;
  assert.deepEqual(await HANDLERS['engine/generate'](s, { ids, maxNewTokens: 4, deactivate }, {}), d);
  assert.equal(m.passCount - before, 3);
  // Loading another model drops the unloaded one's cache (memory) and never feeds it to the new one.
  const other = writeTinyModel({ dtype: 'BF16', nLayers: 3, dModel: 32, dMlp: 48, maxPositions: 64, seed: 6 });
  await HANDLERS['engine/load'](s, { dir: other.dir }, {});
  assert.equal(s.continuation, undefined);
  const m2 = s.model!;
  before = m2.passCount;
  assert.deepEqual(await HANDLERS['engine/generate'](s, { ids, maxNewTokens: 4, deactivate }, {}), await greedyGenerate(m2, ids, { maxNewTokens: 4, deactivate }));
  assert.equal(m2.passCount - before, 4 + 4, 'its own prefill (and the reference generation)');
  await m2.dispose();
});
