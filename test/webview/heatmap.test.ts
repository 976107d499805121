import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { DEFAULT_THEME, divergingScale } from '../../webview/render/color';
import { activationsCsv, csvField, toCsv } from '../../webview/render/csv';
import { buildGrid, cellAt, columnKey, greyMeaning, gridDomain, heatmapLayout, paintGrid, parseNeuronQuery, queryLayers } from '../../webview/render/heatmap';
import { heatmapSvg } from '../../webview/render/heatmapSvg';
import { frequentNeurons, topNeuronsForToken } from '../../webview/render/topNeurons';

/** 2 tokens × 2 layers × top-2, written out by hand. Layout ((pos·nLayers)+layer)·topK+rank. */
function tiny(): ActivationAnalysis {
  return {
    model: { dir: '/m', name: 'tiny', nLayers: 2, dMlp: 16 }, text: 'ab', nLayers: 2, topK: 2,
    tokens: [{ id: 1, text: 'a', start: 0, end: 1 }, { id: 2, text: 'b', start: 1, end: 2 }],
    //                     p0 L0     p0 L1    p1 L0    p1 L1
    topIndex: new Int32Array([5, 7, 3, 5, 7, 1, 5, 2]),
    topValue: new Float32Array([4, 2, 3, 1, 6, 0.5, -1, -2]),
    generated: { ids: [], text: '' },
  };
}

test('strongest-neuron grid takes rank 0 of each cell', () => {
  const g = buildGrid(tiny(), { kind: 'strongest' });
  assert.deepEqual([...g.values], [4, 3, 6, -1]);
  assert.deepEqual([...g.neurons], [5, 3, 7, 5]);
  assert.equal(g.label, 'strongest neuron');
});

test('chosen neuron: value where it is in the top-k, NaN elsewhere and in other layers', () => {
  const g = buildGrid(tiny(), { kind: 'neuron', layer: 1, index: 5 });
  assert.deepEqual([...g.values].map((v) => (Number.isNaN(v) ? null : v)), [null, 1, null, -1]);
  assert.deepEqual([...g.neurons], [-1, 5, -1, 5]);
  const every = buildGrid(tiny(), { kind: 'index', index: 7 });
  assert.deepEqual([...every.values].map((v) => (Number.isNaN(v) ? null : v)), [2, null, 6, null]);
  assert.equal(every.label, 'N7 (every layer)');
});

test('a neuron\'s full column from the engine fills every token of its layer (issue #26 item 5); the legend says what stays grey', () => {
  const a = tiny();
  const q = { kind: 'neuron', layer: 1, index: 9 } as const;
  // N9 is in no top-k: without its column every cell is grey, and the legend says why and that the engine was asked.
  const before = buildGrid(a, q);
  assert.ok([...before.values].every(Number.isNaN));
  assert.equal(greyMeaning(before, q, a.topK, true), 'grey: not in the token\'s top-2 (asking the engine for every token…)');
  assert.deepEqual(queryLayers(a, q), [1]);
  const full = buildGrid(a, q, new Map([[columnKey(1, 9), Float32Array.of(0.25, -3)]]));
  assert.deepEqual([...full.values].map((v) => (Number.isNaN(v) ? null : v)), [null, 0.25, null, -3]);
  assert.deepEqual([...full.neurons], [-1, 9, -1, 9]);
  assert.equal(greyMeaning(full, q, a.topK, false), 'grey: not layer 1');
  // N7 in every layer: each layer's column, where it arrived; a column of the wrong length is ignored.
  const every = { kind: 'index', index: 7 } as const;
  assert.deepEqual(queryLayers(a, every), [0, 1]);
  const g = buildGrid(a, every, new Map([[columnKey(1, 7), Float32Array.of(8, 9)], [columnKey(0, 7), Float32Array.of(1)]]));
  assert.deepEqual([...g.values].map((v) => (Number.isNaN(v) ? null : v)), [2, 8, 6, 9]);
  assert.equal(greyMeaning(g, every, a.topK, false), undefined);
  assert.equal(greyMeaning(buildGrid(a, { kind: 'strongest' }), { kind: 'strongest' }, a.topK, false), undefined);
});

