/**
 * The fast paths of block-by-block runs keep the numbers of the resident mode: widening into reused
 * buffers (two BF16 values per 32-bit load), the non-finite check on stored bits, several batches
 * passing each block together (LoadedModel.runMany, stats/runStats.ts groupBatches) — for the
 * statistics jobs and the neuron index — and the mapped mode's check on first read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import type { TensorData } from '../../src/engine/api';
import { nonFiniteCount, widenToF32, widenToF32Checked } from '../../src/engine/checkpoint/safetensors';
import { groupBatches, GROUP_RESIDUAL_BYTES } from '../../src/engine/stats/runStats';
import { buildNeuronIndex } from '../../src/engine/neuron/indexJob';
import { writeExamplesFile } from '../../src/engine/neuron/indexFiles';
import { openCorpus } from '../../src/engine/corpus/open';
import { inputSumSq } from '../../src/engine/pruning/stats';
import { allHooks } from '../../src/engine/hooks';
import { writeTinyModel, prng } from '../helpers/tiny-model';
import { smallCorpusFile, tempDir } from '../lape/helpers';
import { randomIds, same } from './helpers';

const tiny = writeTinyModel({ dtype: 'BF16', nLayers: 3, dModel: 32, dMlp: 48, maxPositions: 64, seed: 5 });
const load = (mode: 'resident' | 'streaming' | 'mapped'): LoadedModel => LoadedModel.load(tiny.dir, { threads: 1, weights: mode });

/** IEEE half → number, from the definition (sign, 5-bit exponent, 10-bit fraction). */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0x1f) return f ? NaN : sign * Infinity;
  return e === 0 ? sign * f * 2 ** -24 : sign * (1 + f / 1024) * 2 ** (e - 15);
}

test('widening into a reused buffer equals value-by-value widening, at any byte offset and length; non-finite values are counted from the bits', () => {
  const r = prng(3);
  const bytes = new Uint8Array(16 * 1001);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
  // The second half holds only finite values (exponent below all-ones), the first half anything.
  for (let i = bytes.length >> 1; i < bytes.length; i += 2) bytes[i + 1] = bytes[i + 1]! & 0x3f;
  const view = new DataView(bytes.buffer);
  for (const dtype of ['BF16', 'F16', 'F32'] as const) {
    const size = dtype === 'F32' ? 4 : 2;
    // Byte offsets aligned to 4 and not (the paired 32-bit loads), odd and even counts; from 8008 on, finite values only.
    for (const [at, count] of [[0, 1001], [2, 1001], [4, 1000], [6, 7], [2, 1], [8008, 1000], [8010, 999]] as const) {
      const raw = bytes.subarray(at, at + count * size);
      const want = Float32Array.from({ length: count }, (_, i) => {
        const p = at + i * size;
        if (dtype === 'F32') return view.getFloat32(p, true);
        if (dtype === 'F16') return halfValue(view.getUint16(p, true));
        const f = new DataView(new ArrayBuffer(4));
        f.setUint32(0, view.getUint16(p, true) * 65536);
        return f.getFloat32(0);
      });
      const into = new Float32Array(count).fill(7);
      const got = widenToF32(dtype, raw, into);
      assert.equal(got, into, 'written into the given buffer');
      same(got, want, `${dtype} @${at} ×${count}`);
      same(widenToF32(dtype, raw), want, `${dtype} @${at} ×${count}, new array`);
      const bad = want.filter((v) => !Number.isFinite(v)).length;
      assert.equal(nonFiniteCount(dtype, raw), bad, `${dtype} @${at} ×${count} non-finite`);
      const checked = widenToF32Checked(dtype, raw, new Float32Array(count));
      same(checked.values, want, `${dtype} @${at} ×${count}, checked`);
      assert.equal(checked.nonFinite, bad, `${dtype} @${at} ×${count} non-finite, checked while widening`);
    }
  }
});

