/**
 * Resident weights as graph constants (`--prepack`, ModelOptions.constantWeights): each plan's
 * session takes the unmasked weights as initializers over the held F32 arrays (onnxruntime
 * prepacks Gemm's B once per session) instead of as inputs fed on every run. The numbers match the
 * inputs path to float rounding, masked weights stay inputs (a variant is masks, never a copy),
 * the packed copies stay within their memory budget, and the CLI's eval and sweep honour the
 * global model options (--weights, --execution-provider, --prepack), which they used to ignore.
 */
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { allHooks } from '../../src/engine/hooks';
import type { GraphPlan } from '../../src/engine/model/plan';
import { createVariant } from '../../src/engine/pruning';
import { writeTinyModel } from '../helpers/tiny-model';
import { assertOneLineError, cli } from '../helpers/cli';
import { randomIds } from './helpers';
import { tempDir } from '../lape/helpers';

const tiny = writeTinyModel({ nLayers: 3, dModel: 32, dMlp: 48, maxPositions: 64, seed: 11 });

const plan = (m: LoadedModel, maskedWeights: string[] = []): GraphPlan => ({ capture: allHooks(m.cfg), stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights });

/** Largest |a - b| relative to the largest |a| of each output. */
function close(a: Record<string, { data: ArrayLike<number> }>, b: Record<string, { data: ArrayLike<number> }>, tol: number): void {
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const k of Object.keys(a)) {
    const x = a[k]!.data;
    const y = b[k]!.data;
    assert.equal(x.length, y.length, k);
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < x.length; i++) {
      scale = Math.max(scale, Math.abs(x[i]!));
      diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    }
    assert.ok(diff <= tol * Math.max(1, scale), `${k}: max |Δ| ${diff} (scale ${scale})`);
  }
}

test('constant weights: the sessions take no weight inputs, and every hook equals the inputs path to float rounding', async () => {
  const fed = LoadedModel.load(tiny.dir, { threads: 1 });
  const packed = LoadedModel.load(tiny.dir, { threads: 1, constantWeights: true });
  const names = new Set(fed.specs.map((s) => s.name));
  const fedInputs = (await fed.session(plan(fed))).inputNames.filter((n) => names.has(n));
  const packedInputs = (await packed.session(plan(packed))).inputNames.filter((n) => names.has(n));
  assert.equal(fedInputs.length, names.size, 'the default feeds every weight');
  assert.deepEqual(packedInputs, [], 'constants: no weight is an input');
  const seqs = [randomIds(20, 1), randomIds(13, 2)];
  const a = await fed.run(seqs, plan(fed));
  const b = await packed.run(seqs, plan(packed));
  close(a, b, 1e-5);
  await fed.dispose();
  await packed.dispose();
});

test('constant weights with a pruning variant: the masked weights stay inputs (Where(mask, W, 0)), the rest are constants; outputs equal the inputs path', async () => {
  const fed = LoadedModel.load(tiny.dir, { threads: 1 });
  const packed = LoadedModel.load(tiny.dir, { threads: 1, constantWeights: true });
  const variants = await Promise.all([fed, packed].map((m) => createVariant(m, 'mag', { method: 'magnitude', sparsity: 0.5 })));
  const masked = [...variants[1]!.keys()].sort();
  assert.ok(masked.length > 0);
  const p = plan(packed, masked);
  const inputs = new Set((await packed.session(p)).inputNames);
  for (const w of masked) assert.ok(inputs.has(w) && inputs.has(`mask:${w}`), `${w} is an input with its mask`);
  assert.deepEqual(packed.specs.filter((s) => inputs.has(s.name) && !masked.includes(s.name)).map((s) => s.name), [], 'no unmasked weight is an input');
  const seqs = [randomIds(17, 3)];
  close(await fed.run(seqs, plan(fed, masked), { variant: variants[0]! }), await packed.run(seqs, p, { variant: variants[1]! }), 1e-5);
  await fed.dispose();
  await packed.dispose();
});

