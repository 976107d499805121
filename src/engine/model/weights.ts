/**
 * Where the weights live between runs, and how a run gets them as F32 (what the graphs take):
 * - `resident`: widened to F32 once at load and held (fastest; F32 size in memory);
 * - `streaming`: held in the checkpoint's own precision (BF16/F16 stay 2 bytes a weight) and
 *   widened per graph segment as a run needs them (model.ts runs block by block in this mode);
 * - `mapped`: nothing held; each segment reads its weights from the safetensors file when it runs.
 *   Node has no mmap, so this is the memory-mapped mode done with positioned reads: the OS page
 *   cache keeps what fits, and the process holds one widened block at a time.
 * `auto` picks resident when the F32 weights fit in the memory available now, else mapped (chooseWeightsMode).
 * Block by block, widened weights read more than once are kept within a budget (openWeights).
 */
import { freemem, totalmem } from 'node:os';
import type { TensorEntry } from '../checkpoint/safetensors';
import { isFloatDType, nonFiniteCount, READ_CHUNK_BYTES, readTensorF32Into, readTensorRaw, widenToF32, type SafetensorsDType } from '../checkpoint/safetensors';
import type { TensorLookup } from '../checkpoint/checkpoint';
import type { WeightSpec } from '../arch/types';
import { UserError } from '../errors';
import { transpose2d } from '../checkpoint/transpose';
import { ARENA_GRID, f32Arena, f32Buffer, type F32Arena } from '../checkpoint/widenSimd';
import { CacheRelease, dropFromPageCache, type DropFromCache } from '../checkpoint/pageCache';

export type WeightsMode = 'resident' | 'streaming' | 'mapped';
export const WEIGHTS_MODES: readonly (WeightsMode | 'auto')[] = ['auto', 'resident', 'streaming', 'mapped'];

export interface WeightStore {
  readonly mode: WeightsMode;
  /** Bytes held in memory between runs (stored copies and retained widened weights). */
  readonly heldBytes: number;
  /** F32 bytes of widened weights kept for later runs (block-by-block modes; see openWeights). */
  readonly retainedBytes: number;
  /** F32 values of a weight (by spec name); in streaming/mapped mode a fresh array each call (never a retained one). */
  get(name: string): Float32Array | undefined;
  /**
   * F32 values of a weight for one run: the held array when resident, a retained one, else widened
   * into a buffer lent by `buffers` (valid until its release()). Callers must not write into it.
   */
  widen(name: string, buffers: WidenLease): Float32Array | undefined;
  /** A run is done: mapped mode hands the stored bytes of the weights it kept to the OS to drop from its page cache (openWeights). */
  endRun(): void;
}

/** Memory kept free for activations, onnxruntime's arena, the tokenizer and Node itself. */
export const HEADROOM_BYTES = 2 * 1024 ** 3;

export interface WeightsChoice {
  mode: WeightsMode;
  /** Why this mode, in words (info, --verbose, the status bar's tooltip). */
  reason: string;
  /** F32 bytes of widened weights a block-by-block mode may keep for later runs (openWeights). */
  retainBytes: number;
}

