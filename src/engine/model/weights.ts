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
import { isFloatDType, nonFiniteCount, readTensorRaw, widenToF32, widenToF32Checked, type SafetensorsDType } from '../checkpoint/safetensors';
import type { TensorLookup } from '../checkpoint/checkpoint';
import type { WeightSpec } from '../arch/types';
import { UserError } from '../errors';
import { transpose2d } from '../checkpoint/transpose';

export type WeightsMode = 'resident' | 'streaming' | 'mapped';
export const WEIGHTS_MODES: readonly (WeightsMode | 'auto')[] = ['auto', 'resident', 'streaming', 'mapped'];

export interface WeightStore {
  readonly mode: WeightsMode;
  /** Bytes held in memory between runs. */
  readonly heldBytes: number;
  /** F32 values of a weight (by spec name); in streaming/mapped mode a fresh array each call. */
  get(name: string): Float32Array | undefined;
  /**
   * F32 values of a weight for one run: the held array when resident, else widened into a buffer
   * lent by `buffers` (valid until its release()).
   */
  widen(name: string, buffers: WidenLease): Float32Array | undefined;
}

/** Memory kept free for activations, onnxruntime's arena, the tokenizer and Node itself. */
export const HEADROOM_BYTES = 2 * 1024 ** 3;

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

/** Where a weight comes from: its checkpoint entry, stored [in, out] when `transposed` (GPT-2's Conv1D). */
export interface WeightSource {
  entry: TensorEntry & { dtype: SafetensorsDType };
  transposed: boolean;
}

/** Weight sources by spec name (several specs may share a source, e.g. a tied LM head). */
export function weightEntries(specs: WeightSpec[], lookup: TensorLookup): Map<string, WeightSource> {
  return new Map(
    specs.map((s) => {
      const stored = s.transposed ? [s.shape[1]!, s.shape[0]!] : s.shape;
      const entry = lookup.entry(s.source, stored);
      if (!isFloatDType(entry.dtype)) throw new UserError(entry.file, `tensor ${entry.name} is ${entry.dtype}, not a weight (F32, F16 or BF16)`);
      return [s.name, { entry: entry as TensorEntry & { dtype: SafetensorsDType }, transposed: s.transposed ?? false }];
    }),
  );
}

/** F32 values in the spec's [out, in] layout from stored bytes. */
function toSpec(w: WeightSource, values: Float32Array): Float32Array {
  return w.transposed ? transpose2d(values, w.entry.shape[0]!, w.entry.shape[1]!) : values;
}

/**
 * Reused buffers for the widened weights of block-by-block runs (streaming/mapped), kept by the
 * model across runs: each segment's weights are widened into buffers an earlier segment (or run)
 * used, so new memory is touched once per model, not once per run or per segment. Widening into
 * new memory costs 10-27 ns a value on this project's VM (a page fault every 4 KiB) against
 * 1.2-1.4 ns into memory already touched (docs/performance.md); generation, one run per token,
 * gains the most. The pool holds one block's widened weights and the embedding or head matrix.
 */
export class WidenBuffers {
  private readonly free = new Map<number, Float32Array[]>();
  private bytes = new Uint8Array(0);

  /** Buffers for one segment of one run; several runs may hold leases at once. */
  lease(): WidenLease {
    const lent: Float32Array[] = [];
    return {
      take: (n) => {
        const a = this.free.get(n)?.pop() ?? new Float32Array(n);
        lent.push(a);
        return a;
      },
      raw: (n) => {
        if (this.bytes.length < n) this.bytes = new Uint8Array(n);
        return this.bytes.subarray(0, n);
      },
      release: () => {
        for (const a of lent.splice(0)) {
          const list = this.free.get(a.length);
          if (list) list.push(a);
          else this.free.set(a.length, [a]);
        }
      },
    };
  }

  /** Drops every buffer (the model is disposed). */
  clear(): void {
    this.free.clear();
    this.bytes = new Uint8Array(0);
  }
}

export interface WidenLease {
  /** An F32 buffer of n values, lent until release(). */
  take(n: number): Float32Array;
  /** n bytes to read one tensor into from the file; valid until the next call (reads are synchronous). */
  raw(n: number): Uint8Array;
  /** Every buffer taken may be reused (the segment that read them has run). */
  release(): void;
}

