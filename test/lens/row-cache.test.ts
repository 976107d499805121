/**
 * The lens's store of recurring rows (lens/rowCache.ts): a lens read partly from remembered rows
 * equals the same lens computed afresh, bit for bit, on the default model (rotary: layer 0 is the
 * token's embedding) and on GPT-2 (learned positions: layer 0 differs by position); another model
 * with the same embeddings but another head never sees the first model's rows; another request
 * (top-k, targets, profile) files its rows apart; a full store starts over within its budget.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { lensFromCapture } from '../../src/engine/lens/run';
import { lensPlan } from '../../src/engine/lens/hidden';
import { LensRowCache, lensRowCache } from '../../src/engine/lens/rowCache';
import { countTokenLanguages } from '../../src/engine/lens/profile';
import { openCorpus } from '../../src/engine/corpus/open';
import { readSafetensorsHeader, readTensorF32, writeSafetensors } from '../../src/engine/checkpoint/safetensors';
import type { LatentLanguageResult } from '../../src/shared/lens';
import type { TokenLanguageProfile } from '../../src/engine/lens/profile';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { gptCase } from '../reference/gpt-family-cases';

const ROOT = join(__dirname, '..', '..');
const DEFAULT = join(ROOT, 'models', 'default');
const DEV = join(ROOT, 'examples', 'eval', 'toyworld', 'dev.jsonl');

async function lens(m: LoadedModel, text: string, o: { k?: number; targets?: string[]; profile?: TokenLanguageProfile } = {}): Promise<LatentLanguageResult> {
  const ids = m.encodeInput(text, 'prompt');
  const out = await m.run([ids], lensPlan(m.cfg.nLayers));
  return lensFromCapture(m, text, ids, out, { k: o.k ?? 5, targets: o.targets, profile: o.profile });
}

/** Hits and misses of one call. */
async function counted<T>(m: LoadedModel, job: () => Promise<T>): Promise<{ r: T; hits: number; misses: number }> {
  const c = lensRowCache(m);
  const [h, s] = [c.hits, c.misses];
  const r = await job();
  return { r, hits: c.hits - h, misses: c.misses - s };
}

test('a lens read partly from remembered rows equals the lens computed afresh, bit for bit (default model: layer 0 and position 0 recur)', async () => {
  const m = LoadedModel.load(DEFAULT, { threads: 1 });
  const profile = await countTokenLanguages(m, openCorpus(DEV), { languages: ['en', 'fr', 'ja'] });
  const o = { k: 5, targets: ['chat', 'cat'], profile };
  const a = 'French: le chat voit le chien.</s>English:';
  const b = 'French: le chien voit le chat.</s>Japanese:';
  const first = await counted(m, () => lens(m, a, o));
  const T = first.r.tokens.length;
  // "le" twice, BOS first: fewer distinct recurring rows than the T + L of layer 0 and position 0.
  assert.equal(first.hits, 0);
  const again = await counted(m, () => lens(m, a, o));
  assert.equal(again.hits, T + first.r.layers - 1, 'every layer-0 and position-0 row of the same prompt is remembered');
  assert.deepEqual(again.r, first.r);
  // Another prompt with shared tokens: its layer-0 rows of those tokens and its whole BOS column come from the store.
  const warm = await counted(m, () => lens(m, b, o));
  assert.ok(warm.hits > first.r.layers, `only ${warm.hits} rows were remembered`);
  lensRowCache(m).clear();
  const fresh = await counted(m, () => lens(m, b, o));
  assert.equal(fresh.hits, 0);
  assert.deepEqual(warm.r, fresh.r);
  // Another request of the same model files its rows apart: top-3 never sees the top-5 rows, nor one target the two.
  for (const req of [{ ...o, k: 3 }, { ...o, targets: ['chat'] }]) {
    const other = await counted(m, () => lens(m, b, req));
    assert.equal(other.hits, 0);
    assert.deepEqual(other.r.lenses, (await lens(LoadedModel.load(DEFAULT, { threads: 1 }), b, req)).lenses);
  }
  await m.dispose();
});

