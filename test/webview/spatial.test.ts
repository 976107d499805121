import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quadrantCounts, quadrantOf } from '../../webview/render/quadrant';
import { frameScales, paintPoints, project, ranksDescending, scatterFrame, scatterPoints, unproject } from '../../webview/render/scatter';
import { buildGrid, inRect, nearest } from '../../webview/render/spatialGrid';
import { rng } from './fixtures';

test('grid: nearest and inRect on a hand-made set', () => {
  const xs = new Float32Array([5, 15, 16, 95, NaN, 200]);
  const ys = new Float32Array([5, 15, 15, 95, 10, 10]);
  const g = buildGrid(xs, ys, 100, 100, 10);
  assert.equal(g.order.length, 4, 'NaN and out-of-bounds points are not indexed');
  assert.equal(nearest(g, 6, 6, 3), 0);
  assert.equal(nearest(g, 15.4, 15, 3), 1);
  assert.equal(nearest(g, 15.5, 15, 3), 2, 'equidistant: the later-drawn point wins');
  assert.equal(nearest(g, 50, 50, 6), -1);
  assert.equal(nearest(g, 99, 99, 6), 3);
  assert.deepEqual(inRect(g, 20, 20, 0, 0), [0, 1, 2]);
  assert.deepEqual(inRect(g, 15, 0, 100, 100), [1, 2, 3]);
});

test('grid agrees with brute force on 20k random points', () => {
  const r = rng(7);
  const n = 20000, xs = new Float32Array(n), ys = new Float32Array(n);
  for (let i = 0; i < n; i++) { xs[i] = r() * 640; ys[i] = r() * 480; }
  const g = buildGrid(xs, ys, 640, 480, 12);
  for (let q = 0; q < 200; q++) {
    const x = r() * 640, y = r() * 480;
    let best = -1, bd = 36;
    for (let i = 0; i < n; i++) { const d = (xs[i]! - x) ** 2 + (ys[i]! - y) ** 2; if (d < bd || (d === bd && i > best)) { bd = d; best = i; } }
    assert.equal(nearest(g, x, y, 6), best);
  }
  const brute: number[] = [];
  for (let i = 0; i < n; i++) if (xs[i]! >= 100 && xs[i]! <= 250 && ys[i]! >= 40 && ys[i]! <= 90) brute.push(i);
  assert.deepEqual(inRect(g, 250, 90, 100, 40), brute);
});

test('quadrants: II = monolingual only (x<0, y>0), IV = translation only (x>0, y<0)', () => {
  assert.equal(quadrantOf(1, 1), 'I');
  assert.equal(quadrantOf(-1, 1), 'II');
  assert.equal(quadrantOf(-1, -1), 'III');
  assert.equal(quadrantOf(1, -1), 'IV');
  assert.equal(quadrantOf(0, 1), null);
  assert.equal(quadrantOf(NaN, 1), null);
  assert.deepEqual(quadrantCounts([1, -1, -2, 3, 0], [1, 1, 2, -3, 1]), { I: 1, II: 2, III: 0, IV: 1 });
});

test('scatter points are z-scored logs within each layer', () => {
  const e = Math.E;
  const data = { mtLabel: 'fr→en', monoLabel: 'fr', layers: [
    { layer: 0, kind: 'q', mt: new Float32Array([1, e, e * e]), mono: new Float32Array([e * e, e, 1]) },
    { layer: 1, kind: 'q', mt: new Float32Array([1, 1]), mono: new Float32Array([0, 1]) },
  ] };
  const p = scatterPoints(data, [0, 1]);
  assert.equal(p.n, 5);
  const z = 1.2247449;
  [-z, 0, z, 0, 0].forEach((v, i) => assert.ok(Math.abs(p.x[i]! - v) < 1e-5, `x[${i}]`));
  [z, 0, -z].forEach((v, i) => assert.ok(Math.abs(p.y[i]! - v) < 1e-5, `y[${i}]`));
  assert.ok(Number.isNaN(p.y[3]!), 'importance 0 has no log: not plotted');
  assert.deepEqual([...p.source], [0, 0, 0, 1, 1]);
  assert.deepEqual([...p.feature], [0, 1, 2, 0, 1]);
  assert.deepEqual([...ranksDescending([0.5, NaN, 2, 1])], [2, 3, 0, 1]);
});

test('projection is symmetric around the plot centre and invertible; paint writes squares', () => {
  const pts = { n: 2, x: new Float32Array([1, -2]), y: new Float32Array([2, -1]), source: new Int32Array(2), feature: new Int32Array(2) };
  const f = scatterFrame(pts, 252, 240);
  assert.equal(f.extent, 2.1);
  const { px, py } = project(pts, f);
  // plot x: [40, 240], centre 140, 200/4.2 px per unit; plot y: [12, 212], centre 112.
  assert.ok(Math.abs(px[0]! - (140 + 200 / 4.2)) < 1e-4);
  assert.ok(Math.abs(py[0]! - (112 - 400 / 4.2)) < 1e-4);
  const sc = frameScales(f);
  assert.deepEqual(sc.x.ticks(6), [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2], 'd3 ticks on the symmetric domain');
  assert.equal(sc.y(0), 112);
  const back = unproject(f, px[1]!, py[1]!);
  assert.ok(Math.abs(back.x + 2) < 1e-5 && Math.abs(back.y + 1) < 1e-5);
  const W = 10, H = 10, buf = new Uint8ClampedArray(W * H * 4);
  const one = { n: 1, x: new Float32Array([-1]), y: new Float32Array([1]), source: new Int32Array(1), feature: new Int32Array(1) };
  const colors = { byQuadrant: [[1, 1, 1], [0, 0, 255], [2, 2, 2], [3, 3, 3], [4, 4, 4]] as [readonly [number, number, number], readonly [number, number, number], readonly [number, number, number], readonly [number, number, number], readonly [number, number, number]], selected: [9, 9, 9] as const };
  paintPoints(buf, W, H, one, new Float32Array([5]), new Float32Array([5]), colors, 2, 1);
  const lit = [];
  for (let i = 0; i < W * H; i++) if (buf[i * 4 + 3]) lit.push(i);
  assert.deepEqual(lit, [44, 45, 54, 55], '2×2 square at (4..5, 4..5)');
  assert.deepEqual([...buf.slice(44 * 4, 44 * 4 + 4)], [0, 0, 255, 255], 'quadrant II colour');
  paintPoints(buf, W, H, one, new Float32Array([5]), new Float32Array([5]), colors, 2, 1, new Uint8Array([1]));
  assert.deepEqual([...buf.slice(44 * 4, 44 * 4 + 4)], [9, 9, 9, 255], 'selected colour wins');
});
