/**
 * Block by block, widened weights read a second time are kept (within a byte budget) and later runs
 * use them instead of widening again (model/weights.ts openWeights). Kept or not, every run must
 * see exactly the weights the resident F32 model holds: captures of every hook, analyze with its
 * continuation, generation's logits at every step, run again and again on one loaded model, with
 * nothing kept (the path before retention), part of the model kept (some blocks kept, the rest
 * widened per run into the lent buffers) and all of it. Blocks share their shapes, so a kept
 * array handed to the wrong block, or a lent buffer kept and then overwritten by the next
 * segment's widening, changes the numbers and fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { analyzeActivations } from '../../src/engine/analyze';
import { greedyGenerate } from '../../src/engine/generate';
import { allHooks } from '../../src/engine/hooks';
import { writeTinyModel } from '../helpers/tiny-model';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { randomIds, same } from './helpers';

const tiny = writeTinyModel({ dtype: 'BF16', nLayers: 4, dModel: 32, dMlp: 48, maxPositions: 64, seed: 11 });
const TEXT = 'Tous les êtres humains naissent libres';

interface Outcome {
  capture: Record<string, Float32Array>;
  analyses: unknown[];
  logits: Float32Array[];
  generated: number[];
}

/** One loaded model, used as an editor session uses it: capture, two analyses with continuations, a generation, a capture again. */
async function session(m: LoadedModel, ids: number[]): Promise<Outcome & { keptAfterFirstPass: number; capture2: Record<string, Float32Array> }> {
  const hooks = allHooks(m.cfg);
  const cap = await captureHooks(m, { ids, hooks });
  const keptAfterFirstPass = m.weights.retainedBytes;
  const analyses = [await analyzeActivations(m, { text: TEXT, maxNewTokens: 5 }), await analyzeActivations(m, { text: TEXT, maxNewTokens: 5 })];
  const logits: Float32Array[] = [];
  const gen = await greedyGenerate(m, ids.slice(0, 7), { maxNewTokens: 6, onLogits: (_, l) => logits.push(Float32Array.from(l)) });
  const cap2 = await captureHooks(m, { ids, hooks });
  const data = (r: Record<string, { data: Float32Array }>): Record<string, Float32Array> => Object.fromEntries(Object.entries(r).map(([h, t]) => [h, t.data]));
  return { capture: data(cap), capture2: data(cap2), analyses, logits, generated: gen.generatedIds, keptAfterFirstPass };
}

function assertSame(got: Outcome & { capture2: Record<string, Float32Array> }, ref: Outcome, what: string): void {
  for (const [h, v] of Object.entries(ref.capture)) {
    same(got.capture[h]!, v, `${what}: first capture ${h}`);
    same(got.capture2[h]!, v, `${what}: capture after the continuations ${h}`);
  }
  assert.deepEqual(got.analyses, ref.analyses, `${what}: analyses with their continuations`);
  assert.deepEqual(got.generated, ref.generated, `${what}: generated tokens`);
  assert.equal(got.logits.length, ref.logits.length);
  got.logits.forEach((l, i) => same(l, ref.logits[i]!, `${what}: logits at step ${i}`));
}

test('kept widened weights give the resident numbers: nothing, part or all of the model kept, streaming and mapped', async () => {
  const ids = randomIds(20, 5);
  const base = LoadedModel.load(tiny.dir, { threads: 1, weights: 'resident' });
  const ref = await session(base, ids);
  const f32 = base.info.parameterCount * 4;
  await base.dispose();
  for (const mode of ['streaming', 'mapped'] as const) {
    for (const [label, budget] of [['nothing kept', 0], ['part kept', Math.floor(f32 / 2)], ['all kept', f32]] as const) {
      const m = LoadedModel.load(tiny.dir, { threads: 1, weights: mode, retainBytes: budget });
      const got = await session(m, ids);
      const what = `${mode}, ${label}`;
      assertSame(got, ref, what);
      assert.equal(got.keptAfterFirstPass, 0, `${what}: the first pass keeps nothing (no new memory before the first result)`);
      if (budget === 0) assert.equal(m.weights.retainedBytes, 0, what);
      else if (budget === f32) assert.equal(m.weights.retainedBytes, f32, `${what}: every weight kept`);
      else assert.ok(m.weights.retainedBytes > 0 && m.weights.retainedBytes <= budget && m.weights.retainedBytes < f32, `${what}: ${m.weights.retainedBytes} of ${f32} bytes kept`);
      assert.equal(m.weights.heldBytes, (mode === 'streaming' ? m.info.runtime.storedWeightBytes : 0) + m.weights.retainedBytes, `${what}: held bytes count the kept weights`);
      await m.dispose();
    }
  }
});

test('kept weights of a transposed layout (GPT-2 Conv1D, F16) and a tied head give the resident numbers', async () => {
  const g = writeTinyGpt({ family: 'gpt2', nLayers: 3, dtype: 'F16' });
  const ids = randomIds(12, 9).map((i) => i % g.vocab);
  const base = LoadedModel.load(g.dir, { threads: 1, weights: 'resident' });
  const hooks = allHooks(base.cfg);
  const ref = await captureHooks(base, { ids, hooks });
  const refGen = await greedyGenerate(base, ids.slice(0, 5), { maxNewTokens: 5 });
  const f32 = base.info.parameterCount * 4;
  await base.dispose();
  for (const budget of [Math.floor(f32 / 3), f32]) {
    const m = LoadedModel.load(g.dir, { threads: 1, weights: 'mapped', retainBytes: budget });
    for (let round = 0; round < 3; round++) {
      const got = await captureHooks(m, { ids, hooks });
      for (const h of hooks) same(got[h]!.data, ref[h]!.data, `budget ${budget}, round ${round}: ${h}`);
      assert.deepEqual(await greedyGenerate(m, ids.slice(0, 5), { maxNewTokens: 5 }), refGen, `budget ${budget}, round ${round}: generate`);
    }
    assert.ok(m.weights.retainedBytes > 0 && m.weights.retainedBytes <= budget);
    await m.dispose();
  }
});
