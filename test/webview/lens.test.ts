/** The Latent language panel's renderers (pure, no DOM) on a result written out by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LatentLanguageResult, LensDatasetSummary } from '../../src/shared/lens';
import { DEFAULT_THEME, seriesColor } from '../../webview/render/color';
import { datasetAnswerSeries, datasetMassSeries, gridLanguages, languageColor, lensCellCard, lensCellLabel, lensCsv, lensGridCell, lineChartSvg, massSeries, targetSeries } from '../../webview/render/lens';

const ln = Math.log;

/**
 * 2 tokens × 3 layers, top-2; languages en, ja (+ unknown). Layout ((layer·T)+pos)·k+rank.
 * Top tokens: ' '(unknown) at layer 0, 'cat'(en) and '猫'(ja) later.
 */
function tiny(): LatentLanguageResult {
  return {
    model: { dir: '/m', name: 'tiny', nLayers: 2 }, text: 'ab', layers: 3, k: 2, languages: ['en', 'ja'], profile: 'corpus.jsonl',
    tokens: [{ id: 1, text: 'a', start: 0, end: 1 }, { id: 2, text: 'b', start: 1, end: 2 }],
    vocab: { '10': { text: ' ', lang: -1 }, '11': { text: 'cat', lang: 0 }, '12': { text: '猫', lang: 1 } },
    lenses: [{
      kind: 'logit',
      //                    L0 p0   L0 p1   L1 p0   L1 p1   L2 p0   L2 p1
      topIds: new Int32Array([10, 11, 10, 12, 11, 12, 11, 10, 12, 11, 12, 11]),
      topLogp: new Float32Array([ln(0.9), ln(0.05), ln(0.8), ln(0.1), ln(0.6), ln(0.2), ln(0.5), ln(0.3), ln(0.7), ln(0.2), ln(0.55), ln(0.4)]),
      entropy: new Float32Array([0.4, 0.7, 1.1, 1.2, 0.9, 1.0]),
      // [layers, pos, en ja unknown]
      mass: new Float32Array([0.05, 0, 0.95, 0, 0.1, 0.9, 0.6, 0.2, 0.2, 0.5, 0.3, 0.2, 0.2, 0.7, 0.1, 0.4, 0.55, 0.05]),
      targets: [{ text: 'cat', ids: [11], p: new Float32Array([0.05, 0.001, 0.6, 0.5, 0.2, 0.4]) }],
    }],
  };
}

test('grid cells are each cell\'s top token, its language and probability; languages ordered by cells', () => {
  const r = tiny();
  const v = r.lenses[0]!;
  const c = lensGridCell(r, v, 1, 2);
  assert.deepEqual({ ...c, p: Math.round(c.p * 1e6) / 1e6 }, { pos: 1, layer: 2, id: 12, text: '猫', lang: 1, p: 0.55 });
  // top-1 languages: L0 unknown unknown, L1 en en, L2 ja ja → en (2), ja (2): ties by index.
  assert.deepEqual(gridLanguages(r, v), [0, 1]);
  assert.equal(languageColor(DEFAULT_THEME, [1, 0], 0), seriesColor(DEFAULT_THEME, 1));
  assert.equal(languageColor(DEFAULT_THEME, [1, 0], -1), DEFAULT_THEME.muted);
  assert.equal(lensCellLabel(r, v, 0, 1), 'token 0 "a", layer 1: "cat" 60.0%, en');
  assert.equal(lensCellLabel(r, v, 0, 0), 'token 0 "a", layer 0: " " 90.0%, unknown');
});

test('hover card: top-k with probabilities and languages, entropy, targets and language mass', () => {
  const r = tiny();
  const card = lensCellCard(r, r.lenses[0]!, 1, 1, [0, 1]);
  assert.equal(card.title, 'layer 1 · token 1 b');
  assert.deepEqual(card.rows, [['lens', 'logit'], ['entropy', '1.2 nats']]);
  assert.deepEqual(card.bars.map((b) => [b.label, b.text, b.series]), [['cat', '50.0% en', 0], ['·', '30.0% unknown', -1]]);
  assert.deepEqual(card.notes, ['p(cat) = 0.5', 'language mass: en 50.0%, ja 30.0%, unknown 20.0%']);
});

