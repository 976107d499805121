import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THEME, divergingScale, luminance, lutOffset, LUT_STEPS, mix, parseColor, scaleColor, textOn, toHex } from '../../webview/render/color';

test('parseColor reads every form VS Code theme variables use', () => {
  assert.deepEqual(parseColor('#abc'), [170, 187, 204]);
  assert.deepEqual(parseColor('#abcd'), [170, 187, 204]);
  assert.deepEqual(parseColor(' #1F1F1F '), [31, 31, 31]);
  assert.deepEqual(parseColor('#3794ff80'), [55, 148, 255]);
  assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(parseColor('rgba(10 20 30 / 50%)'), [10, 20, 30]);
  assert.equal(parseColor('var(--x)'), null);
  assert.equal(parseColor('red'), null);
});

test('mix, toHex, luminance, textOn', () => {
  assert.deepEqual(mix([0, 0, 0], [255, 255, 255], 0.5), [128, 128, 128]);
  assert.deepEqual(mix([0, 0, 0], [200, 100, 0], 2), [200, 100, 0], 't is clamped');
  assert.equal(toHex([1, 171, 255]), '#01abff');
  assert.equal(luminance([255, 255, 255]), 1);
  assert.equal(textOn([255, 255, 255]), '#000000');
  assert.equal(textOn([31, 31, 31]), '#ffffff');
});

test('diverging scale: background at 0, theme colours at ±domain, saturating beyond, NaN empty', () => {
  const s = divergingScale({ ...DEFAULT_THEME, background: '#000000', positive: '#0000ff', negative: '#ff0000', foreground: '#ffffff' }, 2);
  const bg = [0, 0, 0] as const;
  assert.deepEqual(scaleColor(s, 0, bg), [0, 0, 0]);
  assert.deepEqual(scaleColor(s, 2, bg), [0, 0, 255]);
  assert.deepEqual(scaleColor(s, 50, bg), [0, 0, 255]);
  assert.deepEqual(scaleColor(s, -2, bg), [255, 0, 0]);
  // |t| = 0.5 → step 128 → t = 129/256 → 255·0.50390625 = 128.496 → 128.
  assert.deepEqual(scaleColor(s, 1, bg), [0, 0, 128]);
  assert.deepEqual(scaleColor(s, NaN, bg), [15, 15, 15], 'background 6% toward the foreground');
  assert.equal(lutOffset(s, 1), (LUT_STEPS + 128) * 3);
  assert.equal(lutOffset(s, -1), 128 * 3);
  assert.equal(lutOffset(s, 0), -1);
  assert.equal(divergingScale(DEFAULT_THEME, 0).domain, 1, 'zero domain falls back to 1');
});
