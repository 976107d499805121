// OpenBLAS kernel choice for the PyTorch baseline, the same on every run (docs/performance.md):
// Cooperlake when the CPU has avx512_bf16, else SkylakeX with AVX-512, else Haswell. Without it
// Debian's OpenBLAS may pick a slower generic path on some virtual machines.
import { readFileSync } from 'node:fs';

export function openblasCoretype() {
  let flags = '';
  try {
    flags = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return 'Haswell';
  }
  if (/\bavx512_bf16\b/.test(flags)) return 'Cooperlake';
  if (/\bavx512f\b/.test(flags)) return 'SkylakeX';
  return 'Haswell';
}

/** Environment for a baseline process. */
export function torchEnv() {
  return { ...process.env, OPENBLAS_CORETYPE: openblasCoretype() };
}
