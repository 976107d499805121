/**
 * BF16 → F32 widening as mapped mode does it (model/weights.ts): one block's MLP matrices read from
 * a safetensors file in 512 KiB chunks and widened into a reused buffer, by the JS loop (a plain
 * Float32Array) and by WebAssembly SIMD (a buffer from checkpoint/widenSimd.ts), alternating,
 * best of 3 each. Prints ns a value (the page-cache read included) per path.
 * Usage: node --import tsx bench/widen.ts MODEL_DIR/model.safetensors [block]
 */
import { readSafetensorsHeader, readTensorF32Into, type SafetensorsDType, type TensorEntry } from '../src/engine/checkpoint/safetensors';
import { f32Buffer } from '../src/engine/checkpoint/widenSimd';

const block = process.argv[3] ?? '3';
const entries = readSafetensorsHeader(process.argv[2]!).filter((e) => e.dtype === 'BF16' && e.name.includes(`layers.${block}.mlp.`)) as (TensorEntry & { dtype: SafetensorsDType })[];
if (!entries.length) throw new Error(`no BF16 MLP tensors of block ${block}`);
const n = entries[0]!.byteLength / 2;
if (entries.some((e) => e.byteLength !== 2 * n)) throw new Error('the MLP matrices differ in size');
const buffers = { js: new Float32Array(n).fill(1), simd: f32Buffer(n, 512 * 1024).fill(1) };
const scratch = new Uint8Array(512 * 1024);
const best: Record<string, number> = { js: Infinity, simd: Infinity };
for (let r = 0; r < 3; r++) {
  for (const [path, into] of Object.entries(buffers)) {
    const t = performance.now();
    for (const e of entries) readTensorF32Into(e, into, scratch, false);
    best[path] = Math.min(best[path]!, ((performance.now() - t) * 1e6) / (n * entries.length));
  }
}
console.log(JSON.stringify({ values: n * entries.length, jsNsPerValue: +best.js!.toFixed(3), simdNsPerValue: +best.simd!.toFixed(3) }));
