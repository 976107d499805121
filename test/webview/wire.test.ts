import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64ToBytes, bytesToBase64 } from '../../src/shared/base64';
import { fromWire, toWire } from '../../src/shared/wire';

test('base64 matches RFC 4648 test vectors', () => {
  const enc = (s: string): string => bytesToBase64(new TextEncoder().encode(s));
  assert.equal(enc(''), '');
  assert.equal(enc('f'), 'Zg==');
  assert.equal(enc('fo'), 'Zm8=');
  assert.equal(enc('foo'), 'Zm9v');
  assert.equal(enc('foobar'), 'Zm9vYmFy');
  assert.equal(new TextDecoder().decode(base64ToBytes('Zm9vYmE=')), 'fooba');
});

test('base64 agrees with Buffer on 100k random bytes (crosses the chunk boundary)', () => {
  const bytes = new Uint8Array(100_001).map((_, i) => (i * 2654435761) >>> 24);
  const s = bytesToBase64(bytes);
  assert.equal(s, Buffer.from(bytes).toString('base64'));
  assert.deepEqual(base64ToBytes(s), bytes);
});

test('base64 rejects bad input', () => {
  assert.throws(() => base64ToBytes('abc'), /multiple of 4/);
  assert.throws(() => base64ToBytes('ab!d'), /invalid base64 character at 2/);
});

test('typed arrays survive toWire → JSON → fromWire bit for bit, nested', () => {
  const v = { a: new Float32Array([1.5, -0, NaN, 3.4028234663852886e38]), b: [{ c: new Int32Array([-1, 2147483647]) }], s: 'x', n: null };
  const back = fromWire<typeof v>(JSON.parse(JSON.stringify(toWire(v))));
  assert.ok(back.a instanceof Float32Array);
  assert.deepEqual([...new Uint8Array(back.a.buffer)], [...new Uint8Array(v.a.buffer)]);
  assert.deepEqual([...back.b[0]!.c], [-1, 2147483647]);
  assert.equal(back.s, 'x');
  assert.equal(back.n, null);
  assert.deepEqual(toWire({ x: new Float32Array([1]) }), { x: { $typed: 'f32', b64: 'AACAPw==' } });
});
