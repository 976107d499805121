/**
 * Every architecture's forward pass against the independent plain-PyTorch reference
 * (test/reference/make_arch_expected.py, written from HF's modeling files) on tiny random
 * checkpoints with the real tensor names: logits at every position, hook_resid_pre, hook_pre and
 * hook_post of the first and last block, generation through the KV cache, and the same weights
 * read from the committed pytorch_model.bin files giving identical logits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { greedyGenerate } from '../../src/engine/generate';
import { pastInput, presentOutput, type GraphPlan } from '../../src/engine/model/plan';
import * as ort from '../../src/engine/onnx/ort';
import { ARCH_CASES, writeArchBinCase, writeArchCase, type ArchCase } from '../reference/arch-cases';

interface Expected {
  ids: number[];
  logits_shape: [number, number];
  logits: number[];
  hooks: Record<string, number[]>;
  greedy: number[];
}
const FIXTURES = join(__dirname, '..', 'fixtures', 'arch');
const expected = (name: string): Expected => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Expected;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// F32 arithmetic in both (F16/BF16 weights are widened exactly); only summation order differs.
const TOL = 1e-4;

/** The case's checkpoint folder; with `bin`, its weights replaced by the committed .bin files. */
function caseDir(c: ArchCase, bin = false): string {
  const dir = mkdtempSync(join(tmpdir(), `pl-arch-${c.name}-`));
  return bin ? writeArchBinCase(c, dir) : writeArchCase(c, dir);
}

async function compare(m: LoadedModel, exp: Expected): Promise<{ logits: Float32Array; deltas: Record<string, number> }> {
  const hooks = ['logits', ...Object.keys(exp.hooks)];
  const out = await captureHooks(m, { ids: exp.ids, hooks });
  assert.deepEqual(out.logits!.dims, exp.logits_shape);
  const deltas: Record<string, number> = { logits: maxAbsDiff(out.logits!.data, exp.logits) };
  for (const h of Object.keys(exp.hooks)) deltas[h] = maxAbsDiff(out[h]!.data, exp.hooks[h]!);
  for (const [h, d] of Object.entries(deltas)) assert.ok(d <= TOL, `${h} differs from the PyTorch reference by ${d}`);
  return { logits: out.logits!.data, deltas };
}

/** Logits of positions from..T-1 fed one token at a time through the KV cache. */
async function kvStepLogits(m: LoadedModel, ids: number[], from: number): Promise<Float32Array[]> {
  const plan: GraphPlan = { capture: ['logits'], stats: [], kvCache: true, lastPositionOnly: true, deactivateLayers: [], maskedWeights: [] };
  const { nLayers, nKvHeads, dHead } = m.cfg;
  let past: Record<string, ort.OrtTensor> = {};
  for (let l = 0; l < nLayers; l++) for (const kv of ['k', 'v'] as const) past[pastInput(l, kv)] = ort.f32(new Float32Array(0), [1, nKvHeads, 0, dHead]);
  const rows: Float32Array[] = [];
  let pastLen = 0;
  let input = ids.slice(0, from);
  while (pastLen + input.length <= ids.length) {
    const out = await m.run([input], plan, { past: { length: pastLen, tensors: past } });
    rows.push(out.logits!.data.slice());
    pastLen += input.length;
    const next: Record<string, ort.OrtTensor> = {};
    for (let l = 0; l < nLayers; l++) for (const kv of ['k', 'v'] as const) next[pastInput(l, kv)] = ort.f32(out[presentOutput(l, kv)]!.data, out[presentOutput(l, kv)]!.dims);
    past = next;
    if (pastLen >= ids.length) break;
    input = [ids[pastLen]!];
  }
  return rows;
}

for (const c of ARCH_CASES) {
  test(`${c.name}: logits, hook_resid_pre, hook_pre, hook_post and KV-cached steps match the PyTorch reference`, async () => {
    const exp = expected(c.name);
    const dir = caseDir(c);
    try {
      const m = LoadedModel.load(dir, { threads: 1 });
      const { deltas } = await compare(m, exp);
      console.log(`# ${c.name}: max |Δ| ${JSON.stringify(deltas)}`);
      // Positions 5..11 one token at a time: the sliding window and soft-capping with a cache.
      const V = exp.logits_shape[1];
      const rows = await kvStepLogits(m, exp.ids, 5);
      rows.forEach((row, i) => {
        const d = maxAbsDiff(row, exp.logits.slice((4 + i) * V, (5 + i) * V));
        assert.ok(d <= TOL, `KV step ${i} logits differ by ${d}`);
      });
      if (exp.greedy.length) {
        const g = await greedyGenerate(m, exp.ids, { maxNewTokens: exp.greedy.length, stopIds: [] });
        assert.deepEqual(g.generatedIds, exp.greedy);
      }
      await m.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  if (c.bin) {
    test(`${c.name}: the same weights as pytorch_model.bin${c.bin.shards > 1 ? ' (sharded)' : ''} give identical logits`, async () => {
      const exp = expected(c.name);
      const stDir = caseDir(c);
      const binDir = caseDir(c, true);
      try {
        const st = LoadedModel.load(stDir, { threads: 1 });
        const bin = LoadedModel.load(binDir, { threads: 1 });
        assert.deepEqual(bin.info.weightFormat, 'pytorch');
        assert.equal(bin.info.dtype, st.info.dtype);
        const a = await compare(st, exp);
        const b = await compare(bin, exp);
        assert.equal(maxAbsDiff(a.logits, b.logits), 0, 'safetensors and pytorch_model.bin logits differ');
        // The .bin files also carry an unknown float tensor and an int64 buffer: warned, ignored.
        assert.equal(bin.info.warnings.length, 1);
        assert.match(bin.info.warnings[0]!, /2 tensors not used by gemma2?: .*extra_unknown\.weight.*position_ids/);
        await st.dispose();
        await bin.dispose();
      } finally {
        rmSync(stDir, { recursive: true, force: true });
        rmSync(binDir, { recursive: true, force: true });
      }
    });
  }
}

test('gemma2 layer_types: the default pattern written out gives the reference logits; all-global layers do not', async () => {
  const c = ARCH_CASES.find((x) => x.name === 'gemma2-window4-softcap-f32')!;
  const exp = expected(c.name);
  const dir = caseDir(c);
  try {
    const cfgFile = join(dir, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(cfgFile, JSON.stringify({ ...cfg, layer_types: ['sliding_attention', 'full_attention', 'sliding_attention'] }));
    const same = LoadedModel.load(dir, { threads: 1 });
    await compare(same, exp);
    await same.dispose();
    writeFileSync(cfgFile, JSON.stringify({ ...cfg, layer_types: ['full_attention', 'full_attention', 'full_attention'] }));
    const global = LoadedModel.load(dir, { threads: 1 });
    const out = await captureHooks(global, { ids: exp.ids, hooks: ['logits'] });
    assert.ok(maxAbsDiff(out.logits!.data, exp.logits) > 1e-2, 'a window shorter than the sequence must change the logits');
    await global.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