/** NaN or infinite weights would run silently and make every output NaN: refused by tensor name. */
function checkFinite(raw: Uint8Array, e: TensorEntry & { dtype: SafetensorsDType }): void {
  const bad = nonFiniteCount(e.dtype, raw);
  if (bad) throw nonFiniteError(e, bad, raw.byteLength / bytesPer(e.dtype));
}

function nonFiniteError(e: TensorEntry, bad: number, of: number): UserError {
  return new UserError(e.file, `tensor ${e.name} has ${bad} non-finite values (NaN or infinity) of ${of}`);
}

/**
 * Every weight is checked for non-finite values once, on its stored bytes: at load when resident
 * or streaming, and on its first read in mapped mode (later reads of the same file region skip it).
 */
export function openWeights(mode: WeightsMode, sources: Map<string, WeightSource>): WeightStore {
  // Tensors shared by several specs are read once (keyed by file, offset and layout).
  const key = (w: WeightSource): string => `${w.transposed ? 'T:' : ''}${w.entry.file}@${w.entry.offset}`;
  if (mode === 'resident') {
    const byKey = new Map<string, Float32Array>();
    const byName = new Map<string, Float32Array>();
    for (const [name, w] of sources) {
      let d = byKey.get(key(w));
      if (!d) {
        const raw = readTensorRaw(w.entry);
        checkFinite(raw, w.entry);
        byKey.set(key(w), (d = toSpec(w, widenToF32(w.entry.dtype, raw))));
      }
      byName.set(name, d);
    }
    const held = [...byKey.values()].reduce((n, a) => n + a.byteLength, 0);
    return { mode, heldBytes: held, get: (n) => byName.get(n), widen: (n) => byName.get(n) };
  }
  if (mode === 'streaming') {
    const raws = new Map<string, Uint8Array>();
    const byName = new Map<string, { w: WeightSource; raw: Uint8Array }>();
    for (const [name, w] of sources) {
      const k = `${w.entry.file}@${w.entry.offset}`;
      let raw = raws.get(k);
      if (!raw) {
        raws.set(k, (raw = readTensorRaw(w.entry)));
        checkFinite(raw, w.entry);
      }
      byName.set(name, { w, raw });
    }
    const held = [...raws.values()].reduce((n, a) => n + a.byteLength, 0);
    const get = (n: string): Float32Array | undefined => {
      const x = byName.get(n);
      return x && toSpec(x.w, widenToF32(x.w.entry.dtype, x.raw));
    };
    return {
      mode,
      heldBytes: held,
      get,
      widen: (n, buffers) => {
        const x = byName.get(n);
        if (!x || x.w.transposed) return get(n);
        return widenToF32(x.w.entry.dtype, x.raw, buffers.take(x.raw.byteLength / bytesPer(x.w.entry.dtype)));
      },
    };
  }
  // Each tensor is checked on its first read, in the widening pass itself (widenToF32Checked).
  const checked = new Set<string>();
  const read = (w: WeightSource, into?: Float32Array, rawInto?: Uint8Array): Float32Array => {
    const raw = readTensorRaw(w.entry, rawInto);
    const k = `${w.entry.file}@${w.entry.offset}`;
    if (checked.has(k)) return widenToF32(w.entry.dtype, raw, into);
    const { values, nonFinite } = widenToF32Checked(w.entry.dtype, raw, into);
    if (nonFinite) throw nonFiniteError(w.entry, nonFinite, values.length);
    checked.add(k);
    return values;
  };
  const get = (n: string): Float32Array | undefined => {
    const w = sources.get(n);
    return w && toSpec(w, read(w));
  };
  return {
    mode,
    heldBytes: 0,
    get,
    widen: (n, buffers) => {
      const w = sources.get(n);
      if (!w || w.transposed) return get(n);
      const count = w.entry.byteLength / bytesPer(w.entry.dtype);
      return read(w, buffers.take(count), buffers.raw(w.entry.byteLength));
    },
  };
}

const bytesPer = (d: SafetensorsDType): number => (d === 'F32' ? 4 : 2);
