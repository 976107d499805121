// Paired bootstrap p-values against an independent Python implementation written from the
// definition (test/eval/bootstrap_reference.py; its output is committed as
// test/fixtures/eval/bootstrap.json). Same data, same seed, same index stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapIndices, bootstrapInterval, pairedBootstrap, pairedBootstrapTest, percentileInterval } from '../../src/engine/eval/metrics/bootstrap';
import { chrfFromStats } from '../../src/engine/eval/metrics/chrf';
import { accuracyFromStats } from '../../src/engine/eval/metrics/classification';
import { perplexityFromStats } from '../../src/engine/eval/metrics/perplexity';

interface Case { metric: 'perplexity' | 'accuracy' | 'chrf'; seed: number; resamples: number; a: number[][]; b: number[][]; p: number; p_self: number; diff_ci: [number, number]; a_ci: [number, number] }
const cases = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eval', 'bootstrap.json'), 'utf8')) as Case[];
const score = { perplexity: perplexityFromStats, accuracy: accuracyFromStats, chrf: (s: number[]) => chrfFromStats(s) };

test('paired bootstrap p-values equal the independent Python implementation', () => {
  assert.equal(cases.length, 6);
  for (const c of cases) {
    const p = pairedBootstrap(c.a, c.b, score[c.metric], { resamples: c.resamples, seed: c.seed });
    assert.ok(Math.abs(p - c.p) < 1e-12, `${c.metric} seed ${c.seed}: ${p} vs ${c.p}`);
    assert.equal(pairedBootstrap(c.a, c.a, score[c.metric], { resamples: c.resamples, seed: c.seed }), c.p_self);
  }
  // The cases span significant and non-significant differences.
  assert.ok(cases.some((c) => c.p < 0.05) && cases.some((c) => c.p > 0.05));
});

test('bootstrap percentile intervals (of B − A and of A) equal the independent Python implementation; the test gives the same p', () => {
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  for (const c of cases) {
    const t = pairedBootstrapTest(c.a, c.b, score[c.metric], { resamples: c.resamples, seed: c.seed });
    assert.equal(t.p, pairedBootstrap(c.a, c.b, score[c.metric], { resamples: c.resamples, seed: c.seed }));
    assert.ok(close(t.low, c.diff_ci[0]) && close(t.high, c.diff_ci[1]), `${c.metric} ${c.seed}: [${t.low}, ${t.high}] vs ${c.diff_ci}`);
    assert.ok(t.low <= t.difference && t.difference <= t.high);
    const [lo, hi] = bootstrapInterval(c.a, score[c.metric], { resamples: c.resamples, seed: c.seed });
    assert.ok(close(lo, c.a_ci[0]) && close(hi, c.a_ci[1]), `${c.metric} ${c.seed}: [${lo}, ${hi}] vs ${c.a_ci}`);
  }
});

test('percentile interval: the 25th and 974th of 1,000 replicates; non-finite replicates left out', () => {
  const v = Array.from({ length: 1000 }, (_, i) => 999 - i);
  assert.deepEqual(percentileInterval(v), [25, 974]);
  assert.deepEqual(percentileInterval([NaN, 3, 1, 2, Infinity]), [1, 3]);
  assert.deepEqual(percentileInterval([NaN]), [NaN, NaN]);
});

test('bootstrap indices are seeded and in range', () => {
  const a = bootstrapIndices(17, { resamples: 5, seed: 3 });
  const b = bootstrapIndices(17, { resamples: 5, seed: 3 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, bootstrapIndices(17, { resamples: 5, seed: 4 }));
  for (const idx of a) for (const i of idx) assert.ok(i < 17);
});
