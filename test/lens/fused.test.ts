/**
 * The lens head fused into the forward graph (GraphPlan.lens, model/lensHead.ts) against the
 * stand-alone head graph over the captured residual streams (lens/graph.ts, which
 * reference.test.ts compares with the PyTorch lens): on the default model and a tiny checkpoint of
 * every family (Gemma 2's final soft-cap included), the same top-k ids, log-probabilities, entropy,
 * language mass and target probabilities at every layer and position; inside Analyze's own forward
 * (the continuation's prefill plan) the same lens and an unchanged analysis; and the block-by-block
 * weight modes, which cannot fuse, fall back to the stand-alone head with the same result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { LENS_CHUNK_BYTES, lensFromCapture, prepareLens, runLens } from '../../src/engine/lens/run';
import { lensHooks } from '../../src/engine/hooks';
import { LENS_OUT } from '../../src/engine/model/lensHead';
import { analyzeActivations } from '../../src/engine/analyze';
import { mulberry32 } from '../../src/engine/random';
import type { TensorData } from '../../src/engine/api';
import type { TokenLanguageProfile } from '../../src/engine/lens/profile';
import type { LatentLanguageResult } from '../../src/shared/lens';
import { LENS_CASES, lensCaseDir } from '../reference/lens-cases';

const DEFAULT = join(__dirname, '..', '..', 'models', 'default');

/** A token-language matrix with every row a distribution over 3 languages + unknown (only the lens's GEMV reads it). */
function syntheticProfile(V: number): TokenLanguageProfile {
  const rng = mulberry32(7);
  const C = 4;
  const matrix = new Float32Array(V * C);
  for (let v = 0; v < V; v++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += matrix[v * C + c] = rng();
    for (let c = 0; c < C; c++) matrix[v * C + c]! /= s;
  }
  return { languages: ['en', 'fr', 'ja'], matrix, source: new Uint8Array(V), counts: new Float64Array(0), totals: [0, 0, 0], scripts: [[], [], []], minCount: 1, origin: 'synthetic', vocabSize: V };
}

/** Largest |Δ| of every view's values; top ids must agree exactly. */
function compareLens(a: LatentLanguageResult, b: LatentLanguageResult, where: string): number {
  assert.equal(a.lenses.length, b.lenses.length);
  let worst = 0;
  const close = (x: ArrayLike<number>, y: ArrayLike<number>, what: string, tol: number): void => {
    assert.equal(x.length, y.length, `${where}: ${what} length`);
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]! - y[i]!);
      worst = Math.max(worst, d);
      assert.ok(d <= tol, `${where}: ${what}[${i}] ${x[i]} vs ${y[i]}`);
    }
  };
  a.lenses.forEach((va, i) => {
    const vb = b.lenses[i]!;
    assert.equal(va.kind, vb.kind);
    assert.deepEqual([...va.topIds], [...vb.topIds], `${where}: ${va.kind} lens top ids`);
    close(va.topLogp, vb.topLogp, `${va.kind} top log p`, 1e-5);
    close(va.entropy, vb.entropy, `${va.kind} entropy`, 1e-4);
    close(va.mass, vb.mass, `${va.kind} language mass`, 1e-5);
    assert.equal(va.targets.length, vb.targets.length);
    va.targets.forEach((t, j) => {
      assert.deepEqual(t.ids, vb.targets[j]!.ids);
      close(t.p, vb.targets[j]!.p, `target ${t.text}`, 1e-6);
    });
  });
  assert.deepEqual(a.vocab, b.vocab, `${where}: decoded top tokens`);
  return worst;
}

