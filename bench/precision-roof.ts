/**
 * The GEMM roof of this CPU by precision, for the engine (onnxruntime's CPU provider) and the
 * PyTorch baseline in the same run, at the LAPE batch's shape (1024 × 768 · 768 × 2048, the random
 * 110M-class model's MLP). It answers one question of issue #25: can the engine be 2.5× PyTorch's
 * F32 while computing the same numbers? Only if it runs a lower precision than the baseline does —
 * so this prints what each precision reaches on both sides (best of 6 after a warm-up):
 *   engine  f32  Gemm with transB = 1, the op every linear layer of the engine runs (graph.ts `linear`)
 *   engine  f16  MatMul on float16 (whether onnxruntime's CPU provider has a fast half kernel here)
 *   engine  u8s8 MatMulInteger, uint8 × int8 → int32 (what a dynamically quantized layer would run)
 *   torch   f32  the baseline's GEMM with its fastest OpenBLAS kernel (bench/openblas.mjs)
 *   torch   bf16 PyTorch's bfloat16 GEMM (oneDNN; AMX where the CPU has it)
 * Rates are 2·M·K·N per second, integer operations counted like floating ones.
 * Usage: node --import tsx bench/precision-roof.ts [threads]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
// A benchmark tool, not the engine: it needs tensor types (float16, int8) the engine never feeds.
// eslint-disable-next-line no-restricted-imports
import type * as Ort from 'onnxruntime-node';
import { GraphBuilder } from '../src/engine/onnx/graph';
import { DType } from '../src/engine/onnx/proto';
import { createSession, run } from '../src/engine/onnx/ort';
// @ts-expect-error a plain ES module shared with the other bench scripts, without types
import { torchEnv } from './openblas.mjs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;
const threads = Number(process.argv[2] ?? 2);
const M = 1024, K = 768, N = 2048;
const FLOP = 2 * M * K * N;
// ONNX's TensorProto INT8: the engine's DType lists only the types the engine itself feeds.
const INT8 = 3 as DType;

type Feeds = Record<string, Ort.Tensor>;

/** GFLOP/s of the best of 6 runs of a one-op graph y = op(a, b). */
async function rate(op: string, aType: DType, bType: DType, yType: DType, bDims: number[], feeds: Feeds, attrs?: Record<string, number>): Promise<number> {
  const g = new GraphBuilder();
  g.op(op, [g.input('a', aType, [M, K]), g.input('b', bType, bDims)], attrs, 'mm', 'y');
  g.output('y', yType, [M, N]);
  const s = await createSession(g.encode(op), { threads });
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    await run(s, feeds, ['y']);
    if (r > 0) best = Math.min(best, (performance.now() - t0) / 1000);
  }
  await s.release();
  return +(FLOP / best / 1e9).toFixed(1);
}

const TORCH = `
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
out = {}
for name, dt in (('f32', torch.float32), ('bf16', torch.bfloat16)):
    a = torch.randn(${M}, ${K}).to(dt); b = torch.randn(${K}, ${N}).to(dt)
    for _ in range(3): a @ b
    best = 1e9
    for _ in range(6):
        t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
    out[name] = round(${FLOP} / best / 1e9, 1)
print(out['f32'], out['bf16'])
`;

async function main(): Promise<void> {
  const a = new Float32Array(M * K).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = new Float32Array(N * K).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const engine = {
    f32: await rate('Gemm', DType.FLOAT, DType.FLOAT, DType.FLOAT, [N, K], { a: new ort.Tensor('float32', a, [M, K]), b: new ort.Tensor('float32', b, [N, K]) }, { transB: 1 }),
    // float16 1.0 and 0.5: the values do not change a kernel's speed.
    f16: await rate('MatMul', DType.FLOAT16, DType.FLOAT16, DType.FLOAT16, [K, N], { a: new ort.Tensor('float16', new Uint16Array(M * K).fill(0x3c00), [M, K]), b: new ort.Tensor('float16', new Uint16Array(K * N).fill(0x3800), [K, N]) }),
    u8s8: await rate('MatMulInteger', DType.UINT8, INT8, DType.INT32, [K, N], { a: new ort.Tensor('uint8', new Uint8Array(M * K).map((_, i) => i % 251), [M, K]), b: new ort.Tensor('int8', new Int8Array(K * N).map((_, i) => (i % 255) - 127), [K, N]) }),
  };
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const [f32, bf16] = execFileSync(py, ['-c', TORCH, String(threads)], { encoding: 'utf8', env: torchEnv() }).trim().split(' ').map(Number);
  console.log(JSON.stringify({ m: M, k: K, n: N, threads, engine, torch: { f32, bf16 } }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