test('mass and target series by layer for one position; languages under 1 % everywhere are left out', () => {
  const r = tiny();
  const m = massSeries(r, r.lenses[0]!, 0, DEFAULT_THEME, [0, 1]);
  assert.deepEqual(m.map((s) => [s.name, s.values.map((x) => Math.round(x * 100) / 100)]), [['en', [0.05, 0.6, 0.2]], ['ja', [0, 0.2, 0.7]], ['unknown', [0.95, 0.2, 0.1]]]);
  assert.equal(m[2]!.color, DEFAULT_THEME.muted);
  const t = targetSeries(r, r.lenses[0]!, 1, DEFAULT_THEME);
  assert.deepEqual(t.map((s) => [s.name, s.values.map((x) => Math.round(x * 1000) / 1000)]), [['p(cat)', [0.001, 0.5, 0.4]]]);
});

test('line chart: one polyline and one point per layer for each series, values readable, bands and marker drawn', () => {
  const svg = lineChartSvg(DEFAULT_THEME, { width: 400, height: 200, n: 3, xLabel: 'layer', yLabel: 'p', series: [{ name: 'en', color: '#ff0000', values: [0.1, 0.5, 0.2], lo: [0, 0.4, 0.1], hi: [0.2, 0.6, 0.3] }], marker: { x: 2, label: 'ja > en' }, testid: 'c' });
  assert.equal((svg.match(/<polyline /g) ?? []).length, 1);
  assert.equal((svg.match(/<polygon /g) ?? []).length, 1);
  assert.deepEqual([...svg.matchAll(/data-x="(\d)" data-value="([\d.e-]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]), [[0, 0.1], [1, 0.5], [2, 0.2]]);
  assert.match(svg, /data-testid="chart-marker" data-x="2"/);
  assert.match(svg, /<title>en, layer 1: 0\.5 \[0\.4, 0\.6\]<\/title>/);
});

test('line chart: a legend of many series stays inside the chart (the chart grows taller)', () => {
  const series = Array.from({ length: 23 }, (_, i) => ({ name: `l${i}`, color: '#336699', values: [0.01 * i, 0.02, 0.03] }));
  const svg = lineChartSvg(DEFAULT_THEME, { width: 420, height: 220, n: 3, xLabel: 'layer', yLabel: 'p', series });
  const height = Number(/<svg [^>]*height="([\d.]+)"/.exec(svg)![1]);
  const lowest = Math.max(...[...svg.matchAll(/<text [^>]*y="([\d.]+)"[^>]*>l\d+<\/text>/g)].map((m) => Number(m[1])));
  assert.equal([...svg.matchAll(/>l\d+<\/text>/g)].length, 23, 'every series in the legend');
  assert.ok(height > 220 && lowest + 4 <= height, `legend ends at ${lowest} in a chart of height ${height}`);
  // A short legend keeps the asked height.
  assert.match(lineChartSvg(DEFAULT_THEME, { width: 420, height: 220, n: 3, xLabel: 'layer', yLabel: 'p', series: series.slice(0, 3) }), /height="220"/);
});

test('dataset series: English first, then the target, then other answers; mass keeps languages reaching 1 %', () => {
  const iv = (m: number[]) => ({ mean: m, lo: m.map((x) => x / 2), hi: m.map((x) => x * 2) });
  const s: LensDatasetSummary = {
    model: 'm', lens: 'logit', items: 3, skipped: [], layers: 2, targets: ['ja'],
    answers: { ja: iv([0.1, 0.5]), fr: iv([0.01, 0.02]), en: iv([0.3, 0.1]) },
    languages: ['en', 'ja'], mass: { en: iv([0.2, 0.1]), ja: iv([0.001, 0.005]), unknown: iv([0.8, 0.9]) },
    overtakes: 1, englishAbove: [0], bootstrap: { resamples: 10, seed: 1, level: 0.95 },
  };
  assert.deepEqual(datasetAnswerSeries(s, DEFAULT_THEME).map((x) => x.name), ['en', 'ja', 'fr']);
  assert.deepEqual(datasetMassSeries(s, DEFAULT_THEME).map((x) => x.name), ['en', 'unknown']);
});

test('CSV: one row per layer, position and rank, with the token\'s language', () => {
  const r = tiny();
  const rows = lensCsv(r, r.lenses[0]!).trim().split('\n');
  assert.equal(rows[0], 'lens,layer,position,token,rank,id,top_token,p,language');
  assert.equal(rows.length, 1 + 3 * 2 * 2);
  assert.equal(rows[11], 'logit,2,1,"b",0,12,"猫",0.550000,ja');
});
