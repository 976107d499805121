/**
 * Where the weights live between runs, and how a run gets them as F32 (what the graphs take):
 * - `resident`: widened to F32 once at load and held (fastest; F32 size in memory);
 * - `streaming`: held in the checkpoint's own precision (BF16/F16 stay 2 bytes a weight) and
 *   widened per graph segment as a run needs them (model.ts runs block by block in this mode);
 * - `mapped`: nothing held; each segment reads its weights from the safetensors file when it runs.
 *   Node has no mmap, so this is the memory-mapped mode done with positioned reads: the OS page
 *   cache keeps what fits, and the process holds one widened block at a time.
 * `auto` picks the first mode whose footprint fits in the memory available now.
 */
import { freemem, totalmem } from 'node:os';
import type { TensorEntry } from '../checkpoint/safetensors';
import { readTensorF32, readTensorRaw, widenToF32 } from '../checkpoint/safetensors';
import type { TensorLookup } from '../checkpoint/checkpoint';
import type { WeightSpec } from '../arch/types';
import { UserError } from '../errors';

export type WeightsMode = 'resident' | 'streaming' | 'mapped';
export const WEIGHTS_MODES: readonly (WeightsMode | 'auto')[] = ['auto', 'resident', 'streaming', 'mapped'];

export interface WeightStore {
  readonly mode: WeightsMode;
  /** Bytes held in memory between runs. */
  readonly heldBytes: number;
  /** F32 values of a weight (by spec name); in streaming/mapped mode a fresh array each call. */
  get(name: string): Float32Array | undefined;
}

/** Memory kept free for activations, onnxruntime's arena, the tokenizer and Node itself. */
const HEADROOM_BYTES = 2 * 1024 ** 3;

export interface WeightsChoice {
  mode: WeightsMode;
  /** Why this mode, in words (info, --verbose, the status bar's tooltip). */
  reason: string;
}

const gib = (b: number): string => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(b / 1024 ** 2)} MiB`);

/**
 * Picks the mode for a model: F32 resident if its F32 size fits, else its stored size (plus one
 * widened block), else mapped. `available` defaults to the memory free now (MemAvailable on Linux),
 * bounded by a cgroup limit where Node reports one.
 */
export function chooseWeightsMode(f32Bytes: number, storedBytes: number, largestBlockF32: number, forced: WeightsMode | 'auto' = 'auto', available = availableMemory()): WeightsChoice {
  if (forced !== 'auto') return { mode: forced, reason: `forced (--weights ${forced})` };
  if (f32Bytes + HEADROOM_BYTES <= available) return { mode: 'resident', reason: `F32 weights (${gib(f32Bytes)}) fit in available memory (${gib(available)})` };
  if (storedBytes + largestBlockF32 + HEADROOM_BYTES <= available) {
    return { mode: 'streaming', reason: `F32 weights (${gib(f32Bytes)}) exceed available memory (${gib(available)}); stored weights (${gib(storedBytes)}) fit, widened one block at a time` };
  }
  return { mode: 'mapped', reason: `stored weights (${gib(storedBytes)}) exceed available memory (${gib(available)}); read from the file one block at a time` };
}

export function availableMemory(): number {
  const free = freemem();
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return limit && limit > 0 && limit < totalmem() ? Math.min(free, limit - process.memoryUsage().rss) : free;
}

export function parseWeightsMode(v: string, subject = '--weights'): WeightsMode | 'auto' {
  if (!(WEIGHTS_MODES as readonly string[]).includes(v)) throw new UserError(subject, `must be one of ${WEIGHTS_MODES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as WeightsMode | 'auto';
}

/** Weight entries by spec name (several specs may share a source, e.g. a tied LM head). */
export function weightEntries(specs: WeightSpec[], lookup: TensorLookup): Map<string, TensorEntry> {
  return new Map(specs.map((s) => [s.name, lookup.entry(s.source, s.shape)]));
}

export function openWeights(mode: WeightsMode, entries: Map<string, TensorEntry>): WeightStore {
  // Tensors shared by several specs are read once (keyed by file and offset).
  const key = (e: TensorEntry): string => `${e.file}@${e.offset}`;
  if (mode === 'resident') {
    const bySource = new Map<string, Float32Array>();
    const byName = new Map<string, Float32Array>();
    for (const [name, e] of entries) {
      let d = bySource.get(key(e));
      if (!d) bySource.set(key(e), (d = readTensorF32(e)));
      byName.set(name, d);
    }
    const held = [...bySource.values()].reduce((n, a) => n + a.byteLength, 0);
    return { mode, heldBytes: held, get: (n) => byName.get(n) };
  }
  if (mode === 'streaming') {
    const bySource = new Map<string, Uint8Array>();
    const byName = new Map<string, { e: TensorEntry; raw: Uint8Array }>();
    for (const [name, e] of entries) {
      let raw = bySource.get(key(e));
      if (!raw) bySource.set(key(e), (raw = readTensorRaw(e)));
      byName.set(name, { e, raw });
    }
    const held = [...bySource.values()].reduce((n, a) => n + a.byteLength, 0);
    return {
      mode,
      heldBytes: held,
      get: (n) => {
        const w = byName.get(n);
        return w && widenToF32(w.e.dtype, w.raw);
      },
    };
  }
  return {
    mode,
    heldBytes: 0,
    get: (n) => {
      const e = entries.get(n);
      return e && readTensorF32(e);
    },
  };
}
