/**
 * What prepacking buys (issue #25): a stack of MLP-shaped linear layers (d 768 ↔ 3072, 6 pairs,
 * 28M weights) run by onnxruntime three ways — weights fed as graph inputs every run (Gemm
 * transB, what the engine did), weights as initializers from in-memory external data (Gemm
 * transB; onnxruntime prepacks B once at session creation), and pre-transposed initializers
 * (MatMul) — at M = 1, 32, 128 and 1024 rows; seconds per run (best of 5 after a warm-up) and
 * RSS after each session is created.
 * Usage: node --import tsx bench/prepack.ts [threads]
 */
import { DType } from '../src/engine/onnx/proto';
import { GraphBuilder } from '../src/engine/onnx/graph';
import * as ort from '../src/engine/onnx/ort';
import { mulberry32 } from '../src/engine/random';

const threads = Number(process.argv[2] ?? 2);
const D = 768;
const F = 3072;
const PAIRS = 6;
const rnd = mulberry32(1);
const shapes: [number, number][] = [];
for (let i = 0; i < PAIRS; i++) shapes.push([F, D], [D, F]);
const weights = shapes.map(([o, i]) => Float32Array.from({ length: o * i }, () => (rnd() - 0.5) * 0.04));
const blob = new Uint8Array(weights.reduce((n, w) => n + w.byteLength, 0));
const offsets: number[] = [];
let at = 0;
for (const w of weights) {
  offsets.push(at);
  blob.set(new Uint8Array(w.buffer), at);
  at += w.byteLength;
}
const transposed = weights.map((w, k) => {
  const [o, i] = shapes[k]!;
  const t = new Float32Array(o * i);
  for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) t[c * o + r] = w[r * i + c]!;
  return t;
});
const tblob = new Uint8Array(blob.length);
transposed.forEach((t, k) => tblob.set(new Uint8Array(t.buffer), offsets[k]!));

function graph(mode: 'inputs' | 'initializers' | 'matmul'): Uint8Array {
  const g = new GraphBuilder();
  let x = g.input('x', DType.FLOAT, ['M', D]);
  shapes.forEach(([o, i], k) => {
    const name = `w${k}`;
    if (mode === 'inputs') g.input(name, DType.FLOAT, [o, i]);
    else g.initializers.push({ name, dtype: DType.FLOAT, dims: mode === 'matmul' ? [i, o] : [o, i], external: { location: 'weights.bin', offset: offsets[k]!, length: o * i * 4 } });
    x = mode === 'matmul' ? g.matmul(x, name) : g.linear(x, name);
  });
  g.name(x, 'y');
  g.output('y', DType.FLOAT, ['M', D]);
  return g.encode('prepack');
}

const rss = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

async function main(): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const mode of ['inputs', 'initializers', 'matmul'] as const) {
    const before = rss();
    const session = await ort.createSession(graph(mode), { threads, externalData: mode === 'inputs' ? undefined : [{ path: 'weights.bin', data: mode === 'matmul' ? tblob : blob }] });
    const after = rss();
    const feedsW: Record<string, ort.OrtTensor> = {};
    if (mode === 'inputs') weights.forEach((w, k) => (feedsW[`w${k}`] = ort.f32(w, shapes[k]!)));
    const row: Record<string, unknown> = { mode, rss_session_mb: after - before };
    for (const M of [1, 32, 128, 1024]) {
      const x = ort.f32(Float32Array.from({ length: M * D }, () => rnd() - 0.5), [M, D]);
      let best = Infinity;
      for (let r = 0; r < 6; r++) {
        const t0 = performance.now();
        await ort.run(session, { x, ...feedsW }, ['y']);
        if (r > 0) best = Math.min(best, performance.now() - t0);
      }
      const gflop = (2 * M * weights.reduce((n, w) => n + w.length, 0)) / 1e9;
      row[`M${M}_ms`] = +best.toFixed(2);
      row[`M${M}_gflops`] = +(gflop / (best / 1000)).toFixed(1);
    }
    rows.push(row);
    await session.release();
  }
  console.table(rows);
  console.log(JSON.stringify({ threads, weightsMb: Math.round(blob.length / 2 ** 20), rows }));
}
void main();