const gib = (b: number): string => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(b / 1024 ** 2)} MiB`);

/**
 * Picks the mode for a model: F32 resident if its F32 size fits, else mapped — read through the OS
 * page cache, nothing copied at load, widened weights kept after their first use as far as memory
 * allows. `available` defaults to the memory free now (MemAvailable on Linux), bounded by a cgroup
 * limit where Node reports one.
 *
 * Mapped rather than streaming: streaming's copy of the stored weights is new memory, which on this
 * project's VM costs 10-30 ns a value to touch the first time (83 s of load for a 7B BF16 model),
 * while a checkpoint already in the page cache is read into reused buffers at a fraction of a
 * nanosecond a byte; the budget that copy took goes to widened F32 blocks instead, which save the
 * widening on every later run (docs/scale.md). The retention budget leaves the page cache room for
 * the stored bytes of the blocks not kept (retained F32 bytes r need r·(1 − stored/F32) beyond the
 * file itself); streaming, whose stored copy is held, gets what is left beside it.
 */
export function chooseWeightsMode(f32Bytes: number, storedBytes: number, largestBlockF32: number, forced: WeightsMode | 'auto' = 'auto', available = availableMemory()): WeightsChoice {
  const room = available - HEADROOM_BYTES - largestBlockF32 - storedBytes;
  const ratio = storedBytes / Math.max(1, f32Bytes);
  const retain = (mode: WeightsMode): number => {
    if (mode === 'resident' || room <= 0) return 0;
    if (mode === 'streaming') return Math.min(f32Bytes, room);
    if (ratio >= 1) return f32Bytes;
    return Math.min(f32Bytes, room / (1 - ratio));
  };
  const kept = (bytes: number): string => (bytes > 0 ? `; up to ${gib(bytes)} of widened weights kept after their first use` : '');
  if (forced !== 'auto') {
    const r = retain(forced);
    return { mode: forced, reason: `forced (--weights ${forced})${kept(r)}`, retainBytes: r };
  }
  if (f32Bytes + HEADROOM_BYTES <= available) return { mode: 'resident', reason: `F32 weights (${gib(f32Bytes)}) fit in available memory (${gib(available)})`, retainBytes: 0 };
  const r = retain('mapped');
  return {
    mode: 'mapped',
    reason: `F32 weights (${gib(f32Bytes)}) exceed available memory (${gib(available)}); read from the file (the OS page cache) one block at a time, nothing copied at load${kept(r)}`,
    retainBytes: r,
  };
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

/** n values rounded up to where the next arena view may start. */
const onArenaGrid = (n: number): number => Math.ceil(n / ARENA_GRID) * ARENA_GRID;

/**
 * Reused buffers for the widened weights of block-by-block runs (streaming/mapped), kept by the
 * model across runs: each segment's weights are widened into buffers an earlier segment (or run)
 * used, so new memory is touched once per model, not once per run or per segment. Widening into
 * new memory costs 10-27 ns a value on this project's VM (a page fault every 4 KiB) against
 * 1.2-1.4 ns into memory already touched (docs/performance.md); generation, one run per token,
 * gains the most. The buffers live in WebAssembly memory, so BF16 weights are widened into them
 * with SIMD at about half the JS loop's cost (checkpoint/widenSimd.ts).
 *
 * Given `arenaValues` (the most any one segment takes: largestSegmentValues), a lease carves its
 * buffers from one arena of that size, one after another, and the next segment starts again at its
 * beginning: the embedding, a block and the head share the same memory, which a cold process then
 * touches once, for its largest segment (on a 7B model 0.8 GB instead of 1.8 GB: a cold analysis
 * 2.3-3.7 s sooner on this project's VM). A buffer that does not fit, or every buffer where no arena
 * could be made, comes from a pool of buffers of its own size.
 */
export class WidenBuffers {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly arenas: F32Arena[] = [];

  constructor(private readonly arenaValues = 0) {}

  /** Buffers for one segment of one run; several runs may hold leases at once (each with its own arena). */
  lease(): WidenLease {
    const lent: Float32Array[] = [];
    let arena: F32Arena | undefined;
    let used = 0;
    let noArena = false;
    return {
      take: (n) => {
        if (!arena && !noArena && n <= this.arenaValues) {
          arena = this.arenas.pop() ?? f32Arena(this.arenaValues, READ_CHUNK_BYTES);
          noArena = !arena;
        }
        if (arena && used + n <= arena.values) {
          const v = arena.view(used, n);
          used += onArenaGrid(n);
          return v;
        }
        const a = this.free.get(n)?.pop() ?? f32Buffer(n, READ_CHUNK_BYTES);
        lent.push(a);
        return a;
      },
      release: () => {
        for (const a of lent.splice(0)) {
          const list = this.free.get(a.length);
          if (list) list.push(a);
          else this.free.set(a.length, [a]);
        }
        if (arena) this.arenas.push(arena);
        arena = undefined;
        used = 0;
        noArena = false;
      },
    };
  }

  /** Drops every buffer (the model is disposed). */
  clear(): void {
    this.free.clear();
    this.arenas.length = 0;
  }
}

/**
 * The most F32 values one segment of a block-by-block run widens (each rounded up as WidenBuffers
 * aligns it): a block's weights (tensors whose name holds its layer number, e.g. `model.layers.3.`),
 * or the weights outside the blocks less the second largest of them: the embedding and the head
 * (the two largest, [vocab, d_model] each, tied or not) run in segments of their own, the small
 * ones (positions, norms) beside either. For BLOOM-3B that is 2.4 GiB, where both would be 4.8: more
 * than a WebAssembly memory holds (4 GiB), and no arena at all.
 */
export function largestSegmentValues(specs: { name: string; shape: number[] }[]): number {
  const blocks = new Map<string, number>();
  const outside: number[] = [];
  for (const s of specs) {
    const n = onArenaGrid(s.shape.reduce((a, b) => a * b, 1));
    const layer = /(?:^|\.)(\d+)\./.exec(s.name)?.[1];
    if (layer === undefined) outside.push(n);
    else blocks.set(layer, (blocks.get(layer) ?? 0) + n);
  }
  outside.sort((a, b) => b - a);
  return Math.max(0, outside.reduce((a, b) => a + b, 0) - (outside[1] ?? 0), ...blocks.values());
}

export interface WidenLease {
  /** An F32 buffer of n values, lent until release(). */
  take(n: number): Float32Array;
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
 *
 * Block by block (streaming, mapped), up to `retainBytes` of widened F32 weights are kept for later
 * runs: a weight widened a second time (the prefill after an analysis, each generated token, the
 * next analysis on a loaded model) is widened into an array of its own and kept, so every later run
 * skips its widening; past the budget, weights are widened into the lent buffers per run as before.
 * The first read of each weight never keeps anything, so a cold process touches no new memory for
 * its first result beyond the lent buffers (new memory costs 10-30 ns a value on this project's VM,
 * widening ~1.5: docs/performance.md). The values are the same bits either way.
 *
 * In mapped mode the stored bytes of a kept weight are not read again, so they are dropped from the
 * OS page cache once kept (`dropCached`, checkpoint/pageCache.ts): the memory they held goes to the
 * kept arrays, and the kernel no longer evicts the stored bytes of the weights not kept instead.
 */
export function openWeights(mode: WeightsMode, sources: Map<string, WeightSource>, retainBytes = 0, dropCached: DropFromCache = dropFromPageCache): WeightStore {
  // Tensors shared by several specs are read once (keyed by file, offset and layout).
  const fileKey = (w: WeightSource): string => `${w.entry.file}@${w.entry.offset}`;
  const key = (w: WeightSource): string => `${w.transposed ? 'T:' : ''}${fileKey(w)}`;
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
    return { mode, heldBytes: held, retainedBytes: 0, get: (n) => byName.get(n), widen: (n) => byName.get(n), endRun: () => {} };
  }
  /** Widens a weight's stored values (in the stored layout) into `into`, exactly its length. */
  let fill: (w: WeightSource, into: Float32Array) => Float32Array;
  let held = 0;
  if (mode === 'streaming') {
    // Tensors shared by several specs are held once; each source gets its stored bytes at load, not per run.
    const raws = new Map<string, Uint8Array>();
    const rawOf = new Map<WeightSource, Uint8Array>();
    for (const w of sources.values()) {
      let raw = raws.get(fileKey(w));
      if (!raw) {
        raw = readTensorRaw(w.entry);
        checkFinite(raw, w.entry);
        raws.set(fileKey(w), raw);
        held += raw.byteLength;
      }
      rawOf.set(w, raw);
    }
    fill = (w, into) => widenToF32(w.entry.dtype, rawOf.get(w)!, into);
  } else {
    // Each tensor is checked on its first read, in the widening pass itself.
    const checked = new Set<string>();
    const scratch = new Uint8Array(READ_CHUNK_BYTES);
    fill = (w, into) => {
      const k = fileKey(w);
      const bad = readTensorF32Into(w.entry, into, scratch, !checked.has(k));
      if (bad) throw nonFiniteError(w.entry, bad, into.length);
      checked.add(k);
      return into;
    };
  }
  const count = (w: WeightSource): number => w.entry.byteLength / bytesPer(w.entry.dtype);
  const retained = new Map<string, Float32Array>();
  const widenedOnce = new Set<string>();
  let retainedBytes = 0;
  const release = mode === 'mapped' ? new CacheRelease(dropCached) : undefined;
  return {
    mode,
    endRun: () => release?.flush(),
    get heldBytes() {
      return held + retainedBytes;
    },
    get retainedBytes() {
      return retainedBytes;
    },
    get: (n) => {
      const w = sources.get(n);
      if (!w) return undefined;
      // A kept weight's stored bytes may have left the page cache (CacheRelease): copy the kept
      // values rather than read them back from the disk. A copy, since get's callers may write.
      const kept = retained.get(key(w));
      return kept ? kept.slice() : toSpec(w, fill(w, new Float32Array(count(w))));
    },
    widen: (n, buffers) => {
      const w = sources.get(n);
      if (!w) return undefined;
      const k = key(w);
      const kept = retained.get(k);
      if (kept) return kept;
      const c = count(w);
      if (widenedOnce.has(k) && retainedBytes + 4 * c <= retainBytes) {
        // Widened (with SIMD) into a lent buffer, memory already touched, then copied into an array
        // of its own from malloc, which gives it huge pages in the engine process (worker/processEnv.ts;
        // a WebAssembly memory never gets them): its first touch costs 0.3-9 ns a value there
        // instead of 10-19 (a 7B model keeps ~14 GiB: docs/performance.md).
        const v = w.transposed ? toSpec(w, fill(w, new Float32Array(c))) : fill(w, buffers.take(c)).slice();
        retained.set(k, v);
        retainedBytes += v.byteLength;
        release?.add(w.entry.file, w.entry.offset, w.entry.byteLength);
        return v;
      }
      widenedOnce.add(k);
      if (w.transposed) return toSpec(w, fill(w, new Float32Array(c)));
      return fill(w, buffers.take(c));
    },
  };
}


const bytesPer = (d: SafetensorsDType): number => (d === 'F32' ? 4 : 2);
