/**
 * Calls the engine methods behind the editor's commands and panels (analyze, Prune Model, Compare,
 * Export, Find Language Neurons, deactivation by language, Map Translation Features) on one
 * checkpoint, as the engine process calls them, and checks each result's shape.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import type { ModelInfo } from '../../src/engine/api';

/** `kinds`: the feature-map linear kinds the architecture has (linears sharing an input joined, as "q/k/v"). */
export async function runEditorMethods(work: string, dir: string, text: string, kinds: string[]): Promise<ModelInfo> {
  const s: EngineState = { threads: 1, cacheDir: join(work, 'cache'), log: () => {} };
  const o = {};
  try {
    const info = await HANDLERS['engine/load'](s, { dir }, o);
    const L = info.nLayers;

    const a = await HANDLERS['engine/analyze'](s, { text, topK: 3 }, o);
    assert.equal(a.topIndex.length, a.tokens.length * L * 3);

    const created = await HANDLERS['prune/create'](s, { name: 'w50', settings: { method: 'wanda', sparsity: 0.5, calibration: 'mono:en', calibrationSequences: 2, calibrationLength: 48, calibrationShots: 1 } }, o);
    assert.ok(Math.abs(created.achievedSparsity - 0.5) < 0.01, `achieved ${created.achievedSparsity}`);
    const cmp = await HANDLERS['prune/compare'](s, { text, variant: 'w50', maxNewTokens: 3 }, o);
    assert.equal(cmp.layerChange.length, L);
    const ex = await HANDLERS['prune/export'](s, { variant: 'w50', outDir: join(work, 'pruned') }, o);
    assert.ok(existsSync(join(ex.outDir, 'model.safetensors')));

    const lape = await HANDLERS['lape/run'](s, { corpus: 'udhr:en,fr', maxTokensPerLang: 200 }, o);
    assert.deepEqual(lape.languages, ['en', 'fr']);
    assert.equal(lape.neurons[0]!.length, L);
    const byLang = await HANDLERS['engine/generate'](s, { ids: a.tokens.map((t) => t.id), maxNewTokens: 3, deactivate: { language: 'fr' } }, o);
    assert.equal(byLang.generatedIds.length, 3);

    const f = await HANDLERS['features/run'](s, { calibrations: [{ name: 'en', source: 'mono:en' }, { name: 'fr', source: 'mono:fr' }, { name: 'en-fr', source: 'mt:en-fr' }], sequences: 2, length: 48, shots: 1 }, o);
    assert.deepEqual(f.overlapSecond?.kinds, kinds, 'the linear-input overlap map covers every kind');
    assert.equal(f.scatter?.layers.length, L * kinds.length);
    return info;
  } finally {
    await s.model?.dispose();
  }
}
