import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmt, pct, showToken } from '../../webview/render/format';
import { logPositive, meanStd, quantile, zScores } from '../../webview/render/stats';
import { linear, niceStep, niceTicks } from '../../webview/render/ticks';

const close = (a: ArrayLike<number>, b: number[], eps = 1e-6): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Number.isNaN(b[i]!) ? Number.isNaN(a[i]!) : Math.abs(a[i]! - b[i]!) < eps, `[${i}] ${a[i]} vs ${b[i]}`);
};

test('z-scores use the population std and skip NaN', () => {
  close(zScores([1, 2, 3]), [-1.2247449, 0, 1.2247449]);
  close(zScores([2, NaN, 4]), [-1, NaN, 1]);
  close(zScores([5, 5]), [0, 0]);
  assert.deepEqual(meanStd([2, 4, 4, 4, 5, 5, 7, 9]), { mean: 5, std: 2, n: 8 });
});

test('logPositive maps ≤0 to NaN', () => {
  close(logPositive([Math.E, 1, 0, -1]), [1, 0, NaN, NaN]);
});

test('quantile is numpy type 7', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(quantile([4, 1, 3, 2], 0.99) - 3.97) < 1e-12);
  assert.equal(quantile([NaN, 7], 0.99), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('nice ticks', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(-1.3, 1.3, 6), [-1, -0.5, 0, 0.5, 1]);
  assert.deepEqual(niceTicks(0, 0.3, 3), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(0, 87, 4), [0, 20, 40, 60, 80]);
  assert.deepEqual(niceTicks(3, 3, 4), [3]);
  assert.equal(niceStep(0.07), 0.05);
  assert.equal(niceStep(300), 200);
  assert.equal(linear(0, 10, 100, 200)(2.5), 125);
  // d3 underneath: reversed bounds still give ascending ticks; the scale inverts.
  assert.deepEqual(niceTicks(1.3, -1.3, 6), [-1, -0.5, 0, 0.5, 1]);
  assert.deepEqual(niceTicks(0, NaN, 4), []);
  assert.equal(linear(0, 10, 100, 200).invert(125), 2.5);
});

test('formatting', () => {
  assert.equal(fmt(3.14159), '3.14');
  assert.equal(fmt(1234.5), '1230');
  assert.equal(fmt(0.000123), '1.23e-4');
  assert.equal(fmt(NaN), '—');
  assert.equal(pct(12.345), '12.3%');
  assert.equal(showToken(' a\n'), '·a⏎');
  assert.equal(showToken(''), '∅');
});
