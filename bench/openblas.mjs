// The PyTorch baseline's OpenBLAS kernel, in bench/ only (tests and CI keep the environment as it
// is): the workplace presets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which need not suit the CPU a
// benchmark runs on (Intel or AMD). So both are unset, and each candidate kernel this CPU can run
// (OpenBLAS's own choice, Haswell, Zen on AMD, SkylakeX with AVX-512, Cooperlake with AVX-512 BF16)
// times one F32 GEMM of the benchmark's shape (1024 × 768 · 768 × 2048, best of 5 after a warm-up)
// in Debian's python3-torch, in two rounds over the candidates (the best of each kept, so a burst
// of another process during one candidate's turn does not decide); the fastest is the baseline's
// for the whole run. docs/performance.md
// says which won and by how much.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const GEMM = `
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a = torch.randn(1024, 768); b = torch.randn(768, 2048)
for _ in range(3): a @ b
best = 1e9
for _ in range(5):
    t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
print(2 * 1024 * 768 * 2048 / best / 1e9)
`;

function cpuFlags() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

/** Kernels this CPU can run; null = OpenBLAS's own detection. */
export function candidateCoretypes(info = cpuFlags()) {
  const c = [null, 'Haswell'];
  if (/AuthenticAMD/.test(info)) c.push('Zen');
  if (/\bavx512f\b/.test(info)) c.push('SkylakeX');
  if (/\bavx512_bf16\b/.test(info)) c.push('Cooperlake');
  return c;
}

// PyTorch runs its elementwise ops on OpenMP threads and its matrix products on OpenBLAS's own
// threads; by default the OpenMP workers spin after each parallel region and take the cores from
// OpenBLAS's threads. Passive waiting (what the engine does too: onnxruntime's allow_spinning 0,
// src/engine/onnx/ort.ts) made the baseline's 128-token forward on the random 85M model 2.6×
// faster on a 2-core machine (328 → 842 tok/s, docs/performance.md), so the baseline gets it.
function envFor(coretype) {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  env.OMP_WAIT_POLICY = 'PASSIVE';
  return env;
}

let chosen;

/** Times every candidate once per process; returns { coretype, gflops: {name: GFLOP/s} }. */
export function fastestOpenblas(threads = '2') {
  if (chosen) return chosen;
  const gflops = {};
  let best = { coretype: null, rate: -1 };
  for (let round = 0; round < 2; round++) {
    for (const c of candidateCoretypes()) {
      let rate = 0;
      try {
        rate = Number(execFileSync(py, ['-c', GEMM, String(threads)], { encoding: 'utf8', env: envFor(c) }).trim());
      } catch {
        continue; // a kernel this OpenBLAS build does not have
      }
      const name = c ?? 'auto';
      gflops[name] = Math.max(gflops[name] ?? 0, +rate.toFixed(1));
      if (rate > best.rate) best = { coretype: c, rate };
    }
  }
  chosen = { coretype: best.coretype ?? 'auto', gflops };
  process.stderr.write(`openblas: GEMM 1024×768×2048 GFLOP/s per kernel ${JSON.stringify(gflops)}; the baseline runs with ${chosen.coretype}\n`);
  return chosen;
}

/** The chosen kernel's name (auto = OpenBLAS's own detection). */
export function openblasCoretype() {
  return fastestOpenblas().coretype;
}

/** Environment for a baseline process: the presets unset, the fastest kernel set. */
export function torchEnv() {
  const c = fastestOpenblas().coretype;
  return envFor(c === 'auto' ? null : c);
}
