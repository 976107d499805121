/**
 * GPT-2 (mGPT), BLOOM and XGLM against the independent plain-PyTorch reference
 * (test/reference/gpt_family_reference.py, written from Hugging Face's modeling files): logits,
 * hook_resid_pre / hook_pre / hook_post of every layer, layer 0's ln1 / hook_z / ln2, the final
 * norm, and greedy tokens (engine: KV cache; reference: full recomputation), on tiny checkpoints
 * in the real names and layouts (biases, tied/untied heads, shards, F16/BF16, prefixed and not,
 * BLOOM with 6 heads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { greedyGenerate } from '../../src/engine/generate';
import { scoreDistribution } from '../../src/engine/studies/scoreRange';
import { readSafetensorsHeader, readTensorF32, writeSafetensors, type SafetensorsDType } from '../../src/engine/checkpoint/safetensors';
import { directLogprob } from '../studies/direct';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { FIXTURE_DIR, GPT_CASES, ONE_PER_FAMILY } from '../reference/gpt-family-cases';

interface Expected {
  ids: number[];
  logits_shape: [number, number];
  logits: number[];
  hooks: Record<string, number[]>;
  greedy: number[];
}

const F32_TOL = 1e-4;
// Half-precision weights are widened to F32 on both sides, so the same tolerance holds.
const expected = (name: string): Expected => JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Expected;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

for (const c of GPT_CASES) {
  test(`${c.name}: logits, hooks and greedy tokens match the PyTorch reference`, async (t) => {
    const exp = expected(c.name);
    const tiny = writeTinyGpt(c.spec);
    try {
      const m = LoadedModel.load(tiny.dir, { threads: 1 });
      assert.deepEqual(m.tokenizer.encode(c.text), exp.ids, 'the tokenizer gives the ids the reference ran on');
      const hooks = ['logits', ...Object.keys(exp.hooks)];
      const out = await captureHooks(m, { ids: exp.ids, hooks });
      assert.deepEqual(out.logits!.dims, exp.logits_shape);
      const deltas: Record<string, number> = { logits: maxAbsDiff(out.logits!.data, exp.logits) };
      for (const h of Object.keys(exp.hooks)) deltas[h] = maxAbsDiff(out[h]!.data, exp.hooks[h]!);
      const worst = Math.max(...Object.entries(deltas).filter(([h]) => h !== 'logits').map(([, d]) => d));
      t.diagnostic(`max |Δ| logits ${deltas.logits!.toExponential(2)}, hooks ${worst.toExponential(2)}`);
      for (const [h, d] of Object.entries(deltas)) assert.ok(d <= F32_TOL, `${h}: max |Δ| ${d}`);
      const g = await greedyGenerate(m, exp.ids, { maxNewTokens: c.greedyNewTokens });
      assert.deepEqual(g.generatedIds, exp.greedy, 'KV-cache greedy tokens');
      await m.dispose();
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  });
}

test('right-padded batches: positions and ALiBi restart per sequence, padding is never counted', async () => {
  for (const c of ONE_PER_FAMILY) {
    const exp = expected(c.name);
    const tiny = writeTinyGpt(c.spec);
    try {
      const m = LoadedModel.load(tiny.dir, { threads: 1 });
      const short = exp.ids.slice(0, 3);
      const plan = { capture: ['blocks.1.mlp.hook_post'], stats: [{ hook: 'blocks.0.mlp.hook_pre', kind: 'countPos' as const }], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
      const both = await m.run([exp.ids, short], plan);
      const F = m.cfg.dMlp;
      const T = exp.ids.length;
      // Causal: the short sequence's rows equal the long one's first rows, from the reference.
      const want = exp.hooks['blocks.1.mlp.hook_post']!;
      assert.ok(maxAbsDiff(both['blocks.1.mlp.hook_post']!.data.subarray(T * F, (T + 3) * F), want.slice(0, 3 * F)) <= F32_TOL, c.name);
      const pre = exp.hooks['blocks.0.mlp.hook_pre']!;
      const counts = new Array<number>(F).fill(0);
      for (let r = 0; r < T + 3; r++) for (let j = 0; j < F; j++) if (pre[(r % T) * F + j]! > 0 && (r < T || r - T < 3)) counts[j]!++;
      const got = Array.from(both['stat:countPos:blocks.0.mlp.hook_pre']!.data);
      // Values within float noise of 0 could flip; the random weights keep them far from it.
      assert.deepEqual(got, counts, c.name);
      await m.dispose();
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  }
});

test('bad checkpoints: one clear error naming the file and the problem', () => {
  const cases: [string, Parameters<typeof writeTinyGpt>[0], (dir: string) => void, RegExp][] = [
    ['unsupported activation', { family: 'gpt2', act: 'relu' }, () => undefined, /config\.json: activation_function relu is not supported/],
    ['non-power-of-two BLOOM is fine but heads must divide the width', { family: 'bloom', dModel: 32, nHeads: 6 }, () => undefined, /config\.json: hidden size 32 must be a multiple of the number of heads 6/],
    [
      'a missing tensor is named',
      { family: 'gpt2', prefix: false },
      (dir) => {
        const f = join(dir, 'model.safetensors');
        const kept = readSafetensorsHeader(f).filter((e) => e.name !== 'h.1.mlp.c_fc.weight');
        writeSafetensors(f, kept.map((e) => ({ name: e.name, dtype: e.dtype as SafetensorsDType, shape: e.shape, data: readTensorF32(e) })));
      },
      /tensor h\.1\.mlp\.c_fc\.weight not found in the safetensors files/,
    ],
    [
      'a Conv1D weight stored as a Linear one ([out, in]) is a shape error, not a silent transpose',
      { family: 'gpt2', prefix: false },
      (dir) => {
        const f = join(dir, 'model.safetensors');
        const all = readSafetensorsHeader(f).map((e) => ({ name: e.name, dtype: e.dtype as SafetensorsDType, shape: e.name === 'h.0.attn.c_attn.weight' ? [e.shape[1]!, e.shape[0]!] : e.shape, data: readTensorF32(e) }));
        writeSafetensors(f, all);
      },
      /model\.safetensors: tensor h\.0\.attn\.c_attn\.weight has shape \[96, 32\] but config\.json implies \[32, 96\]/,
    ],
    [
      'a tokenizer larger than the embedding',
      { family: 'xglm' },
      (dir) => {
        const tok = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { added_tokens: object[]; model: { vocab: unknown[] } };
        const n = tok.model.vocab.length;
        for (let k = 0; k < 5; k++) tok.added_tokens.push({ id: n + k, content: `<extra_${k}>`, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
        writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok));
      },
      /tokenizer\.json: tokenizer has 84 tokens but config\.json vocab_size is 82/,
    ],
  ];
  for (const [what, spec, spoil, message] of cases) {
    const tiny = writeTinyGpt(spec);
    try {
      spoil(tiny.dir);
      assert.throws(() => LoadedModel.load(tiny.dir), (e: Error) => message.test(e.message) && !e.message.includes('\n'), what);
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  }
});

test('score distributions over a cached prefix (batched continuations) equal full forwards', async () => {
  for (const c of ONE_PER_FAMILY) {
    const tiny = writeTinyGpt({ ...c.spec, maxPositions: 128 });
    try {
      const m = LoadedModel.load(tiny.dir, { threads: 1 });
      const prompt = 'the cat in the hat, from 1 to 100: ';
      const d = await scoreDistribution(m, prompt, { min: 1, max: 100 });
      assert.ok(d.tokens.some((t) => t.length > 1), `${c.name}: multi-token scores take the batched path`);
      for (const s of [1, 9, 10, 42, 100]) {
        const want = await directLogprob(m, prompt, s);
        assert.ok(Math.abs(d.logprobs[s - 1]! - want) < 1e-4, `${c.name} score ${s}: ${d.logprobs[s - 1]} vs ${want}`);
      }
      await m.dispose();
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  }
});
