/** The numeric-bias histogram renderer, without a DOM: one bar and one dot per model and score, values on the marks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THEME } from '../../webview/render/color';
import { textWidth } from '../../src/shared/results/labels';
import { noteLines, scoreHistogramSvg } from '../../webview/render/scoreHistogram';
import { biasSections } from '../../src/engine/studies/sections';

test('bars carry each model\'s argmax share, dots the mean probability; an undefined kurtosis is said in words', () => {
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
  assert.ok(svg.includes('base (kurtosis -1.50; modal 2 50%)'));
  assert.ok(svg.includes('aligned (kurtosis undefined: every answer is 2; modal 2 100%)'), svg);
  assert.ok(!/n\/a|NaN|null/.test(svg));
});

test('the gold series has bars and no dots; long legends wrap instead of running off the chart', () => {
  const long = 'default@wanda:mt:fr-en+mt:en-de+mt:en-ru+mt:en-zh:0.5';
  const svg = scoreHistogramSvg(DEFAULT_THEME, {
    width: 480,
    height: 240,
    series: [
      { model: long, scores: [1, 2], argmaxShare: [0.5, 0.5], meanProbability: [0.5, 0.5], kurtosis: -2 },
      { model: 'gold', scores: [1, 2], argmaxShare: [1, 0], meanProbability: [], kurtosis: NaN, gold: true },
    ],
  });
  assert.equal([...svg.matchAll(/data-mean-p=/g)].length, 2, 'dots only for the model');
  assert.ok(svg.includes('gold (kurtosis undefined: every gold score is 1; modal 1 100%)'));
  const ys = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>(default@wanda|gold \()/g)].map((m) => Number(m[2]));
  assert.equal(ys.length, 2);
  assert.ok(ys[1]! > ys[0]!, 'the second entry wraps to a new line');
});

test('the note under the axis wraps to the chart\'s width instead of running off its right edge (it was one 100-character line at 480 px)', () => {
  const svg = scoreHistogramSvg(DEFAULT_THEME, {
    width: 480,
    height: 240,
    series: [{ model: 'default', scores: [1, 2, 3, 4, 5], argmaxShare: [0.5, 0.1, 0, 0, 0.4], meanProbability: [0.3, 0.2, 0.1, 0.1, 0.3], kurtosis: -1.5 }],
  });
  const notes = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*font-size="10"[^>]*>([^<]*(?:bars|share|dots|probability)[^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]! }));
  assert.ok(notes.length >= 2, svg);
  assert.equal(notes.map((n) => n.text).join(' '), 'bars: share of items whose argmax is the score (gold: of the human scores) · dots: mean probability');
  for (const n of notes) assert.ok(n.x + textWidth(n.text, 10) <= 480, `${n.text}: ends at ${n.x + textWidth(n.text, 10)} px`);
  assert.deepEqual(noteLines(2000), ['bars: share of items whose argmax is the score (gold: of the human scores) · dots: mean probability']);
  const legendY = Number(/<rect x="[\d.]+" y="([\d.]+)" width="10" height="10"/.exec(svg)![1]);
  assert.ok(notes.every((n) => n.y < legendY), 'the note stays above the legend');
});

test('the Studies tables say an undefined statistic in words, never "null (-0.7972)" (issue #26 item 12; words as issue #23 asks)', () => {
  // Every item predicts 3 (argmax constant: kurtosis and correlations undefined); expected scores vary.
  const items = [[3, 2.6, 1], [3, 3.1, 2], [3, 2.9, 3], [3, 3.4, 4], [3, 2.2, 5]].map(([argmax, expected, gold], index) => ({
    model: 'm', index, prompt: '', scores: [1, 2, 3, 4, 5], distribution: [0.2, 0.2, 0.2, 0.2, 0.2], argmax: argmax!, expected: expected!, gold: gold!, lang: null,
  }));
  const range = { min: 1, max: 5 };
  const tables = biasSections([{ model: 'm', range, items }], [range]).filter((s) => s.kind === 'table');
  const every = tables.find((t) => t.title.startsWith('Every metric'))!.data as { columns: string[]; rows: unknown[][] };
  const row = Object.fromEntries(every.columns.map((c, i) => [c, String(every.rows[0]![i])]));
  for (const c of ['kurtosis', 'τ-b', 'Pearson', 'Spearman']) assert.equal(row[c], 'undefined: every answer is 3', c);
  // The expected scores vary, so their rank correlations are numbers, each in its own column.
  assert.match(row['τ-b (expected)']!, /^-?\d\.\d{3}$/);
  assert.match(row['Spearman (expected)']!, /^-?\d\.\d{3}$/);
  for (const t of tables) assert.ok(!/null|NaN|n\/a/.test(JSON.stringify((t.data as { rows: unknown[][] }).rows)), JSON.stringify(t.data));
});