test('the packed copies stay within their budget: a plan that does not fit takes its weights as inputs; a released session gives its bytes back', async () => {
  const probe = LoadedModel.load(tiny.dir, { threads: 1 });
  const all = probe.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 4), 0);
  await probe.dispose();
  const names = (m: LoadedModel): Set<string> => new Set(m.specs.map((s) => s.name));
  const weightInputs = async (m: LoadedModel, p: GraphPlan): Promise<number> => (await m.session(p)).inputNames.filter((n) => names(m).has(n)).length;
  // Room for one whole-model plan's weights, not two.
  const m = LoadedModel.load(tiny.dir, { threads: 1, constantWeights: true, constantWeightBytes: Math.floor(1.5 * all) });
  const capture = plan(m);
  const logits: GraphPlan = { ...plan(m), capture: ['logits'] };
  assert.equal(await weightInputs(m, capture), 0, 'the first plan fits');
  assert.equal(await weightInputs(m, logits), m.specs.length, 'the second does not: inputs');
  await m.dispose();
  // After dispose every byte is back: the next plan is packed again.
  assert.equal(await weightInputs(m, logits), 0);
  await m.dispose();
  // Streaming and mapped weights are never constants (a block's weights are widened per run).
  const s = LoadedModel.load(tiny.dir, { threads: 1, weights: 'streaming', constantWeights: true });
  await s.run([randomIds(5, 4)], logits);
  await s.dispose();
});

test('eval and sweep honour the global model options: --weights is checked, --execution-provider cuda falls back with a note, --prepack runs', () => {
  const corpus = join(tempDir(), 'c.jsonl');
  writeFileSync(corpus, '{"lang":"en","text":"the cat sat on the mat"}\n{"lang":"en","text":"a dog ran"}\n');
  const base = ['--model', tiny.dir, '--task', 'perplexity', '--corpus', corpus, '--resamples', '10', '--threads', '1', '--plan'];
  assertOneLineError(cli(['eval', '--models', tiny.dir, ...base.slice(2), '--weights', 'sometimes']), /--weights: must be one of auto, resident, streaming, mapped, got "sometimes"/);
  assertOneLineError(cli(['sweep', ...base, '--methods', 'magnitude', '--sparsities', '0.5', '--weights', 'sometimes']), /--weights: must be one of/);
  const cuda = cli(['eval', '--models', tiny.dir, ...base.slice(2), '--execution-provider', 'cuda']);
  assert.equal(cuda.code, 0, cuda.stderr);
  assert.match(cuda.stderr, /note: execution provider cuda: .*running on the CPU instead/);
  const prepack = cli(['eval', '--models', tiny.dir, ...base.slice(2), '--prepack']);
  assert.equal(prepack.code, 0, prepack.stderr);
});

test('eval shards must agree on --prepack: merge refuses a shard computed with prepacked weights beside one without', () => {
  const d = tempDir();
  const corpus = join(d, 'c.jsonl');
  writeFileSync(corpus, '{"lang":"en","text":"the cat sat on the mat"}\n{"lang":"en","text":"a dog ran"}\n{"lang":"en","text":"birds sing"}\n');
  const job = ['eval', '--models', tiny.dir, '--task', 'perplexity', '--corpus', corpus, '--resamples', '10', '--threads', '1'];
  assert.equal(cli([...job, '--shard', '0/2', '--out', join(d, 'p0')]).code, 0);
  assert.equal(cli([...job, '--shard', '1/2', '--out', join(d, 'p1'), '--prepack']).code, 0);
  assertOneLineError(cli(['merge', join(d, 'p0'), join(d, 'p1'), '--out', join(d, 'm')]), /settings differ from .*p0: prepack/);
  assert.equal(cli([...job, '--shard', '1/2', '--out', join(d, 'q1')]).code, 0);
  assert.equal(cli(['merge', join(d, 'p0'), join(d, 'q1'), '--out', join(d, 'm')]).code, 0);
});
