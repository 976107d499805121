// Chart labels are never cut off (long model names such as default@wanda:mt:fr-en:0.5 lost their
// start in the eval/sweep/ablate bar charts: the label column was capped at 180 px), series
// colours stay distinct past the theme's six, and matrix labels fit their SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barListSvg, matrixSvg, stackedBarsSvg } from '../../webview/render/charts';
import { DEFAULT_THEME, LIGHT_THEME, divergingScale, seriesColor } from '../../webview/render/color';
import { textWidth } from '../../src/shared/results/labels';
import type { OverlapMaps } from '../../src/shared/features';
import { overlapMapSvg } from '../../webview/render/figures';
import { placeInside } from '../../webview/render/hover';
import { topListHeading } from '../../webview/render/topNeurons';

/** Every right-aligned <text> must start at x ≥ 0, every left-aligned one end inside the SVG width. */
function assertInside(svg: string): void {
  const width = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)![1]);
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
    const attr = m[1]!, content = m[2]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
    if (/transform=/.test(attr)) continue;
    const x = Number(/\bx="([-\d.]+)"/.exec(attr)?.[1] ?? 0);
    const size = Number(/font-size="([\d.]+)"/.exec(attr)?.[1] ?? 12);
    const w = textWidth(content, size);
    if (/text-anchor="end"/.test(attr)) assert.ok(x - w >= -0.5, `"${content}" starts at ${x - w}`);
    else if (/text-anchor="middle"/.test(attr)) assert.ok(x - w / 2 >= -0.5 && x + w / 2 <= width + 0.5, `"${content}" centred at ${x}`);
    else assert.ok(x + w <= width + 0.5, `"${content}" ends at ${x + w} > ${width}`);
  }
}

test('bar list: long model names keep their start; the chart grows instead of cutting', () => {
  const items = ['default', 'default@wanda:mt:fr-en:0.5', 'default@prog:mt:zh-en+code:src/**/*.ts:0.5', 'models/xglm-564M@wanda:mt:fr-en+mt:en-de+mt:en-ru:0.5'].map((m, i) => ({ label: `fr-en · ${m}`, value: 40 + i, text: (40 + i).toFixed(2), mark: i === 2 ? '†' : undefined }));
  const svg = barListSvg(LIGHT_THEME, { items, width: 360, color: '#000', title: 'translate: chrF' });
  assertInside(svg);
  assert.ok(Number(/viewBox="0 0 ([\d.]+)/.exec(svg)![1]) > 360, 'wider than asked');
  assert.ok(svg.includes('>42.00†</text>'), 'the mark follows the value');
});

test('matrix and stacked bars: row, column and legend labels inside the SVG', () => {
  const labels = ['mono:fr', 'mono:en', 'mt:fr-en', 'a-very-long-setting-name:mt:zh-en'];
  const svg = matrixSvg(DEFAULT_THEME, { rowLabels: labels, colLabels: labels, value: () => 10, scale: divergingScale(DEFAULT_THEME, 100), title: 'hidden 3 (after block 2) · top/bottom 30%' });
  assertInside(svg);
  const width = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)![1]);
  // The last rotated column label runs up-right from its cell centre: the SVG is wide enough for it.
  assert.ok(width >= 10 + textWidth(labels[3]!, 11) + 3 * 28 + 14 + 0.71 * textWidth(labels[3]!, 11) - 1, String(width));
  const series = Array.from({ length: 14 }, (_, i) => ({ label: `language-${i}`, values: [i, 1, 2] }));
  const bars = stackedBarsSvg(LIGHT_THEME, { categories: ['0', '1', '2'], series, width: 320, height: 200 });
  assertInside(bars);
});

test('series colours: the first 24 are distinct, the theme\'s six come first', () => {
  const cs = Array.from({ length: 24 }, (_, i) => seriesColor(LIGHT_THEME, i).toLowerCase());
  assert.equal(new Set(cs).size, 24, cs.join(' '));
  assert.deepEqual(cs.slice(0, 6), LIGHT_THEME.series.map((c) => c.toLowerCase()));
  assert.ok(cs.every((c) => /^#[0-9a-f]{6}$/.test(c)), cs.join(' '));
});

test('overlap map with one setting per side: quadrant names that do not fit their quadrant go in a caption with the cell unit (issue #26 item 12: "mono×r" was cut)', () => {
  const settings = [{ id: 'es', label: 'Spanish', kind: 'mono' as const }, { id: 'es-en', label: 'Spanish→English', kind: 'mt' as const }];
  const o: OverlapMaps = { source: 'hidden_states', settings, layers: [0], kinds: ['hidden'], k: 0.1, values: Float32Array.from([100, 40, 40, 100]) };
  const svg = overlapMapSvg(DEFAULT_THEME, o, 0, 0);
  assertInside(svg);
  const caption = [...svg.matchAll(/data-testid="matrix-caption"[^>]*>([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(caption, ['cell: % of the two settings&#39; top/bottom 10% features they share', 'quadrants: ↖ mono×mono · ↗ mono×mt · ↙ mt×mono · ↘ mt×mt']);
  // With room (three settings a side at 28 px), the names stay in their corners and only the unit is captioned.
  const wide: OverlapMaps = { ...o, settings: [...['es', 'fr', 'de'].map((id) => ({ id, label: id, kind: 'mono' as const })), ...['es-en', 'fr-en', 'de-en'].map((id) => ({ id, label: id, kind: 'mt' as const }))], values: new Float32Array(36).fill(50) };
  const svg2 = overlapMapSvg(DEFAULT_THEME, wide, 0, 0);
  assertInside(svg2);
  assert.equal((svg2.match(/data-testid="matrix-caption"/g) ?? []).length, 1);
  assert.ok(/>mono×mt<\/text>/.test(svg2));
});

test('placeInside: a hover card beside the pointer never runs past an edge; the side list says how many of the top-k it lists', () => {
  assert.equal(placeInside(10, 300, 800), 22); // room after the pointer
  assert.equal(placeInside(700, 300, 800), 388); // flipped before it
  assert.equal(placeInside(200, 300, 400), 100); // no room either side: clamped inside
  assert.equal(placeInside(5, 500, 400), 0); // wider than the panel: starts at its edge (max-width keeps it inside)
  assert.equal(topListHeading(3, 6), 'Top 3 of 6 neurons per layer');
  assert.equal(topListHeading(6, 6), 'Top 6 neurons per layer');
});
