/** prune/*, lape/run, features/run and deactivation by language, called as the engine process calls them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { parseCalibrationSource } from '../../src/shared/calibrationSource';
import { UserError } from '../../src/engine/errors';
import { sharedModel, skipWithoutModel } from '../helpers/shared';

test('calibration sources: one parser for prompts, CLI and engine (udhr:LANG is UDHR monolingual text, + mixes)', () => {
  const parts = (s: string) => { const r = parseCalibrationSource(s); return r.ok ? r.parts.map((p) => p.text) : r.error; };
  assert.deepEqual(parts('udhr:de'), ['udhr:de']);
  assert.deepEqual(parts('udhr:en,fr'), ['udhr:en', 'udhr:fr']);
  assert.deepEqual(parts('mt:en-de+mt:de-en'), ['mt:en-de', 'mt:de-en']);
  assert.deepEqual(parts('code:**/*.py'), ['code:**/*.py']);
  assert.deepEqual(parts('texts.jsonl + mono:fr'), ['texts.jsonl', 'mono:fr']);
  assert.match(parts('mt:fr') as string, /expected mt:SRC-TGT/);
  assert.match(parts('udhr:eng') as string, /unknown language code "eng"/);
  assert.match(parts('mt:fr-en+mt:fr-en') as string, /listed twice/);
});

test('engine methods: variants, compare, LAPE cache and deactivation by language', { skip: skipWithoutModel('stories260K') }, async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  const out = mkdtempSync(join(tmpdir(), 'pl-export-'));
  const o = {};
  try {
    const dir = sharedModel('stories260K')!;
    await HANDLERS['engine/load'](s, { dir }, o);

    // Deactivation by language before any LAPE run names the command to run.
    await assert.rejects(HANDLERS['engine/analyze'](s, { text: 'Once upon a time', deactivate: { language: 'fr' } }, o),
      (e: Error) => e instanceof UserError && /run Polyglot Lens: Find Language Neurons first/.test(e.message));

    const fractions: number[] = [];
    const created = await HANDLERS['prune/create'](s, { name: 'mag30', settings: { method: 'magnitude', sparsity: 0.3 } }, { onProgress: (p) => fractions.push(p.fraction) });
    assert.equal(created.reused, false);
    assert.equal(created.method, 'magnitude');
    assert.ok(Math.abs(created.achievedSparsity - 0.3) < 0.01, `achieved ${created.achievedSparsity}`);
    assert.equal((await HANDLERS['prune/create'](s, { name: 'mag30', settings: { method: 'magnitude', sparsity: 0.3 } }, o)).reused, true);
    assert.deepEqual((await HANDLERS['prune/list'](s, {}, o)).map((v) => v.name), ['mag30']);

    const cmp = await HANDLERS['prune/compare'](s, { text: 'Once upon a time', variant: 'mag30', maxNewTokens: 6 }, o);
    assert.equal(cmp.a.label, 'dense');
    assert.equal(cmp.b.label, 'mag30');
    assert.equal(cmp.a.text, ', there was a little girl'.slice(0, cmp.a.text.length));
    assert.equal(cmp.layerChange.length, 5);
    assert.ok(cmp.layerChange[0]! > 0, 'pruning moves layer 0 activations');
    assert.equal(cmp.a.topNext.length, 10);

    // Export refuses the source model's folder, writes elsewhere.
    await assert.rejects(HANDLERS['prune/export'](s, { variant: 'mag30', outDir: join(dir, 'pruned') }, o), /source model's folder/);
    const ex = await HANDLERS['prune/export'](s, { variant: 'mag30', outDir: join(out, 'm') }, o);
    assert.equal(JSON.parse(readFileSync(join(ex.outDir, 'pruning.json'), 'utf8')).method, 'magnitude');
    await assert.rejects(HANDLERS['prune/export'](s, { variant: 'mag30', outDir: join(out, 'm') }, o), /already exists/);
    await HANDLERS['prune/export'](s, { variant: 'mag30', outDir: join(out, 'm'), overwrite: true }, o);

    const lape = await HANDLERS['lape/run'](s, { corpus: 'udhr:en,fr', maxTokensPerLang: 300 }, o);
    assert.equal(lape.cached, false);
    assert.deepEqual(lape.languages, ['en', 'fr']);
    assert.deepEqual(lape.tokenCounts, [300, 300]);
    const again = await HANDLERS['lape/run'](s, { corpus: 'udhr:en,fr', maxTokensPerLang: 300 }, o);
    assert.equal(again.cached, true);

    // { language } resolves to the cached run's neurons: the same outputs as the explicit mask.
    const frMask = Object.fromEntries(lape.neurons[1]!.map((js, l) => [l, js] as const).filter(([, js]) => js.length > 0));
    const byLang = await HANDLERS['engine/generate'](s, { ids: [1, 403, 407, 261, 378], maxNewTokens: 5, deactivate: { language: 'fr' } }, o);
    const byMask = await HANDLERS['engine/generate'](s, { ids: [1, 403, 407, 261, 378], maxNewTokens: 5, deactivate: frMask }, o);
    assert.deepEqual(byLang.generatedIds, byMask.generatedIds);
    await assert.rejects(HANDLERS['engine/generate'](s, { ids: [1], maxNewTokens: 1, deactivate: { language: 'ja' } }, o), /ja is not in the last Find Language Neurons run \(it has en, fr\)/);
  } finally {
    await s.model?.dispose();
    rmSync(out, { recursive: true, force: true });
    rmSync(s.cacheDir, { recursive: true, force: true });
  }
});
