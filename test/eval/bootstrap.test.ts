// Paired bootstrap p-values against an independent Python implementation written from the
// definition (test/eval/bootstrap_reference.py; its output is committed as
// test/fixtures/eval/bootstrap.json). Same data, same seed, same index stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapIndices, pairedBootstrap } from '../../src/engine/eval/metrics/bootstrap';
import { chrfFromStats } from '../../src/engine/eval/metrics/chrf';
import { accuracyFromStats } from '../../src/engine/eval/metrics/classification';
import { perplexityFromStats } from '../../src/engine/eval/metrics/perplexity';

interface Case { metric: 'perplexity' | 'accuracy' | 'chrf'; seed: number; resamples: number; a: number[][]; b: number[][]; p: number; p_self: number }
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

test('bootstrap indices are seeded and in range', () => {
  const a = bootstrapIndices(17, { resamples: 5, seed: 3 });
  const b = bootstrapIndices(17, { resamples: 5, seed: 3 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, bootstrapIndices(17, { resamples: 5, seed: 4 }));
  for (const idx of a) for (const i of idx) assert.ok(i < 17);
});

// One-sided tests (Kim et al.'s †: significantly better than dense θ), intervals and the stratified
// average, against the same independent implementation (bootstrap-one-sided.json).
import { pairedBootstrapTest, stratifiedIndices, stratifiedMeanDraws, testFromDraws, percentileInterval, quantile } from '../../src/engine/eval/metrics/bootstrap';

interface OneSided { metric: Case['metric']; seed: number; resamples: number; a: number[][]; b: number[][]; p: number; p_better: number; p_worse: number; ci_a: number[]; ci_b: number[]; ci_delta: number[] }
interface Avg { seed: number; resamples: number; a: number[][][]; b: number[][][]; value_a: number; value_b: number; p_better: number; p_worse: number; ci_a: number[]; ci_delta: number[] }
const one = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eval', 'bootstrap-one-sided.json'), 'utf8')) as { tests: OneSided[]; averages: Avg[] };
const HIGHER = { perplexity: false, accuracy: true, chrf: true };
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test('one-sided p (better, worse), two-sided p and 95% intervals equal the independent Python implementation', () => {
  assert.equal(one.tests.length, 18);
  for (const c of one.tests) {
    const t = pairedBootstrapTest(c.a, c.b, score[c.metric], HIGHER[c.metric], { resamples: c.resamples, seed: c.seed });
    const what = `${c.metric} seed ${c.seed}`;
    close(t.p, c.p, `${what} two-sided`);
    close(t.pBetter, c.p_better, `${what} p_better`);
    close(t.pWorse, c.p_worse, `${what} p_worse`);
    t.ciA.forEach((v, i) => close(v, c.ci_a[i]!, `${what} ci_a`));
    t.ciB.forEach((v, i) => close(v, c.ci_b[i]!, `${what} ci_b`));
    t.ciDelta.forEach((v, i) => close(v, c.ci_delta[i]!, `${what} ci_delta`));
    // At most one direction is significant; the worse system's p_better is 1.
    assert.ok(t.pBetter === 1 || t.pWorse === 1);
  }
  // The cases hold significantly better, significantly worse and non-significant differences.
  assert.ok(one.tests.some((c) => c.p_better < 0.05) && one.tests.some((c) => c.p_worse < 0.05) && one.tests.some((c) => c.p_better > 0.05 && c.p_worse > 0.05));
});

test('the Avg. column: stratified bootstrap of the mean over languages equals the reference', () => {
  assert.equal(one.averages.length, 2);
  for (const c of one.averages) {
    const sets = stratifiedIndices(c.a.map((s) => s.length), { resamples: c.resamples, seed: c.seed });
    const a = stratifiedMeanDraws(c.a, accuracyFromStats, sets);
    const b = stratifiedMeanDraws(c.b, accuracyFromStats, sets);
    close(a.real, c.value_a, 'mean a');
    close(b.real, c.value_b, 'mean b');
    const t = testFromDraws(a.real, b.real, a.draws, b.draws, true);
    close(t.pBetter, c.p_better, `avg ${c.seed} p_better`);
    close(t.pWorse, c.p_worse, `avg ${c.seed} p_worse`);
    t.ciA.forEach((v, i) => close(v, c.ci_a[i]!, 'avg ci_a'));
    t.ciDelta.forEach((v, i) => close(v, c.ci_delta[i]!, 'avg ci_delta'));
  }
  assert.ok(one.averages.some((c) => c.p_worse < 0.05) && one.averages.some((c) => c.p_worse > 0.05));
});

test('quantiles are numpy\'s linear ones; identical systems get p = 1 in every test', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([5], 0.975), 5);
  assert.deepEqual(percentileInterval([NaN, 1, 3]), [1.05, 2.95]);
  const c = one.tests[0]!;
  const t = pairedBootstrapTest(c.a, c.a, score[c.metric], true, { resamples: 50, seed: 1 });
  assert.deepEqual([t.p, t.pBetter, t.pWorse, t.delta], [1, 1, 1, 0]);
});
