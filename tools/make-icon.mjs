// Draws media/icon.png (128×128, the Marketplace's minimum): a small tokens × layers heatmap,
// the product's central picture, on a dark rounded square. Deterministic; no image libraries.
// Usage: node tools/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const px = Buffer.alloc(N * N * 4);
const set = (x, y, [r, g, b, a]) => { const i = (y * N + x) * 4; px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = a; };
const inRounded = (x, y, r) => {
  const cx = Math.min(Math.max(x, r), N - 1 - r), cy = Math.min(Math.max(y, r), N - 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
// A fixed 6 × 6 "activation" pattern: one bright neuron column per language row pair.
const cells = [
  [0.1, 0.3, 0.9, 0.2, 0.1, 0.4], [0.2, 0.8, 0.3, 0.1, 0.6, 0.2], [0.7, 0.2, 0.1, 0.5, 0.2, 0.9],
  [0.1, 0.4, 0.2, 1.0, 0.3, 0.1], [0.3, 0.1, 0.6, 0.2, 0.8, 0.3], [0.9, 0.3, 0.2, 0.1, 0.4, 0.7],
];
// Viridis-like ramp from dark blue to yellow.
const ramp = (t) => [Math.round(68 + t * (253 - 68)), Math.round(1 + t * (231 - 1)), Math.round(84 + (t < 0.5 ? t * 120 : (1 - t) * 120 + 60 - 60 * t))];
for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
  if (!inRounded(x, y, 20)) { set(x, y, [0, 0, 0, 0]); continue; }
  set(x, y, [30, 34, 48, 255]);
  const gx = x - 16, gy = y - 16, cell = 16;
  if (gx >= 0 && gy >= 0 && gx < 6 * cell && gy < 6 * cell && gx % cell < cell - 3 && gy % cell < cell - 3) {
    set(x, y, [...ramp(cells[Math.floor(gy / cell)][Math.floor(gx / cell)]), 255]);
  }
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) { raw[y * (N * 4 + 1)] = 0; px.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4); }
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6;
writeFileSync('media/icon.png', Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
console.log('wrote media/icon.png');
