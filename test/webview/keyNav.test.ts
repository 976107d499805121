/** Keyboard navigation of rows and scatter points (issue 12, accessibility). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listStep, scatterStep } from '../../webview/render/keyNav';

test('listStep: arrows, Home/End, pages, clamped; other keys do not move', () => {
  assert.equal(listStep('ArrowDown', -1, 5), 0);
  assert.equal(listStep('ArrowDown', 2, 5), 3);
  assert.equal(listStep('ArrowDown', 4, 5), 4);
  assert.equal(listStep('ArrowUp', 0, 5), 0);
  assert.equal(listStep('ArrowUp', 3, 5), 2);
  assert.equal(listStep('Home', 3, 5), 0);
  assert.equal(listStep('End', 0, 5), 4);
  assert.equal(listStep('PageDown', 1, 50), 11);
  assert.equal(listStep('PageUp', 5, 50), 0);
  assert.equal(listStep('a', 1, 5), null);
  assert.equal(listStep('ArrowDown', 0, 0), null);
});

test('scatterStep: the nearest point ahead in the arrow\'s direction, keeping to the line', () => {
  //            0      1      2      3      4
  const px = [100, 110, 130, 100, 102];
  const py = [100, 100, 60, 130, 80];
  assert.equal(scatterStep(px, py, 0, 'ArrowRight'), 1, 'straight right beats a closer-in-x point far off the line');
  assert.equal(scatterStep(px, py, 0, 'ArrowDown'), 3, 'screen y grows downwards');
  assert.equal(scatterStep(px, py, 0, 'ArrowUp'), 4);
  assert.equal(scatterStep(px, py, 0, 'ArrowLeft'), -1, 'nothing to the left');
  assert.equal(scatterStep(px, py, -1, 'ArrowLeft', 129, 61), 2, 'no cursor yet: the point nearest the centre');
  assert.equal(scatterStep(px, py, 0, 'Enter'), -1);
});
