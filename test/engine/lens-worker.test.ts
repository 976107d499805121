/**
 * lens/run through the engine process, as the Latent language panel asks for it: with
 * polyglotLens.linearLens set to a `lens fit` folder (relative to the prompt's folder) the result
 * carries the logit lens and the linear lens the panel switches between, each equal to the engine's
 * own lens in this process; a missing folder is one error naming it and the setting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../../src/engine/worker/client';
import { UserError } from '../../src/engine/errors';
import { LoadedModel } from '../../src/engine/model/model';
import { runLens } from '../../src/engine/lens/run';
import { LINEAR_LENS_FILE, readLinearLens } from '../../src/engine/lens/linear';
import { cli, ROOT } from '../helpers/cli';

const PROMPT = 'French: Le chat voit le chien.</s>English:';

test('lens/run with a linear lens folder: the panel gets the logit and the linear lens, each the engine\'s; a missing folder names the setting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lens-worker-'));
  const client = new EngineClient({ workerPath: join(ROOT, 'dist', 'engine-worker.js'), threads: 1, log: () => undefined });
  const m = LoadedModel.load(join(ROOT, 'models', 'default'), { threads: 1 });
  try {
    const fit = cli(['lens', 'fit', '--corpus', 'examples/eval/toyworld/dev.jsonl', '--languages', 'en,fr', '--out', join(dir, 'fit')]);
    assert.equal(fit.code, 0, fit.stderr);
    await client.loadModel(undefined);
    const r = await client.lens({ text: PROMPT, k: 3, linear: 'fit', cwd: dir });
    assert.deepEqual(r.lenses.map((v) => v.kind), ['logit', 'linear']);
    const e = await runLens(m, { text: PROMPT, k: 3, linear: readLinearLens(join(dir, 'fit', LINEAR_LENS_FILE), m) });
    for (const [i, v] of r.lenses.entries()) {
      assert.ok(v.topIds instanceof Int32Array, 'typed arrays cross the process boundary');
      assert.deepEqual([...v.topIds], [...e.lenses[i]!.topIds], `${v.kind} lens top ids`);
      const d = Math.max(...v.topLogp.map((x, j) => Math.abs(x - e.lenses[i]!.topLogp[j]!)));
      assert.ok(d <= 1e-5, `${v.kind} lens log p differs by ${d}`);
    }
    // The two lenses are different readings of the same layers, equal at the last one.
    const T = r.tokens.length;
    const last = (v: (typeof r.lenses)[number]) => [...v.topIds.subarray((r.layers - 1) * T * 3)];
    assert.deepEqual(last(r.lenses[1]!), last(r.lenses[0]!));
    assert.notDeepEqual([...r.lenses[1]!.topIds.subarray(T * 3, 2 * T * 3)], [...r.lenses[0]!.topIds.subarray(T * 3, 2 * T * 3)]);
    await assert.rejects(client.lens({ text: PROMPT, linear: 'no-such-fit', cwd: dir }), (err: Error) => err instanceof UserError && /no-such-fit/.test(err.message) && /polyglotLens\.linearLens/.test(err.message));
  } finally {
    client.dispose();
    await m.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