for (const c of LENS_CASES) {
  test(`${c.name}: the lens head fused into the forward equals the stand-alone head (top-${c.k}, targets, language mass, entropy)`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), `pl-fused-${c.name}-`));
    try {
      const m = LoadedModel.load(lensCaseDir(c, tmp), { threads: 1 });
      assert.ok(m.fusesLensHead, 'resident weights fuse the head');
      const profile = syntheticProfile(m.cfg.vocabSize);
      const req = { text: c.text, k: c.k, targets: c.targets, profile };
      const ids = m.encodeInput(c.text, 'prompt');
      // The fused forward returns the head's reductions and no residual stream.
      const prep = prepareLens(m, req, ids.length);
      assert.ok(prep.fused);
      assert.deepEqual(prep.capture, []);
      const out = await m.run([ids], { capture: [], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [], lens: prep.fused.spec }, { lens: prep.fused.inputs });
      assert.deepEqual(Object.keys(out).sort(), Object.values(LENS_OUT).sort());
      assert.deepEqual(out[LENS_OUT.topLogp]!.dims, [(m.cfg.nLayers + 1) * ids.length, c.k]);
      const fused = await lensFromCapture(m, c.text, ids, out, req, prep);
      const separate = await runLens(m, { ...req, fuse: false });
      const worst = compareLens(fused, separate, c.name);
      // runLens itself takes the fused path here.
      compareLens(await runLens(m, req), fused, `${c.name} runLens`);
      console.log(`# ${c.name}: fused vs stand-alone head, max |Δ| ${worst.toExponential(2)}`);
      await m.dispose();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('default model: Analyze carrying the fused lens head gives the same analysis and the same lens as capture + stand-alone head', async () => {
  const m = LoadedModel.load(DEFAULT, { threads: 1 });
  const profile = syntheticProfile(m.cfg.vocabSize);
  const text = 'French: Le petit chat voit le grand chien.</s>English:';
  const req = { text, topK: 8, maxNewTokens: 6 };
  const lensReq = { k: 10, targets: ['cat', 'chat'], profile };
  // Before: the forward captures the residual streams, the head runs as its own graph.
  let cap: { ids: number[]; out: Record<string, TensorData> } | undefined;
  const a1 = await analyzeActivations(m, { ...req, extraCapture: lensHooks(m.cfg.nLayers) }, {}, (ids, out) => (cap = { ids, out }));
  const separate = await lensFromCapture(m, text, cap!.ids, cap!.out, { ...lensReq, tokens: a1.tokens, fuse: false });
  // Now: the same forward (the continuation's prefill) ends with the lens head.
  const prep = prepareLens(m, lensReq, m.encodeInput(text, 'prompt').length);
  assert.ok(prep.fused);
  let fwd: { ids: number[]; out: Record<string, TensorData> } | undefined;
  const a2 = await analyzeActivations(m, { ...req, extraCapture: prep.capture, lensHead: prep.fused }, {}, (ids, out) => (fwd = { ids, out }));
  assert.ok(fwd!.out[LENS_OUT.topId] && !fwd!.out['blocks.0.hook_resid_pre'], 'the fused forward returns the head, not the residual streams');
  const fused = await lensFromCapture(m, text, fwd!.ids, fwd!.out, { ...lensReq, tokens: a2.tokens }, prep);
  compareLens(fused, separate, 'analyze');
  assert.deepEqual([...a2.topIndex], [...a1.topIndex]);
  assert.deepEqual([...a2.topValue], [...a1.topValue]);
  assert.deepEqual(a2.generated, a1.generated);
  await m.dispose();
});

test('default model: streaming weights cannot fuse the head; the lens falls back to the stand-alone graph and equals the fused one', async () => {
  const resident = LoadedModel.load(DEFAULT, { threads: 1 });
  const streaming = LoadedModel.load(DEFAULT, { threads: 1, weights: 'streaming' });
  assert.ok(resident.fusesLensHead);
  assert.equal(streaming.fusesLensHead, false);
  assert.equal(prepareLens(streaming, {}, 8).fused, undefined);
  const req = { text: 'German: Der Hund schläft.</s>Japanese:', k: 5, targets: ['犬', 'dog'], profile: syntheticProfile(resident.cfg.vocabSize) };
  compareLens(await runLens(streaming, req), await runLens(resident, req), 'streaming vs fused');
  await resident.dispose();
  await streaming.dispose();
});

test('default model: the head is fused only while every row of the prompt fits the stand-alone head\'s chunk bound', async () => {
  const m = LoadedModel.load(DEFAULT, { threads: 1 });
  // (L + 1) · T rows of a [rows, vocab] F32 distribution within LENS_CHUNK_BYTES: 292 tokens on the default model.
  const most = Math.floor(LENS_CHUNK_BYTES / (4 * m.cfg.vocabSize * (m.cfg.nLayers + 1)));
  assert.ok(most >= 64, `the default model fuses prompts of ${most} tokens`);
  assert.ok(prepareLens(m, {}, most).fused);
  const long = prepareLens(m, {}, most + 1);
  assert.equal(long.fused, undefined);
  assert.deepEqual(long.capture, lensHooks(m.cfg.nLayers));
  await m.dispose();
});
