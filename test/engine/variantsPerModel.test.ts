/**
 * Variants belong to their model (issue #26 item 2). The engine holds one model: a request for
 * another unloads the first model's variants, and the next request that names one re-creates it
 * from how it was made (the same masks), instead of failing with `no pruning variant named …
 * (known: none)`. A name never made on a model is an error naming that model's variants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { defaultModelDir } from '../../src/engine/paths';
import { UserError } from '../../src/engine/errors';
import { writeTinyModel } from '../helpers/tiny-model';
import { PrunedVariant } from '../../src/engine/pruning/types';

test('a variant is re-created with the same masks after another model ran; unknown names say whose variants exist', async () => {
  const work = mkdtempSync(join(tmpdir(), 'pl-variants-'));
  const tiny = join(work, 'tiny');
  writeTinyModel({ nLayers: 2, seed: 3 }, tiny);
  const logs: string[] = [];
  const s: EngineState = { threads: 1, cacheDir: join(work, 'cache'), log: (l) => logs.push(l) };
  const o = {};
  const def = defaultModelDir();
  await HANDLERS['engine/load'](s, { dir: def }, o);
  const settings = { method: 'wanda' as const, sparsity: 0.5, calibration: 'mono:en', calibrationSequences: 2, calibrationLength: 32, calibrationShots: 1 };
  await HANDLERS['prune/create'](s, { name: 'w50', settings }, o);
  const masks = new Map([...(s.model!.variants.get('w50') as PrunedVariant)].map(([k, v]) => [k, Uint8Array.from(v)]));
  const dense = await HANDLERS['engine/analyze'](s, { text: 'All human beings', topK: 2, maxNewTokens: 0 }, o);
  const pruned = await HANDLERS['engine/analyze'](s, { text: 'All human beings', topK: 2, maxNewTokens: 0, variant: 'w50' }, o);
  assert.notDeepEqual(Array.from(pruned.topValue), Array.from(dense.topValue));

  // Another model runs in between (as a queued job for another prompt would): the default model is unloaded.
  await HANDLERS['engine/load'](s, { dir: tiny }, o);
  await assert.rejects(HANDLERS['engine/analyze'](s, { text: 'abc', topK: 2, variant: 'w50' }, o),
    (e: Error) => e instanceof UserError && e.message === 'variant: no pruning variant named "w50" for model tiny (its variants: none); variants belong to the model they were made from');
  await HANDLERS['engine/load'](s, { dir: def }, o);
  assert.equal(s.model!.variants.has('w50'), false, 'unloaded with its model');
  const again = await HANDLERS['engine/analyze'](s, { text: 'All human beings', topK: 2, maxNewTokens: 0, variant: 'w50' }, o);
  assert.deepEqual(Array.from(again.topValue), Array.from(pruned.topValue), 'the re-created variant runs as the first one did');
  const remade = s.model!.variants.get('w50')!;
  for (const [k, v] of masks) assert.deepEqual(remade.get(k), v, `mask ${k}`);
  assert.ok(logs.some((l) => /^re-created pruning variant w50 of default in \d+ ms/.test(l)), logs.join('\n'));
  await assert.rejects(HANDLERS['engine/analyze'](s, { text: 'x', topK: 2, variant: 'w20' }, o),
    (e: Error) => e instanceof UserError && /no pruning variant named "w20" for model default \(its variants: w50\)/.test(e.message));
  await s.model!.dispose();
});