test('runMany: several batches passing each block together give what one resident run per batch gives, bit for bit', async () => {
  const hooks = allHooks(load('resident').cfg);
  const plan = { capture: hooks, stats: [0, 1, 2].flatMap((l) => [{ hook: `blocks.${l}.mlp.hook_pre`, kind: 'countPos' as const }, { hook: `blocks.${l}.hook_resid_mid`, kind: 'sumsq' as const }]), kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  // Different batch sizes and padded lengths in one group.
  const batches = [[randomIds(12, 1), randomIds(5, 2)], [randomIds(20, 3)], [randomIds(3, 4), randomIds(9, 5), randomIds(9, 6)]];
  const base = load('resident');
  const want: Record<string, TensorData>[] = [];
  for (const b of batches) want.push(await base.run(b, plan));
  await base.dispose();
  for (const mode of ['streaming', 'mapped'] as const) {
    const m = load(mode);
    const got = await m.runMany(batches, plan);
    assert.equal(got.length, batches.length);
    got.forEach((out, b) => {
      assert.deepEqual(Object.keys(out).sort(), Object.keys(want[b]!).sort(), `${mode} batch ${b} outputs`);
      for (const [name, t] of Object.entries(want[b]!)) {
        assert.deepEqual(out[name]!.dims, t.dims, `${mode} batch ${b} ${name} dims`);
        same(out[name]!.data, t.data, `${mode} batch ${b} ${name}`);
      }
    });
    await m.dispose();
  }
});

test('runs at once on one model (the buffers it keeps between runs are leased per run) give what each gives alone', async () => {
  const plan = { capture: ['blocks.1.mlp.hook_post', 'logits'], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  const inputs = [[randomIds(14, 7)], [randomIds(6, 8), randomIds(11, 9)], [randomIds(30, 10)]];
  const base = load('resident');
  const want = await Promise.all(inputs.map((b) => base.run(b, plan)));
  await base.dispose();
  for (const mode of ['streaming', 'mapped'] as const) {
    const m = load(mode);
    // Twice: the second round runs on buffers the first left in the pool.
    for (const round of [1, 2]) {
      const got = await Promise.all(inputs.map((b) => m.run(b, plan)));
      got.forEach((out, i) => {
        for (const name of plan.capture) same(out[name]!.data, want[i]![name]!.data, `${mode} round ${round} input ${i} ${name}`);
      });
    }
    await m.dispose();
  }
});

test('groupBatches: one batch at a time when resident; block by block, batches up to the residual budget', async () => {
  const seqs = (n: number, len: number): number[][] => Array.from({ length: n }, () => new Array<number>(len).fill(1));
  const batches = [seqs(2, 8), seqs(1, 30), seqs(3, 8)];
  const groups = async (m: { weights: { mode: string }; cfg: { dModel: number } }, bs: number[][][]): Promise<number[]> => {
    const out: number[] = [];
    for await (const g of groupBatches(m as unknown as LoadedModel, bs, (b) => b)) out.push(g.length);
    return out;
  };
  assert.deepEqual(await groups({ weights: { mode: 'resident' }, cfg: { dModel: 32 } }, batches), [1, 1, 1]);
  assert.deepEqual(await groups({ weights: { mode: 'streaming' }, cfg: { dModel: 32 } }, batches), [3]);
  // d_model such that the budget holds exactly 64 padded tokens: 16 + 30 fit, 24 more do not.
  const dModel = GROUP_RESIDUAL_BYTES / (4 * 64);
  assert.deepEqual(await groups({ weights: { mode: 'mapped' }, cfg: { dModel } }, batches), [2, 1]);
  // A batch larger than the budget still runs, alone.
  assert.deepEqual(await groups({ weights: { mode: 'mapped' }, cfg: { dModel } }, [seqs(1, 100), seqs(1, 2)]), [1, 1]);
});

test('the neuron index and the Wanda statistics are identical in streaming and mapped mode (many batches per group)', async () => {
  const corpus = smallCorpusFile();
  const index = async (mode: 'resident' | 'streaming' | 'mapped'): Promise<{ file: Buffer; sequences: number; sums: Map<string, Float64Array> }> => {
    const m = load(mode);
    // 24 tokens per batch: several batches, so a group holds many.
    const run = await buildNeuronIndex(m, openCorpus(corpus), { top: 3, maxLength: 16, batchTokens: 24 });
    const file = join(tempDir(), 'examples.jsonl');
    writeExamplesFile(file, run, m.tokenizer);
    const calibration = Array.from({ length: 9 }, (_, i) => randomIds(5 + 3 * i, 20 + i));
    const sums = await inputSumSq(m, calibration, ['blocks.0.ln1.hook_normalized', 'blocks.2.mlp.hook_post'], undefined);
    await m.dispose();
    return { file: readFileSync(file), sequences: run.sequences, sums };
  };
  const r = await index('resident');
  assert.ok(r.sequences > 4, 'several batches of texts');
  for (const mode of ['streaming', 'mapped'] as const) {
    const s = await index(mode);
    assert.ok(s.file.equals(r.file), `${mode}: the same top examples file`);
    for (const [h, v] of r.sums) same(s.sums.get(h)!, v, `${mode} Σx² ${h}`);
  }
});

test('non-finite weights: refused at load when streaming, at the first run that reads them when mapped', async () => {
  const bad = writeTinyModel({ dtype: 'BF16', nLayers: 2, dModel: 32, dMlp: 48, maxPositions: 64, seed: 9 });
  const file = join(bad.dir, 'model.safetensors');
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const h = JSON.parse(buf.subarray(8, 8 + n).toString()) as Record<string, { data_offsets: number[] }>;
  const at = 8 + n + h['model.layers.1.mlp.up_proj.weight']!.data_offsets[0]!;
  buf.writeUInt16LE(0x7fc0, at); // BF16 NaN
  buf.writeUInt16LE(0xff80, at + 6); // BF16 -infinity
  writeFileSync(file, buf);
  const msg = /model\.safetensors: tensor model\.layers\.1\.mlp\.up_proj\.weight has 2 non-finite values \(NaN or infinity\) of 1536/;
  assert.throws(() => LoadedModel.load(bad.dir, { threads: 1, weights: 'streaming' }), msg);
  const m = LoadedModel.load(bad.dir, { threads: 1, weights: 'mapped' });
  const plan = { capture: ['blocks.0.hook_resid_post'], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  await m.run([randomIds(6, 1)], plan); // block 0 only: the bad tensor is not read
  await assert.rejects(m.run([randomIds(6, 1)], { ...plan, capture: ['logits'] }), msg);
  await assert.rejects(m.run([randomIds(6, 1)], { ...plan, capture: ['logits'] }), msg, 'and again on the next read');
  await m.dispose();
});
