// `neurons impact` wires the perplexity-impact matrix (engine/lape/perplexityImpact.ts, checked
// against its reference in test/lape/perplexity.test.ts) to the CLI: same numbers in
// impact.json, the long impact.csv, the two-word command dispatch, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';
import { LoadedModel } from '../../src/engine/model/model';
import { openCorpus } from '../../src/engine/corpus/open';
import { perplexityImpact } from '../../src/engine/lape/perplexityImpact';
import type { LapeJson } from '../../src/engine/lape/files';

test('neurons impact: impact.json and impact.csv hold the engine matrix', async () => {
  const tiny = writeTinyModel({ seed: 8 });
  const tmp = mkdtempSync(join(tmpdir(), 'pl-impact-'));
  const lape: LapeJson = { languages: ['en', 'fr'], neurons: { en: [[1, 2], []], fr: [[], [3, 4, 5]] }, bar: 0.5, entropyThreshold: 0.1 };
  writeFileSync(join(tmp, 'lape.json'), JSON.stringify(lape));
  const corpus = join(tmp, 'c.jsonl');
  writeFileSync(corpus, ['{"lang":"en","text":"the cat sat"}', '{"lang":"fr","text":"le chat dort"}', '{"lang":"en","text":"on the mat today"}'].join('\n') + '\n');
  const out = join(tmp, 'impact');
  const r = cli(['neurons', 'impact', '--model', tiny.dir, '--lape', join(tmp, 'lape.json'), '--corpus', corpus, '--out', out, '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { deactivated: string[]; neuronCounts: number[] };
  assert.deepEqual(printed.deactivated, ['en', 'fr']);
  assert.deepEqual(printed.neuronCounts, [2, 3]);
  const json = JSON.parse(readFileSync(join(out, 'impact.json'), 'utf8')) as { delta: number[][]; dense: number[] };
  const model = LoadedModel.load(tiny.dir, { threads: 1 });
  const want = await perplexityImpact(model, openCorpus(corpus), lape);
  assert.deepEqual(json.delta, want.delta);
  assert.deepEqual(json.dense, want.dense);
  const csv = readFileSync(join(out, 'impact.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'deactivated,language,metric,value');
  assert.equal(csv.length, 1 + 2 * 2 + 2 * 2);
  assert.ok(csv.includes(`fr,en,delta_nll,${want.delta[1]![0]}`));
  const bad = cli(['neurons', 'impact', '--model', tiny.dir, '--lape', join(tmp, 'nope.json'), '--corpus', corpus, '--out', join(tmp, 'x')]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /nope\.json/);
  assert.ok(!existsSync(join(tmp, 'x')));
  await model.dispose();
});