test('parseNeuronQuery', () => {
  assert.deepEqual(parseNeuronQuery(''), { kind: 'strongest' });
  assert.deepEqual(parseNeuronQuery(' L3.N127 '), { kind: 'neuron', layer: 3, index: 127 });
  assert.deepEqual(parseNeuronQuery('n42'), { kind: 'index', index: 42 });
  assert.equal(parseNeuronQuery('L3N127'), null);
  assert.equal(parseNeuronQuery('L-1.N2'), null);
});

test('domain is the 99th percentile of |value|; paint gives one RGBA pixel per cell', () => {
  const g = buildGrid(tiny(), { kind: 'strongest' });
  // |values| sorted [1,3,4,6]: h = 3·0.99 = 2.97 → 4 + 0.97·2 = 5.94.
  assert.ok(Math.abs(gridDomain(g) - 5.94) < 1e-6);
  const theme = { ...DEFAULT_THEME, background: '#000000', positive: '#0000ff', negative: '#ff0000' };
  const px = paintGrid(g, divergingScale(theme, 6), [0, 0, 0]);
  assert.equal(px.length, 16);
  // cell (1,0) = 6 = +domain → full positive colour; cell (1,1) = -1 → step floor(256/6)=42 → 43/256·255 = 42.8 → 43 red.
  assert.deepEqual([...px.slice(8, 12)], [0, 0, 255, 255]);
  assert.deepEqual([...px.slice(12, 16)], [43, 0, 0, 255]);
});

test('layout clamps cell width and maps pointer positions to cells', () => {
  assert.deepEqual(heatmapLayout(24, 32, 600), { cellW: 25, cellH: 18, width: 600, height: 576 });
  assert.equal(heatmapLayout(24, 32, 60).cellW, 6);
  assert.equal(heatmapLayout(4, 1, 4000).cellW, 28);
  const l = heatmapLayout(24, 32, 600);
  assert.deepEqual(cellAt(l, { rows: 32, cols: 24 }, 25 * 12 + 3, 18 * 9 + 17.9), { row: 9, col: 12 });
  assert.equal(cellAt(l, { rows: 32, cols: 24 }, 600, 0), null);
  assert.equal(cellAt(l, { rows: 32, cols: 24 }, -1, 0), null);
});

test('top neurons of a token, per layer', () => {
  assert.deepEqual(topNeuronsForToken(tiny(), 1, 1), [{ layer: 0, neuron: 7, value: 6, rank: 0 }, { layer: 1, neuron: 5, value: -1, rank: 0 }]);
  assert.equal(topNeuronsForToken(tiny(), 1, 5).length, 4, 'capped at topK per layer');
  assert.deepEqual(topNeuronsForToken(tiny(), 2, 1), []);
  assert.deepEqual(frequentNeurons(tiny(), 2), [{ layer: 0, neuron: 7, count: 2, max: 6 }, { layer: 1, neuron: 5, count: 2, max: 1 }]);
});

test('CSV quoting, formula guard and the activations export', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
  assert.equal(csvField(NaN), '');
  assert.equal(toCsv(['x'], [[1], ['\n']]), 'x\r\n1\r\n"\n"\r\n');
  const csv = activationsCsv(tiny()).split('\r\n');
  assert.equal(csv[0], 'pos,token,token_id,layer,rank,neuron,activation');
  assert.equal(csv[1], '0,a,1,0,0,5,4');
  assert.equal(csv[8], '1,b,2,1,1,2,-2');
  assert.equal(csv.length, 10, 'header + 8 rows + trailing empty');
});

test('heatmap SVG has one rect per cell (plus background) with values', () => {
  const a = tiny();
  const g = buildGrid(a, { kind: 'strongest' });
  const svg = heatmapSvg(a, g, divergingScale(DEFAULT_THEME, 6), DEFAULT_THEME);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="190" height="80"/);
  assert.equal((svg.match(/<rect /g) ?? []).length, 5);
  assert.match(svg, /data-value="6" data-neuron="7"/);
});
