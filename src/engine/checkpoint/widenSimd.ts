/**
 * BF16 → F32 widening with WebAssembly SIMD, for the F32 buffers block-by-block runs widen weights
 * into on every run (model/weights.ts WidenBuffers). A BF16 value is the top half of an F32, so the
 * widening is a byte shuffle: 8 stored values (16 bytes) become 8 F32 values (32 bytes) in two
 * i8x16.shuffle instructions, against two 32-bit stores per pair of values in the JS loop.
 * Measured on this project's VM (one 4096×11008 matrix, memory already touched): 0.58 ns a value
 * against the JS loop's 1.21 (docs/performance.md); every generated token of a 7B model in mapped
 * mode widens several G values.
 *
 * WebAssembly reads and writes only its own linear memory, so a buffer that is to be widened into
 * lives in a WebAssembly.Memory — its own (`f32Buffer`), or an arena that a run's segments carve
 * their buffers from (`f32Arena`) — with a scratch area behind the values for the stored bytes
 * being widened. The memory is made at its full size and never grown: growing
 * would detach the ArrayBuffer under the Float32Array handed out. The reused buffers and kept
 * weights are made here; other arrays (resident weights, transposed layouts) are widened by the JS
 * loop as before; the bits are the same either way (test/engine/widenSimd.test.ts checks every
 * BF16 bit pattern).
 */

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (d: { initial: number; maximum: number }) => WasmMemory;
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The widener compiled once per process; null when this runtime has no WebAssembly SIMD. */
let compiled: object | null | undefined;

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const name = (s: string): number[] => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const simd = (op: number): number[] => [0xfd, ...leb(op)];
const v128 = (bytes: number[]): number[] => [...simd(12), ...bytes]; // v128.const
const lanes16 = (even: number, odd: number): number[] => Array.from({ length: 16 }, (_, i) => (i % 2 ? odd : even));
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
/** Output bytes of F32 value j: two zero bytes (lane 16 = the zero vector), then stored bytes 2j, 2j+1 (little-endian). */
const spread = (first: number): number[] => [...simd(13), ...[0, 1, 2, 3].flatMap((j) => [16, 16, 2 * (first + j), 2 * (first + j) + 1])];

/**
 * `widen(src, dst, end) → i32`: widens the stored BF16 bytes [src, end) (a multiple of 16) into F32
 * at dst; returns 1 when some value may be NaN or infinite (all exponent bits set: adding the
 * exponent's lowest bit to the masked exponent carries into bit 15, as nonFiniteCount's fast pass).
 * Locals: 0 src, 1 dst, 2 end (params); 3 v, 4 any (v128).
 */
