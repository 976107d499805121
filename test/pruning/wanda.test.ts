// Wanda and prog masks from the engine equal the plain reference (reference.ts) on stories260K,
// in both modes; sequential mode re-captures on the partially pruned model in the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { LoadedModel } from '../../src/engine/model/model';
import { createVariant } from '../../src/engine/pruning';
import { CODE_TEXTS, STORIES, TEXTS, diffCount, progCombine, refCalibrated, refLinears, wandaCombine } from './reference';

const skip = existsSync(STORIES) ? false : 'stories260K not found';

function load(): { model: LoadedModel; seqs: number[][]; code: number[][] } {
  const model = LoadedModel.load(STORIES, { threads: 1 });
  return { model, seqs: TEXTS.map((t) => model.tokenizer.encode(t)), code: CODE_TEXTS.map((t) => model.tokenizer.encode(t)) };
}

function assertSameMasks(model: LoadedModel, got: Map<string, Uint8Array>, want: Map<string, Uint8Array>): void {
  for (const l of refLinears(model)) assert.equal(diffCount(got.get(l.name)!, want.get(l.name)!), 0, l.name);
  assert.equal(got.size, want.size);
}

for (const mode of ['sequential', 'oneshot'] as const) {
  test(`wanda ${mode} masks equal the reference, exactly ⌊d_in·s⌋ zeros per row`, { skip }, async () => {
    const { model, seqs } = load();
    const v = await createVariant(model, 'w', { method: 'wanda', sparsity: 0.5, mode }, { calibration: { source: 'inline', sequences: seqs } });
    const want = await refCalibrated(model, { sets: [seqs], combine: wandaCombine, sparsity: 0.5, mode });
    assertSameMasks(model, v, want);
    for (const l of refLinears(model)) {
      const m = v.get(l.name)!;
      for (let r = 0; r < l.rows; r++) {
        let z = 0;
        for (let j = 0; j < l.cols; j++) z += 1 - m[r * l.cols + j]!;
        assert.equal(z, Math.floor(l.cols * 0.5));
      }
    }
    assert.equal(v.info.mode, mode);
    assert.equal(model.variants.get('w'), v);
    await model.dispose();
  });
}

test('sequential and oneshot differ (the later blocks see pruned inputs)', { skip }, async () => {
  const { model, seqs } = load();
  const cal = { calibration: { source: 'inline', sequences: seqs } };
  const a = await createVariant(model, 'a', { method: 'wanda', sparsity: 0.5, mode: 'sequential' }, cal);
  const b = await createVariant(model, 'b', { method: 'wanda', sparsity: 0.5, mode: 'oneshot' }, cal);
  const name0 = 'model.layers.0.self_attn.q_proj.weight';
  const name4 = 'model.layers.4.mlp.down_proj.weight';
  assert.equal(diffCount(a.get(name0)!, b.get(name0)!), 0); // block 0 sees the dense embeddings either way
  assert.ok(diffCount(a.get(name4)!, b.get(name4)!) > 0);
  await model.dispose();
});

test('wanda 2:4 (sequential) and prog (oneshot, 0.3) equal the reference', { skip }, async () => {
  const { model, seqs, code } = load();
  const nm = await createVariant(model, 'nm', { method: 'wanda', sparsity: 0.5, nm: { n: 2, m: 4 } }, { calibration: { source: 'inline', sequences: seqs } });
  assertSameMasks(model, nm, await refCalibrated(model, { sets: [seqs], combine: wandaCombine, sparsity: 0.5, mode: 'sequential', nm: { n: 2, m: 4 } }));
  const prog = await createVariant(model, 'p', { method: 'prog', sparsity: 0.3, mode: 'oneshot' }, {
    translation: { source: 'inline-mt', sequences: seqs },
    code: { source: 'inline-code', sequences: code },
  });
  assertSameMasks(model, prog, await refCalibrated(model, { sets: [seqs, code], combine: progCombine, sparsity: 0.3, mode: 'oneshot' }));
  assert.equal(prog.info.calibration.translation?.source, 'inline-mt');
  assert.equal(prog.info.calibration.code?.source, 'inline-code');
  await model.dispose();
});

test('referenceCompatible: calibration padded to the longest sequence and every padded position counted', { skip }, async () => {
  const { model, seqs } = load();
  const pad = model.tokenizer.padId ?? model.tokenizer.eosId ?? 0;
  const longest = Math.max(...seqs.map((s) => s.length));
  assert.ok(seqs.some((s) => s.length < longest), 'the texts differ in length, so padding matters');
  const padded = seqs.map((s) => [...s, ...new Array<number>(longest - s.length).fill(pad)]);
  const cal = { calibration: { source: 'inline', sequences: seqs } };
  const v = await createVariant(model, 'rc', { method: 'wanda', sparsity: 0.5, mode: 'oneshot', referenceCompatible: true }, cal);
  assertSameMasks(model, v, await refCalibrated(model, { sets: [padded], combine: wandaCombine, sparsity: 0.5, mode: 'oneshot' }));
  // and it is a different selection from the default, which never counts padding
  const plain = await createVariant(model, 'plain', { method: 'wanda', sparsity: 0.5, mode: 'oneshot' }, cal);
  assert.ok(refLinears(model).some((l) => diffCount(plain.get(l.name)!, v.get(l.name)!) > 0));
  assert.equal(v.info.referenceCompatible, true);
  await model.dispose();
});
