/**
 * The linear lens (Din et al.) against numpy's least squares on the same corpus positions
 * (test/reference/lens_reference.py): positions counted, R² per layer, corpus rows mapped by every
 * layer's A and b, and the linear lens's top-k on a prompt; the file round-trips and is refused for
 * another model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { openCorpus } from '../../src/engine/corpus/open';
import { fitLinearLens, readLinearLens, writeLinearLens, type LinearLens } from '../../src/engine/lens/linear';
import { lensFromCapture } from '../../src/engine/lens/run';
import { lensPlan } from '../../src/engine/lens/hidden';
import { FIT_CASES, LENS_CASES, LENS_FIXTURES, lensCaseDir, REPO_ROOT } from '../reference/lens-cases';
import { compareTopK } from './helpers';

interface ExpectedFit {
  positions: number;
  r2: number[];
  ranks: number[];
  probes: { rows: number[][]; mapped: number[][] }[];
  ids: number[];
  k: number;
  top_ids: number[][][];
  top_logp: number[][][];
}

/** Rows × A + b with the engine's map of one layer. */
function mapRows(lens: LinearLens, layer: number, rows: number[][]): number[][] {
  const A = lens.maps[layer]!, b = lens.biases[layer]!;
  const D = b.length;
  return rows.map((x) => Array.from({ length: D }, (_, j) => x.reduce((s, xi, i) => s + xi * A[i * D + j]!, b[j]!)));
}

for (const f of FIT_CASES) {
  test(`${f.name}: the linear lens fitted by streaming normal equations matches numpy's lstsq`, async () => {
    const exp = JSON.parse(readFileSync(join(LENS_FIXTURES, `${f.name}.json`), 'utf8')) as ExpectedFit;
    const c = LENS_CASES.find((x) => x.name === f.lens)!;
    const tmp = mkdtempSync(join(tmpdir(), `pl-${f.name}-`));
    try {
      const m = LoadedModel.load(lensCaseDir(c, join(tmp, 'model')), { threads: 1 });
      const lens = await fitLinearLens(m, openCorpus(join(REPO_ROOT, f.corpus)), { languages: f.languages });
      assert.equal(lens.positions, exp.positions);
      assert.deepEqual(lens.ranks, exp.ranks);
      const dr2 = Math.max(...lens.r2.map((r, l) => Math.abs(r - exp.r2[l]!)));
      assert.ok(dr2 <= 1e-4, `R² differs by ${dr2}`);
      let mapped = 0;
      exp.probes.forEach((p, l) => {
        const scale = Math.max(1, ...p.mapped.flat().map(Math.abs));
        mapRows(lens, l, p.rows).forEach((row, i) => row.forEach((v, j) => (mapped = Math.max(mapped, Math.abs(v - p.mapped[i]![j]!) / scale))));
      });
      assert.ok(mapped <= 1e-4, `mapped rows differ by ${mapped} (relative to the largest)`);
      const T = exp.ids.length;
      const out = await m.run([exp.ids], lensPlan(m.cfg.nLayers));
      const r = await lensFromCapture(m, c.text, exp.ids, out, { k: exp.k, linear: lens });
      const v = r.lenses[1]!;
      assert.equal(v.kind, 'linear');
      let top = 0;
      for (let l = 0; l < r.layers; l++) {
        for (let t = 0; t < T; t++) {
          const at = (l * T + t) * exp.k;
          top = Math.max(top, compareTopK(v.topIds.subarray(at, at + exp.k), v.topLogp.subarray(at, at + exp.k), exp.top_ids[l]![t]!, exp.top_logp[l]![t]!, `linear lens layer ${l} position ${t}`, f.lensTol));
        }
      }
      // The last layer's map is the identity: both lenses end at the logits.
      const last = (r.layers - 1) * T * exp.k;
      assert.deepEqual([...v.topIds.subarray(last)], [...r.lenses[0]!.topIds.subarray(last)]);
      console.log(`# ${f.name}: ${lens.positions} positions, max |Δ R²| ${dr2.toExponential(2)}, mapped rows ${mapped.toExponential(2)} (relative), linear-lens log p ${top.toExponential(2)}; ranks ${lens.ranks.join(' ')}; R² ${lens.r2.map((x) => x.toFixed(3)).join(' ')}`);

      const file = join(tmp, 'linear-lens.safetensors');
      writeLinearLens(file, m, lens);
      const back = readLinearLens(file, m);
      assert.deepEqual(back.maps[0], lens.maps[0]);
      assert.deepEqual(back.r2, lens.r2);
      await m.dispose();
      if (c.source.kind !== 'default') {
        const other = LoadedModel.load(join(REPO_ROOT, 'models', 'default'), { threads: 1 });
        assert.throws(() => readLinearLens(file, other), /was fitted for .*, not this version of default/);
        await other.dispose();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