test('another model with the same embeddings but another head never sees the first model\'s rows', async () => {
  // The default model with its final norm doubled: identical layer-0 rows, another distribution.
  const dir = mkdtempSync(join(tmpdir(), 'pl-rowcache-'));
  try {
    for (const f of readdirSync(DEFAULT)) if (f !== 'model.safetensors') copyFileSync(join(DEFAULT, f), join(dir, f));
    writeSafetensors(
      join(dir, 'model.safetensors'),
      readSafetensorsHeader(join(DEFAULT, 'model.safetensors')).map((e) => {
        const data = readTensorF32(e);
        if (e.name === 'model.norm.weight') data.forEach((x, i) => (data[i] = 2 * x));
        return { name: e.name, dtype: 'F32' as const, shape: e.shape, data };
      }),
    );
    const a = LoadedModel.load(DEFAULT, { threads: 1 });
    const b = LoadedModel.load(dir, { threads: 1 });
    const text = 'English: the cat sees the dog.</s>French:';
    const ra = await lens(a, text);
    const rb = await counted(b, () => lens(b, text));
    assert.equal(rb.hits, 0, 'model b was handed model a\'s rows');
    const T = ra.tokens.length;
    assert.notDeepEqual(rb.r.lenses[0]!.topLogp.slice(0, T * 5), ra.lenses[0]!.topLogp.slice(0, T * 5), 'the heads differ at layer 0, so sharing would show');
    const rbFresh = await lens(LoadedModel.load(dir, { threads: 1 }), text);
    assert.deepEqual(rb.r.lenses, rbFresh.lenses);
    await a.dispose();
    await b.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GPT-2 (learned positions): a token repeated at another position is another row, and the warm lens equals the cold one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-rowcache-gpt2-'));
  try {
    writeTinyGpt(gptCase('gpt2-prefixed-tied-f32').spec, dir);
    const m = LoadedModel.load(dir, { threads: 1 });
    const text = 'the cat in the hat, the cat';
    const first = await lens(m, text);
    const ids = first.tokens.map((t) => t.id);
    const i = ids.findIndex((id, j) => ids.indexOf(id) !== j);
    const j = ids.indexOf(ids[i]!);
    assert.ok(i > 0, 'the prompt repeats a token');
    const k = first.k;
    const layer0 = (r: LatentLanguageResult, t: number): number[] => [...r.lenses[0]!.topLogp.subarray(t * k, (t + 1) * k)];
    // The position embedding makes the two layer-0 rows differ, so their lenses differ too: not one remembered row.
    assert.notDeepEqual(layer0(first, i), layer0(first, j));
    const again = await counted(m, () => lens(m, text));
    assert.equal(again.hits, first.tokens.length + first.layers - 1);
    assert.deepEqual(again.r, first);
    await m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a full store starts over: it never holds more than its budget, and a row it forgot is a miss, not a wrong hit', () => {
  const D = 64;
  const row = (seed: number): Float32Array => Float32Array.from({ length: D }, (_, i) => Math.sin(seed * 100 + i));
  const result = (seed: number) => ({ topIds: Int32Array.of(seed), topLogp: Float32Array.of(-seed), entropy: Float32Array.of(seed), mass: new Float32Array(0), idLogp: new Float32Array(0) });
  const perEntry = 4 * (D + 3) + 64;
  const c = new LensRowCache(3 * perEntry);
  const file = (spec: string, r: Float32Array, seed: number): void => c.setRows(spec, [{ row: r, layerKey: -1, at: 0 }], result(seed));
  for (let s = 1; s <= 3; s++) file('spec', row(s), s);
  assert.equal(c.get('spec', row(2), -1)?.entropy, 2);
  assert.equal(c.get('spec', row(2), 0), undefined, 'another layer key is another row');
  assert.equal(c.get('other', row(2), -1), undefined, 'another spec is another store');
  file('spec', row(4), 4);
  assert.equal(c.get('spec', row(1), -1), undefined);
  assert.equal(c.get('spec', row(4), -1)?.topIds[0], 4);
  // A row that differs in one bit (−0 against 0) is another row.
  const z = row(5);
  z[0] = 0;
  file('spec', z, 5);
  const negZero = Float32Array.from(z);
  negZero[0] = -0;
  assert.equal(c.get('spec', negZero, -1), undefined);
  assert.equal(c.get('spec', z, -1)?.entropy, 5);
});
