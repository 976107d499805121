/**
 * The logit lens against the independent plain-PyTorch lens (test/reference/lens_reference.py) on
 * the default model and a tiny checkpoint of every family: at every layer (0 = embeddings … L) and
 * position the top-k token ids and log-probabilities, and each target string's ids and
 * log-probability, within 1e-4; and the last layer against the model's own logits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { lensFromCapture } from '../../src/engine/lens/run';
import { lensPlan } from '../../src/engine/lens/hidden';
import { LENS_CASES, LENS_FIXTURES, lensCaseDir } from '../reference/lens-cases';
import { compareTopK, TOL } from './helpers';

interface Expected {
  ids: number[];
  k: number;
  layers: number;
  top_ids: number[][][];
  top_logp: number[][][];
  targets: { text: string; ids: number[]; logp: number[][] }[];
}

for (const c of LENS_CASES) {
  test(`${c.name}: every layer's logit lens (top-${c.k}, targets) matches the PyTorch reference; the last layer is the logits`, async () => {
    const exp = JSON.parse(readFileSync(join(LENS_FIXTURES, `${c.name}.json`), 'utf8')) as Expected;
    const tmp = mkdtempSync(join(tmpdir(), `pl-lens-${c.name}-`));
    try {
      const m = LoadedModel.load(lensCaseDir(c, tmp), { threads: 1 });
      const T = exp.ids.length;
      const out = await m.run([exp.ids], lensPlan(m.cfg.nLayers, ['logits']));
      const r = await lensFromCapture(m, c.text, exp.ids, out, { k: exp.k, targets: c.targets });
      assert.equal(r.layers, exp.layers);
      const v = r.lenses[0]!;
      let top = 0;
      for (let l = 0; l < r.layers; l++) {
        for (let t = 0; t < T; t++) {
          const at = (l * T + t) * exp.k;
          top = Math.max(top, compareTopK(v.topIds.subarray(at, at + exp.k), v.topLogp.subarray(at, at + exp.k), exp.top_ids[l]![t]!, exp.top_logp[l]![t]!, `layer ${l} position ${t}`));
        }
      }
      let tgt = 0;
      v.targets.forEach((target, i) => {
        const e = exp.targets[i]!;
        assert.deepEqual([...target.ids].sort((a, b) => a - b), e.ids, `ids counted for ${e.text}`);
        for (let l = 0; l < r.layers; l++) {
          for (let t = 0; t < T; t++) {
            const d = Math.abs(Math.log(target.p[l * T + t]!) - e.logp[l]![t]!);
            tgt = Math.max(tgt, d);
            assert.ok(d <= TOL, `${e.text} at layer ${l} position ${t}: log p ${Math.log(target.p[l * T + t]!)} vs ${e.logp[l]![t]}`);
          }
        }
      });
      // The last layer through the lens is the model's own next-token distribution.
      const V = m.cfg.vocabSize;
      const logits = out.logits!.data;
      let last = 0;
      for (let t = 0; t < T; t++) {
        const row = logits.subarray(t * V, (t + 1) * V);
        let max = -Infinity;
        for (const x of row) max = Math.max(max, x);
        let z = 0;
        for (const x of row) z += Math.exp(x - max);
        const at = ((r.layers - 1) * T + t) * exp.k;
        for (let j = 0; j < exp.k; j++) {
          const id = v.topIds[at + j]!;
          last = Math.max(last, Math.abs(v.topLogp[at + j]! - (row[id]! - max - Math.log(z))));
          if (j > 0) assert.ok(row[id]! <= row[v.topIds[at + j - 1]!]!, 'lens order differs from the logits');
        }
      }
      assert.ok(last <= 1e-5, `last layer differs from log-softmax(logits) by ${last}`);
      console.log(`# ${c.name}: max |Δ log p| top-k ${top.toExponential(2)}, targets ${tgt.toExponential(2)}, last layer vs logits ${last.toExponential(2)}`);
      await m.dispose();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
