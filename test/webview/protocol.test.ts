import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHostToWebviewMessage, isWebviewToHostMessage } from '../../src/shared/protocol';
import { toWire } from '../../src/shared/wire';
import { activationsFixture, compareFixture, featuresFixture, lapeFixture } from './fixtures';

test('webview → host messages: valid ones pass', () => {
  assert.ok(isWebviewToHostMessage({ type: 'panel/ready', kind: 'activations' }));
  assert.ok(isWebviewToHostMessage({ type: 'panel/painted', view: 'activations', ms: 12.5 }));
  assert.ok(isWebviewToHostMessage({ type: 'panel/export', format: 'csv', suggestedName: 'a b (1).csv', content: 'x', encoding: 'utf8' }));
  assert.ok(isWebviewToHostMessage({ type: 'panel/export', format: 'png', suggestedName: 'h.png', content: 'AAAA', encoding: 'base64' }));
  assert.ok(isWebviewToHostMessage({ type: 'activations/selectToken', pos: 3, layer: null }));
  assert.ok(isWebviewToHostMessage({ type: 'neuron/hover', neuron: { layer: 3, index: 127 } }));
  assert.ok(isWebviewToHostMessage({ type: 'neuron/hover', neuron: null }));
  assert.ok(isWebviewToHostMessage({ type: 'features/select', layer: null, kind: 'q', indices: [1, 2] }));
  assert.ok(isWebviewToHostMessage({ type: 'languageNeurons/save' }));
});

test('webview → host messages: malformed ones fail', () => {
  assert.equal(isWebviewToHostMessage(null), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/ready', kind: 'nope' }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/painted', view: 'x', ms: -1 }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/painted', view: 'x', ms: NaN }), false);
  // Path traversal and hidden files in the suggested name.
  assert.equal(isWebviewToHostMessage({ type: 'panel/export', format: 'csv', suggestedName: '../x.csv', content: '', encoding: 'utf8' }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/export', format: 'csv', suggestedName: 'a/b.csv', content: '', encoding: 'utf8' }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/export', format: 'csv', suggestedName: '.bashrc', content: '', encoding: 'utf8' }), false);
  // PNG must be base64, text formats must be utf8.
  assert.equal(isWebviewToHostMessage({ type: 'panel/export', format: 'png', suggestedName: 'a.png', content: '', encoding: 'utf8' }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/export', format: 'svg', suggestedName: 'a.svg', content: '', encoding: 'base64' }), false);
  assert.equal(isWebviewToHostMessage({ type: 'activations/selectToken', pos: 1.5, layer: null }), false);
  assert.equal(isWebviewToHostMessage({ type: 'features/select', layer: 0, kind: 'q', indices: [-1] }), false);
  assert.equal(isWebviewToHostMessage({ type: 'activations/show' }), false, 'host → webview type is not accepted from the webview');
});

test('host → webview show messages validate the wire payloads', () => {
  const a = toWire(activationsFixture(4, 3, 2));
  assert.ok(isHostToWebviewMessage({ type: 'activations/show', analysis: a }));
  assert.equal(isHostToWebviewMessage({ type: 'activations/show', analysis: { ...a, topValue: [1, 2] } }), false, 'plain arrays are not the wire format');
  assert.equal(isHostToWebviewMessage({ type: 'activations/show', analysis: { ...a, topIndex: a.topValue } }), false, 'f32 where i32 is expected');
  assert.ok(isHostToWebviewMessage({ type: 'languageNeurons/show', lape: toWire(lapeFixture()) }));
  assert.ok(isHostToWebviewMessage({ type: 'features/show', features: toWire(featuresFixture(2, 8)) }));
  assert.ok(isHostToWebviewMessage({ type: 'compare/show', compare: toWire(compareFixture()) }));
  assert.ok(isHostToWebviewMessage({ type: 'activations/revealToken', pos: null }));
  assert.ok(isHostToWebviewMessage({ type: 'panel/exported', ok: true, path: '/tmp/x.png' }));
  assert.equal(isHostToWebviewMessage({ type: 'panel/exported', ok: 'yes' }), false);
  assert.equal(isHostToWebviewMessage({ type: 'panel/ready', kind: 'activations' }), false);
});
