/**
 * Pruning on the fused and transposed layouts: Wanda scores each output row of GPT-2's fused
 * c_attn (stored [in, out] as Conv1D) and BLOOM's fused query_key_value (stored [out, in], rows
 * grouped per head) exactly as an independent computation from the raw stored tensors does; the
 * export writes every tensor back in its own name and layout; neuron variants on plain MLPs
 * (masking fc2's input column, a row of GPT-2's stored c_proj) equal run-time deactivation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel, type Variant } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { createNeuronVariant, createVariant, exportPrunedCheckpoint } from '../../src/engine/pruning';
import { readSafetensorsHeader, readTensorF32, readTensorRaw } from '../../src/engine/checkpoint/safetensors';
import { writeTinyGpt, type TinyGptSpec } from '../helpers/tiny-gpt';

const TEXTS = ['the cat in the hat', 'in the hat, the cat!', 'the hat'];

function stored(dir: string, name: string): { shape: number[]; data: Float32Array } {
  const e = readSafetensorsHeader(join(dir, 'model.safetensors')).find((x) => x.name === name);
  assert.ok(e, `${name} in ${dir}`);
  return { shape: e.shape, data: readTensorF32(e) };
}

async function logits(m: LoadedModel, ids: number[], variant?: Variant, deactivate?: Record<number, number[]>): Promise<Float32Array> {
  return (await captureHooks(m, { ids, hooks: ['logits'], variant, deactivate })).logits!.data;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((d, v, i) => Math.max(d, Math.abs(v - b[i]!)), 0);

const FUSED: [string, TinyGptSpec, string, boolean][] = [
  ['gpt2 c_attn (Conv1D [in, out])', { family: 'gpt2', seed: 5, buffers: true }, 'transformer.h.1.attn.c_attn.weight', true],
  ['bloom query_key_value ([out, in], per-head rows)', { family: 'bloom', nHeads: 6, dModel: 48, prefix: false, seed: 6 }, 'h.1.self_attention.query_key_value.weight', false],
];

for (const [what, spec, weight, conv] of FUSED) {
  test(`wanda on ${what}: per-row masks from the raw stored tensor; export writes it back in place`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'pl-prune-fused-'));
    try {
      const tiny = writeTinyGpt(spec, join(work, 'model'));
      const m = LoadedModel.load(tiny.dir, { threads: 1 });
      const seqs = TEXTS.map((t) => m.tokenizer.encode(t));
      const v = await createVariant(m, 'w', { method: 'wanda', sparsity: 0.5, mode: 'oneshot' }, { calibration: { source: 'inline', sequences: seqs } });
      // Independent: s[j] = Σ ln1² over every calibration position; W read as stored.
      const D = m.cfg.dModel;
      const s = new Float64Array(D);
      for (const ids of seqs) {
        const h = (await captureHooks(m, { ids, hooks: ['blocks.1.ln1.hook_normalized'] }))['blocks.1.ln1.hook_normalized']!.data;
        h.forEach((x, i) => (s[i % D]! += x * x));
      }
      const raw = stored(tiny.dir, weight);
      const rows = 3 * D;
      assert.deepEqual(raw.shape, conv ? [D, rows] : [rows, D]);
      const w = (r: number, j: number): number => (conv ? raw.data[j * rows + r]! : raw.data[r * D + j]!);
      const graphName = conv ? weight : `transformer.${weight}`;
      const mask = v.get(graphName)!;
      for (let r = 0; r < rows; r++) {
        const order = Array.from({ length: D }, (_, j) => j).sort((a, b) => Math.abs(w(r, a)) * Math.sqrt(s[a]!) - Math.abs(w(r, b)) * Math.sqrt(s[b]!));
        const dropped = new Set(order.slice(0, Math.floor(D / 2)));
        for (let j = 0; j < D; j++) assert.equal(mask[r * D + j], dropped.has(j) ? 0 : 1, `row ${r} input ${j}`);
      }

      const out = join(work, 'pruned');
      await exportPrunedCheckpoint(m, 'w', out);
      const back = stored(out, weight);
      assert.deepEqual(back.shape, raw.shape);
      for (let r = 0; r < rows; r++) for (let j = 0; j < D; j++) {
        const k = conv ? j * rows + r : r * D + j;
        assert.equal(back.data[k], mask[r * D + j] ? raw.data[k] : 0);
      }
      // Byte masks (GPT-2's U8 attn.bias) are carried over verbatim.
      const masks = (dir: string) => readSafetensorsHeader(join(dir, 'model.safetensors')).filter((e) => e.dtype === 'U8').map((e) => [e.name, Buffer.from(readTensorRaw(e)).toString('base64')]);
      assert.deepEqual(masks(out), masks(tiny.dir));
      if (conv) assert.equal(masks(out).length, tiny.spec.nLayers);
      const reloaded = LoadedModel.load(out, { threads: 1 });
      assert.ok(maxAbsDiff(await logits(reloaded, seqs[0]!), await logits(m, seqs[0]!, v)) < 1e-5);
      await reloaded.dispose();
      await m.dispose();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

for (const family of ['gpt2', 'bloom', 'xglm'] as const) {
  test(`${family}: a neuron variant (fc2 input columns masked) equals run-time deactivation, exported too`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'pl-prune-neurons-'));
    try {
      const tiny = writeTinyGpt({ family, seed: 9 }, join(work, 'model'));
      const m = LoadedModel.load(tiny.dir, { threads: 1 });
      const ids = m.tokenizer.encode(TEXTS[0]!);
      const neurons = { 0: [1, 5, 17], 1: [0, 40] };
      const v = createNeuronVariant(m, 'n', neurons);
      const want = await logits(m, ids, undefined, neurons);
      assert.ok(maxAbsDiff(await logits(m, ids, v), want) < 1e-5);
      assert.ok(maxAbsDiff(await logits(m, ids), want) > 1e-3, 'the neurons matter');
      await exportPrunedCheckpoint(m, 'n', join(work, 'out'));
      const reloaded = LoadedModel.load(join(work, 'out'), { threads: 1 });
      assert.ok(maxAbsDiff(await logits(reloaded, ids), want) < 1e-5);
      await reloaded.dispose();
      await m.dispose();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
