// Study 1's figures: one pure renderer for the panel and the CLI's figure files (render/figures.ts).
// The scatter labels each quadrant with its count; overlap maps keep their quadrant split; the LAPE
// figures show every neuron once per language; PNG files are real PNGs at twice the SVG size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureFigures, lapeFigures, overlapMapSvg, scatterQuadrantCounts, scatterSvg } from '../../webview/render/figures';
import { quadrantCounts } from '../../webview/render/quadrant';
import { scatterPoints } from '../../webview/render/scatter';
import { LIGHT_THEME } from '../../webview/render/color';
import type { FeatureScatterData, OverlapMaps } from '../../src/shared/features';
import type { LapeResult } from '../../src/shared/lape';
import { svgToPng } from '../../src/cli/figures';
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
  assert.deepEqual(figs.map((f) => f.name), ['scatter-down', 'scatter-o', 'overlap-hidden-0', 'overlap-hidden-1']);
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
    assert.equal(printed.figures.count, 4 + 7 + 6 * 4, 'scatter per kind, overlap per hidden state and per layer × input');
    const html = readFileSync(join(dir, 'f', 'report.html'), 'utf8');
    assert.ok(html.includes('"kind":"features"') && html.includes('scatter-down.svg, figures/scatter-down.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
