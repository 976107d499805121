/**
 * The machine's GEMM roof as the engine meets it: onnxruntime's F32 MatMul for [M, K] × [K, N]
 * with Llama-2-7B's MLP shape, and the op every linear layer of the engine runs — Gemm with the
 * weight [N, K] fed as an input and transB = 1 (graph.ts `linear`) — best of a few runs each.
 * Prints {"gflopPerSecond" (MatMul), "gemmTransBGflopPerSecond", "m", "k", "n", "threads"}.
 * Usage: node --import tsx bench/gemm-roof.ts [M] [threads]
 */
import { GraphBuilder } from '../src/engine/onnx/graph';
import { DType } from '../src/engine/onnx/proto';
import * as ort from '../src/engine/onnx/ort';

const M = Number(process.argv[2] ?? 1024);
const threads = Number(process.argv[3] ?? 2);
const K = 4096, N = 11008;

/** Best seconds of 4 runs of a one-op graph y = op(a, b). */
async function best(op: 'MatMul' | 'Gemm', b: Float32Array, bDims: number[], A: Float32Array): Promise<number> {
  const g = new GraphBuilder();
  g.op(op, [g.input('a', DType.FLOAT, [M, K]), g.input('b', DType.FLOAT, bDims)], op === 'Gemm' ? { transB: 1 } : undefined, 'mm', 'y');
  g.output('y', DType.FLOAT, [M, N]);
  const s = await ort.createSession(g.encode('gemm'), { threads });
  let t = Infinity;
  for (let r = 0; r < 4; r++) {
    const t0 = performance.now();
    await ort.run(s, { a: ort.f32(A, [M, K]), b: ort.f32(b, bDims) }, ['y']);
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  await s.release();
  return t;
}

async function main(): Promise<void> {
  const A = new Float32Array(M * K).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const B = new Float32Array(K * N).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const matmul = await best('MatMul', B, [K, N], A);
  const gemm = await best('Gemm', B, [N, K], A);
  const rate = (s: number): number => +((2 * M * K * N) / s / 1e9).toFixed(1);
  console.log(JSON.stringify({ gflopPerSecond: rate(matmul), gemmTransBGflopPerSecond: rate(gemm), m: M, k: K, n: N, threads, seconds: +matmul.toFixed(3) }));
}

void main();