function moduleBytes(): Uint8Array {
  const zero = v128(new Array<number>(16).fill(0));
  const body = [
    0x01, 0x02, 0x7b, // two v128 locals
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(0), ...get(2), 0x4f, 0x0d, 0x01, // src >= end: leave the block
    ...get(0), ...simd(0), 0x00, 0x00, ...set(3), // v = v128.load(src)
    ...get(1), ...get(3), ...zero, ...spread(0), ...simd(11), 0x00, 0x00, // v128.store(dst, values 0-3)
    ...get(1), ...get(3), ...zero, ...spread(4), ...simd(11), 0x00, 0x10, // v128.store offset=16 (dst, values 4-7)
    ...get(4), ...get(3), ...v128(lanes16(0x80, 0x7f)), ...simd(78), ...v128(lanes16(0x80, 0x00)), ...simd(142), ...simd(80), ...set(4), // any |= (v & 0x7f80) + 0x0080
    ...get(0), 0x41, 0x10, 0x6a, ...set(0), // src += 16
    ...get(1), 0x41, 0x20, 0x6a, ...set(1), // dst += 32
    0x0c, 0x00, 0x0b, 0x0b, // br loop; end loop; end block
    ...get(4), ...v128(lanes16(0x00, 0x80)), ...simd(78), ...simd(83), // any_true(any & 0x8000)
    0x0b,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f]), // type: (i32, i32, i32) → i32
    ...section(2, [0x01, ...name('e'), ...name('m'), 0x02, 0x00, 0x00]), // import e.m: memory
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('widen'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

function widenerModule(): object | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** What a buffer made by f32Buffer is widened with (simdWidener). */
export interface SimdWidener {
  /** Stored bytes to widen go here (in the same memory as the values). */
  scratch: Uint8Array;
  /** Widens the first `bytes` stored bytes of the scratch into the values from index `at`; true when some value may be NaN or infinite. */
  widen: (bytes: number, at: number) => boolean;
}

const simdBuffers = new WeakMap<Float32Array, SimdWidener>();

const PAGE = 65536;
/** Below this many values a buffer is a plain array (a memory of its own costs at least a 64 KiB page). */
const MIN_VALUES = 256;
/** WebAssembly memories are at most 4 GiB (65,536 pages). */
const MAX_PAGES = 65536;

/**
 * An F32 buffer of n values for widening into (readTensorF32Into, with simdWidener): in a
 * WebAssembly memory of its own when this runtime has SIMD and the size allows, else a plain
 * Float32Array (widened in JS).
 * `scratchBytes` (a multiple of 16) is how many stored bytes are widened per call.
 */
export function f32Buffer(n: number, scratchBytes: number): Float32Array {
  const memory = n >= MIN_VALUES ? f32Arena(n, Math.min(scratchBytes, Math.ceil((2 * n) / 16) * 16)) : undefined;
  return memory ? memory.view(0, n) : new Float32Array(n);
}

/** Arena views start on this grid of values (64 bytes), as WidenBuffers lays them out. */
export const ARENA_GRID = 16;

/**
 * Lent buffers carved from one WebAssembly memory (model/weights.ts WidenBuffers): a block-by-block
 * run's segments (the embedding, each block, the head) take their buffers one after another from the
 * same memory, so a process touches new memory for its largest segment only, not for each shape a
 * segment has. New memory is what a cold process pays for on a VM: a 7B model's first analysis
 * spent ~8 s of its ~10 s touching 1.8 GB of buffers of three shapes (docs/performance.md).
 */
export interface F32Arena {
  /** Values it holds. */
  readonly values: number;
  /** The n values from index `at` (on ARENA_GRID), with their own SIMD widener (simdWidener). */
  view(at: number, n: number): Float32Array;
}

/**
 * A WebAssembly memory of `values` F32 values and a scratch area behind them, with the widener
 * instantiated on it; undefined where this runtime has no WebAssembly SIMD or the size exceeds a
 * memory's 4 GiB.
 */
export function f32Arena(values: number, scratchBytes: number): F32Arena | undefined {
  const mod = widenerModule();
  const valueBytes = Math.ceil((4 * values) / 16) * 16;
  const pages = Math.ceil((valueBytes + scratchBytes) / PAGE);
  if (!mod || !wasm || pages > MAX_PAGES) return undefined;
  let memory: WasmMemory;
  try {
    memory = new wasm.Memory({ initial: pages, maximum: pages });
  } catch {
    // Out of address space for another memory: the JS loop widens this one.
    return undefined;
  }
  const instance = new wasm.Instance(mod, { e: { m: memory } });
  const scratch: Scratch = {
    at: valueBytes,
    bytes: new Uint8Array(memory.buffer, valueBytes, scratchBytes),
    words: new Uint16Array(memory.buffer, valueBytes, scratchBytes >> 1),
    wasmWiden: instance.exports.widen as (src: number, dst: number, end: number) => number,
  };
  return {
    values,
    view: (at, n) => {
      if (at % ARENA_GRID || at + n > values) throw new Error(`f32Arena: ${n} values at ${at} do not fit ${values}`);
      const v = new Float32Array(memory.buffer, 4 * at, n);
      simdBuffers.set(v, widenerOf(v, scratch));
      return v;
    },
  };
}

/** A memory's scratch area (behind its values) and the widener instance on it, shared by its views. */
interface Scratch {
  at: number;
  bytes: Uint8Array;
  words: Uint16Array;
  wasmWiden: (src: number, dst: number, end: number) => number;
}

/** The widener of one buffer (or arena view), built once with it (a block-by-block run widens into each many times). */
function widenerOf(values: Float32Array, { at: scratchAt, bytes: scratch, words, wasmWiden }: Scratch): SimdWidener {
  const base = values.byteOffset;
  const bits = new Int32Array(values.buffer, base, values.length);
  return {
    scratch,
    widen: (bytes, at) => {
      const whole = bytes & ~15;
      let any = whole ? wasmWiden(scratchAt, base + 4 * at, scratchAt + whole) : 0;
      // The last values (fewer than 8) in JS, with the same carry test.
      for (let i = whole >> 1, j = at + (whole >> 1); i < bytes >> 1; i++, j++) {
        const h = words[i]!;
        bits[j] = h << 16;
        any |= ((h & 0x7f80) + 0x80) & 0x8000;
      }
      return any !== 0;
    },
  };
}

/**
 * The widener of a buffer made by f32Buffer, or undefined (a plain array, or a view into one): the
 * caller reads up to scratch.length stored bytes into the scratch, then widen(bytes, at) writes
 * those values at index `at` of the buffer and says whether any may be non-finite.
 */
export function simdWidener(into: Float32Array): SimdWidener | undefined {
  return simdBuffers.get(into);
}
