/**
 * The machine's GEMM roof as the engine meets it: onnxruntime's F32 MatMul (the kernel every
 * linear layer runs on) for [M, K] × [K, N] with Llama-2-7B's MLP shape, best of a few runs.
 * Prints {"gflopPerSecond", "m", "k", "n", "threads"}.
 * Usage: node --import tsx bench/gemm-roof.ts [M] [threads]
 */
import { GraphBuilder } from '../src/engine/onnx/graph';
import { DType } from '../src/engine/onnx/proto';
import * as ort from '../src/engine/onnx/ort';

const M = Number(process.argv[2] ?? 1024);
const threads = Number(process.argv[3] ?? 2);
const K = 4096, N = 11008;
const g = new GraphBuilder();
const a = g.input('a', DType.FLOAT, [M, K]);
const b = g.input('b', DType.FLOAT, [K, N]);
g.op('MatMul', [a, b], undefined, 'mm', 'y');
g.output('y', DType.FLOAT, [M, N]);
async function main(): Promise<void> {
  const s = await ort.createSession(g.encode('gemm'), { threads });
  const A = new Float32Array(M * K).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const B = new Float32Array(K * N).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  let best = Infinity;
  for (let r = 0; r < 4; r++) {
    const t = performance.now();
    await ort.run(s, { a: ort.f32(A, [M, K]), b: ort.f32(B, [K, N]) }, ['y']);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  console.log(JSON.stringify({ gflopPerSecond: +((2 * M * K * N) / best / 1e9).toFixed(1), m: M, k: K, n: N, threads, seconds: +best.toFixed(3) }));
}

void main();
