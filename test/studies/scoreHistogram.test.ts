/** The numeric-bias histogram renderer, without a DOM: one bar and one dot per model and score, values on the marks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THEME } from '../../webview/render/color';
import { scoreHistogramSvg } from '../../webview/render/scoreHistogram';
import { biasSections } from '../../src/engine/studies/sections';

test('bars carry each model\'s argmax share, dots the mean probability; NaN kurtosis is shown as n/a', () => {
  const svg = scoreHistogramSvg(DEFAULT_THEME, {
    width: 600,
    height: 240,
    series: [
      { model: 'base', scores: [1, 2, 3], argmaxShare: [0.2, 0.5, 0.3], meanProbability: [0.25, 0.4, 0.35], kurtosis: -1.5 },
      { model: 'aligned', scores: [1, 2, 3], argmaxShare: [0, 1, 0], meanProbability: [0.01, 0.98, 0.01], kurtosis: NaN },
    ],
  });
  const bars = [...svg.matchAll(/<rect [^>]*data-model="([^"]+)" data-score="(\d+)" data-share="([\d.]+)"/g)].map((m) => `${m[1]}:${m[2]}:${m[3]}`);
  assert.deepEqual(bars, ['base:1:0.2000', 'aligned:1:0.0000', 'base:2:0.5000', 'aligned:2:1.0000', 'base:3:0.3000', 'aligned:3:0.0000']);
  const dots = [...svg.matchAll(/data-mean-p="([\d.]+)"/g)].map((m) => m[1]);
  assert.deepEqual(dots, ['0.2500', '0.0100', '0.4000', '0.9800', '0.3500', '0.0100']);
  assert.ok(svg.includes('base (kurtosis -1.50)'));
  assert.ok(svg.includes('aligned (kurtosis n/a)'));
});

test('the Studies table reads "n/a" for an undefined statistic, never "null (-0.7972)" (issue #26 item 12)', () => {
  // Every item predicts 3 (argmax constant: kurtosis and correlations undefined); expected scores vary.
  const items = [[3, 2.6, 1], [3, 3.1, 2], [3, 2.9, 3], [3, 3.4, 4], [3, 2.2, 5]].map(([argmax, expected, gold], index) => ({
    model: 'm', index, prompt: '', scores: [1, 2, 3, 4, 5], distribution: [0.2, 0.2, 0.2, 0.2, 0.2], argmax: argmax!, expected: expected!, gold: gold!, lang: null,
  }));
  const range = { min: 1, max: 5 };
  const table = biasSections([{ model: 'm', range, items }], [range]).find((s) => s.kind === 'table')!;
  const row = (table.data as { rows: unknown[][] }).rows[0]!;
  assert.equal(row.length, 7);
  for (const cell of row.slice(3)) assert.match(String(cell), /^n\/a \(-?\d/, String(cell));
  assert.ok(!row.some((c) => String(c).includes('null')), JSON.stringify(row));
});
