/**
 * The WebAssembly SIMD widening (checkpoint/widenSimd.ts) writes the bits the JS loop writes, for
 * every BF16 bit pattern, and says which chunks may hold NaN or infinity: through widenToF32 (a
 * stored copy, streaming mode) and readTensorF32Into (read from the file, mapped mode), with
 * lengths that leave a tail of fewer than 8 values and tensors spanning many scratch fills.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { f32Buffer, simdWidener } from '../../src/engine/checkpoint/widenSimd';
import { nonFiniteCount, readSafetensorsHeader, readTensorF32Into, widenToF32, widenToF32Checked, type SafetensorsDType } from '../../src/engine/checkpoint/safetensors';
import type { TensorEntry } from '../../src/engine/checkpoint/safetensors';
import { tempDir } from '../lape/helpers';

/** Every 16-bit pattern once, in a scrambled order so non-finite ones land in many chunks. */
function allPatterns(): Uint16Array {
  const out = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) out[i] = (i * 40503) & 0xffff;
  return out;
}

/** What BF16 bits h mean as F32 bits: h in the top half. */
const f32Bits = (h: number): number => (h << 16) >>> 0;

function assertBits(got: Float32Array, want: Uint16Array, what: string): void {
  const bits = new Uint32Array(got.buffer, got.byteOffset, got.length);
  assert.equal(bits.length, want.length, what);
  for (let i = 0; i < want.length; i++) if (bits[i] !== f32Bits(want[i]!)) assert.fail(`${what}: value ${i} is 0x${bits[i]!.toString(16)}, want 0x${f32Bits(want[i]!).toString(16)}`);
}

test('this runtime widens with SIMD (else the engine silently takes the slower JS loop)', () => {
  assert.ok(simdWidener(f32Buffer(1024, 512)), 'f32Buffer made no WebAssembly-backed buffer');
  assert.equal(simdWidener(new Float32Array(1024)), undefined, 'a plain array has no SIMD widener');
});

test('SIMD widening equals the JS loop for every BF16 bit pattern; tails, chunk edges and non-finite counts', () => {
  const patterns = allPatterns();
  // Lengths with a tail of 0-7 values after the 8-value groups; scratch sizes that split the tensor into many fills.
  for (const [count, scratch] of [[65536, 4096], [65531, 4096], [1003, 48], [257, 512 * 1024], [263, 16]] as const) {
    const stored = patterns.slice(0, count);
    const raw = new Uint8Array(stored.buffer);
    const into = f32Buffer(count, scratch);
    assert.ok(simdWidener(into), `${count} values: a SIMD buffer`);
    into.fill(7);
    assert.equal(widenToF32('BF16', raw, into), into);
    assertBits(into, stored, `widenToF32 ×${count} (scratch ${scratch})`);
    const checked = widenToF32Checked('BF16', raw, f32Buffer(count, scratch));
    assertBits(checked.values, stored, `widenToF32Checked ×${count}`);
    assert.equal(checked.nonFinite, nonFiniteCount('BF16', raw), `non-finite ×${count}`);
    assert.ok(checked.nonFinite > 0 || count < 300, 'the patterns include NaN and infinity');
  }
  // Finite values only: no false alarm from the SIMD carry test (the tail and the groups).
  const finite = allPatterns().filter((h) => (h & 0x7f80) !== 0x7f80).slice(0, 4099);
  const c = widenToF32Checked('BF16', new Uint8Array(finite.buffer, 0, finite.length * 2), f32Buffer(finite.length, 1024));
  assert.equal(c.nonFinite, 0);
  assertBits(c.values, finite, 'finite values');
});

test('readTensorF32Into a SIMD buffer reads and widens the file exactly, counting non-finite values when asked', () => {
  const dir = tempDir();
  const file = join(dir, 'w.safetensors');
  const patterns = allPatterns();
  const finite = patterns.filter((h) => (h & 0x7f80) !== 0x7f80).slice(0, 3001);
  // Written by hand: the writer takes F32 values for BF16 tensors, and these are raw bit patterns.
  // 7 values first: the next tensors start at byte offsets that are not multiples of 16.
  const tensors: [string, Uint16Array][] = [['a', new Uint16Array([1, 2, 3, 4, 5, 6, 7])], ['all', patterns], ['finite', finite]];
  const header: Record<string, unknown> = {};
  let at = 0;
  for (const [name, v] of tensors) {
    header[name] = { dtype: 'BF16', shape: [v.length], data_offsets: [at, at + v.byteLength] };
    at += v.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file, Buffer.concat([size, json, ...tensors.map(([, v]) => Buffer.from(v.buffer))]));
  const entries = new Map(readSafetensorsHeader(file).map((e) => [e.name, e as TensorEntry & { dtype: SafetensorsDType }]));
  const scratch = new Uint8Array(512 * 1024);
  const all = f32Buffer(65536, 2048);
  assert.equal(readTensorF32Into(entries.get('all')!, all, scratch, true), nonFiniteCount('BF16', new Uint8Array(patterns.buffer)));
  assertBits(all, patterns, 'all patterns from the file');
  all.fill(0);
  assert.equal(readTensorF32Into(entries.get('all')!, all, scratch, false), 0, 'not counted unless asked');
  assertBits(all, patterns, 'again, unchecked');
  const f = f32Buffer(3001, 512 * 1024);
  assert.equal(readTensorF32Into(entries.get('finite')!, f, scratch, true), 0);
  assertBits(f, finite, 'finite values from the file');
});
