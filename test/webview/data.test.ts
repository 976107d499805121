import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toWire } from '../../src/shared/wire';
import { decodeActivations, decodeFeatures, decodeLape } from '../../webview/render/data';
import { activationsFixture, featuresFixture, lapeFixture } from './fixtures';

test('decoders accept consistent payloads and reject wrong packed lengths', () => {
  const a = activationsFixture(4, 3, 2);
  assert.equal(decodeActivations(toWire(a)).topValue.length, 24);
  assert.throws(() => decodeActivations(toWire({ ...a, topK: 3 })), /topIndex: 24 values, expected 36/);
  const l = lapeFixture();
  assert.equal(decodeLape(toWire(l)).languages.length, 4);
  assert.throws(() => decodeLape(toWire({ ...l, neurons: l.neurons.slice(1) })), /neurons \(languages\): 3 values, expected 4/);
  const f = featuresFixture(2, 8);
  assert.throws(() => decodeFeatures(toWire({ ...f, largeMagnitude: { ...f.largeMagnitude!, top: 19 } })), /largeMagnitude.dims: 40 values, expected 38/);
});
