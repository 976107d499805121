/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header
 * mapping tensor names to dtype/shape/data_offsets, then the raw data). Every header field is
 * validated against the file size before any data is trusted, so a truncated or corrupt file
 * gives one clear error instead of garbage weights.
 */
import { closeSync, openSync, readSync, renameSync, writeSync, rmSync } from 'node:fs';
import { UserError } from '../errors';
import { ioProblem, openUserFile, readAt, withUserFile } from '../io/userFile';
import { simdWidener } from './widenSimd';

export type SafetensorsDType = 'F32' | 'F16' | 'BF16';
/**
 * Byte masks some checkpoints carry besides their weights (GPT-2's `attn.bias` causal masks were
 * saved as U8, later BOOL): accepted in the header, copied verbatim on export, never read as weights.
 */
export type MaskDType = 'U8' | 'BOOL';
/** Exact sums and counts: statistics partials (F64, engine/shard) and imported activation counts (I32/I64). */
export type NumericDType = 'F64' | 'I32' | 'I64';
export type StoredDType = SafetensorsDType | MaskDType | NumericDType;
const BYTES: Record<StoredDType, number> = { F32: 4, F16: 2, BF16: 2, U8: 1, BOOL: 1, F64: 8, I32: 4, I64: 8 };

export interface TensorEntry {
  name: string;
  dtype: StoredDType;
  shape: number[];
  file: string;
  /** Absolute byte offset of the data in `file` (header included). */
  offset: number;
  byteLength: number;
}

/** A header larger than this is certainly corrupt (real headers of 100k tensors stay far below). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Top-level keys of a JSON object text, in order, duplicates included (JSON.parse keeps only the
 * last of duplicate keys, which would let a crafted file hide a tensor). Assumes valid JSON.
 */
export function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (k < json.length && /\s/.test(json[k]!)) k++;
        if (json[k] === ':') keys.push(JSON.parse(json.slice(i, j + 1)) as string);
      }
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

function parseHeader(file: string, text: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new UserError(file, 'safetensors header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new UserError(file, `safetensors header must be a JSON object, got ${header === null ? 'null' : Array.isArray(header) ? 'an array' : typeof header}`);
  }
  const keys = topLevelKeys(text);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw new UserError(file, `tensor ${k} is listed twice in the safetensors header`);
    seen.add(k);
  }
  return header as Record<string, unknown>;
}

/** The `__metadata__` strings of a safetensors file, or undefined when it has none or cannot be read. */
export function readSafetensorsMetadata(file: string): Record<string, string> | undefined {
  try {
    return withUserFile(file, 'data', ({ fd, size }) => {
      const lenBuf = readAt(file, fd, 0, 8);
      if (lenBuf.length !== 8) return undefined;
      const n = Number(lenBuf.readBigUInt64LE(0));
      if (n > Math.min(MAX_HEADER_BYTES, size - 8)) return undefined;
      const meta = (JSON.parse(readAt(file, fd, 8, n).toString('utf8')) as { __metadata__?: unknown } | null)?.__metadata__;
      return typeof meta === 'object' && meta !== null ? (meta as Record<string, string>) : undefined;
    });
  } catch {
    return undefined;
  }
}

export function readSafetensorsHeader(file: string): TensorEntry[] {
  // A FIFO or device would block open/read forever: only plain files are weights.
  const { fd, size } = openUserFile(file, 'data');
  try {
    if (size < 8) throw new UserError(file, `truncated safetensors file (${size} bytes, no header length)`);
    const lenBuf = Buffer.alloc(8);
    readSync(fd, lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen > size - 8) throw new UserError(file, `header length ${headerLen} is larger than the file (${size} bytes)`);
    if (headerLen > MAX_HEADER_BYTES) throw new UserError(file, `header length ${headerLen} is implausibly large`);
    const hBuf = Buffer.alloc(headerLen);
    readSync(fd, hBuf, 0, headerLen, 8);
    const header = parseHeader(file, hBuf.toString('utf8'));
    const dataStart = 8 + headerLen;
    const dataSize = size - dataStart;
    const entries: TensorEntry[] = [];
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(file, `tensor ${name}: expected {dtype, shape, data_offsets}`);
      const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const dtype = info.dtype as StoredDType;
      if (!(typeof dtype === 'string' && Object.hasOwn(BYTES, dtype))) {
        throw new UserError(file, `tensor ${name} has unsupported dtype ${JSON.stringify(info.dtype)} (F32, F16 and BF16 are supported, U8 and BOOL masks are carried along, F64, I32 and I64 hold statistics)`);
      }
      const shape = info.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new UserError(file, `tensor ${name} has an invalid shape`);
      }
      const offs = info.data_offsets;
      if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0) || offs[1] < offs[0]) {
        throw new UserError(file, `tensor ${name} has invalid data_offsets`);
      }
      const [start, end] = offs as [number, number];
      const expected = (shape as number[]).reduce((a, b) => a * b, 1) * BYTES[dtype];
      if (end - start !== expected) {
        throw new UserError(file, `tensor ${name}: data_offsets span ${end - start} bytes but ${dtype}${JSON.stringify(shape)} needs ${expected}`);
      }
      if (end > dataSize) {
        throw new UserError(file, `tensor ${name} runs past the end of the file (truncated? data ends at ${end}, file has ${dataSize} data bytes)`);
      }
      entries.push({ name, dtype, shape: shape as number[], file, offset: dataStart + start, byteLength: end - start });
    }
    const sorted = [...entries].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (cur.offset < prev.offset + prev.byteLength) {
        throw new UserError(file, `tensors ${prev.name} and ${cur.name} overlap in the data section`);
      }
      if (cur.offset > prev.offset + prev.byteLength) {
        throw new UserError(file, `${cur.offset - prev.offset - prev.byteLength} bytes between tensors ${prev.name} and ${cur.name} belong to no tensor`);
      }
    }
    // As the format's reference loader: the tensors tile the data section exactly, from its first
    // byte to the end of the file, so no byte is hidden outside every tensor.
    const first = sorted[0];
    if (first && first.offset !== dataStart) throw new UserError(file, `${first.offset - dataStart} bytes at the start of the data section belong to no tensor`);
    const end = sorted.length ? sorted[sorted.length - 1]!.offset + sorted[sorted.length - 1]!.byteLength : dataStart;
    if (end !== size) throw new UserError(file, `${size - end} bytes after the last tensor belong to no tensor (the data section must end at the end of the file)`);
    return entries;
  } finally {
    closeSync(fd);
  }
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Lookup table: 65536 entries, so F16 conversion is one array read per value. */
let f16Table: Float32Array | undefined;
function f16Lut(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = f16ToF32(i);
  }
  return f16Table;
}

/**
 * The stored bytes of one tensor, whatever its dtype (masks are copied this way); into the start
 * of `into` when given (a buffer reused run after run, see model/weights.ts).
 */
export function readTensorRaw(e: TensorEntry, into?: Uint8Array): Uint8Array {
  return withUserFile(e.file, 'data', ({ fd, size }) => {
    // The header was checked against the file when it was read; a file cut since then ends here.
    if (e.offset + e.byteLength > size) throw new UserError(e.file, `tensor ${e.name} (${e.byteLength} bytes at ${e.offset}) runs past the end of the ${size}-byte file (truncated?)`);
    const out = into ? into.subarray(0, e.byteLength) : new Uint8Array(e.byteLength);
    readFully(e.file, fd, out, e.offset);
    return out;
  });
}

/** Bytes read from the file per step when a tensor is widened as it is read (readTensorF32Into): small enough to stay in the CPU's cache between the read and the widening. */
export const READ_CHUNK_BYTES = 512 * 1024;

/**
 * Reads one F32/F16/BF16 tensor straight into `into` (its F32 values, exactly its length): F32 bytes
 * land in `into` itself; F16/BF16 are read a chunk at a time into `scratch` (at least
 * READ_CHUNK_BYTES, reused) and widened from there while the chunk is still in the cache, so the
 * stored bytes never pass through main memory twice and no tensor-sized raw buffer is touched.
 * With `check`, returns the count of non-finite values (else 0, not counted).
 */
export function readTensorF32Into(e: TensorEntry & { dtype: SafetensorsDType }, into: Float32Array, scratch: Uint8Array, check: boolean): number {
  const count = e.byteLength / (e.dtype === 'F32' ? 4 : 2);
  if (into.length !== count) throw new Error(`readTensorF32Into: ${count} values into a buffer of ${into.length}`);
  return withUserFile(e.file, 'data', ({ fd, size }) => {
    if (e.offset + e.byteLength > size) throw new UserError(e.file, `tensor ${e.name} (${e.byteLength} bytes at ${e.offset}) runs past the end of the ${size}-byte file (truncated?)`);
    if (e.dtype === 'F32') {
      const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
      readFully(e.file, fd, bytes, e.offset);
      return check ? nonFiniteCount('F32', bytes) : 0;
    }
    const simd = e.dtype === 'BF16' ? simdWidener(into) : undefined;
    if (simd) {
      // A buffer in a WebAssembly memory (widenSimd.ts): the chunk is read into its own scratch.
      let bad = 0;
      for (let at = 0; at < e.byteLength; at += simd.scratch.length) {
        const n = Math.min(simd.scratch.length, e.byteLength - at);
        const raw = simd.scratch.subarray(0, n);
        readFully(e.file, fd, raw, e.offset + at);
        if (simd.widen(n, at / 2) && check) bad += nonFiniteCount('BF16', raw);
      }
      return bad;
    }
    const step = Math.min(scratch.length, READ_CHUNK_BYTES) & ~3;
    if (step < 4) throw new Error('readTensorF32Into: scratch buffer too small');
    let bad = 0;
    for (let at = 0; at < e.byteLength; at += step) {
      const n = Math.min(step, e.byteLength - at);
      const raw = scratch.subarray(0, n);
      readFully(e.file, fd, raw, e.offset + at);
      const out = into.subarray(at / 2, (at + n) / 2);
      if (check) {
        const r = widenToF32Checked(e.dtype, raw, out);
        bad += r.nonFinite;
      } else widenToF32(e.dtype, raw, out);
    }
    return bad;
  });
}

export const isFloatDType = (d: StoredDType): d is SafetensorsDType => d === 'F32' || d === 'F16' || d === 'BF16';

/** Reads one tensor as F32 (F16 and BF16 are widened exactly). */
export function readTensorF32(e: TensorEntry): Float32Array {
  if (!isFloatDType(e.dtype)) throw new UserError(e.file, `tensor ${e.name} is ${e.dtype}, not a weight (F32, F16 or BF16)`);
  return widenToF32(e.dtype, readTensorRaw(e));
}

/**
 * Stored F32/F16/BF16 bytes as F32 (exact: both 16-bit formats are subsets of F32); weights held in
 * their own precision are widened this way. `into` (exactly the tensor's length) receives the
 * values instead of a new array: memory already touched takes them without a page fault per 4 KiB,
 * which halves the cost of widening a 7B block (docs/performance.md).
 */
export function widenToF32(dtype: SafetensorsDType, raw: Uint8Array, into?: Float32Array): Float32Array {
  if (dtype === 'F32') {
    const v = raw.byteOffset % 4 === 0 ? new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4) : new Float32Array(raw.slice().buffer);
    if (!into) return v;
    into.set(v);
    return into;
  }
  return widenHalf(dtype, raw, into).values;
}

/** F16/BF16 widened; `maybeNonFinite` is false when no value is NaN or infinite (BF16 only: F16 says true). */
function widenHalf(dtype: 'F16' | 'BF16', raw: Uint8Array, into?: Float32Array): { values: Float32Array; maybeNonFinite: boolean } {
  const count = raw.byteLength / 2;
  if (into && into.length !== count) throw new Error(`widenToF32: ${count} values into a buffer of ${into.length}`);
  const values = into ?? new Float32Array(count);
  const simd = dtype === 'BF16' && into ? simdWidener(into) : undefined;
  if (simd) {
    let any = false;
    for (let at = 0; at < raw.length; at += simd.scratch.length) {
      const n = Math.min(simd.scratch.length, raw.length - at);
      simd.scratch.set(raw.subarray(at, at + n));
      any = simd.widen(n, at / 2) || any;
    }
    return { values, maybeNonFinite: any };
  }
  // The JS loops read 16-bit words: an odd offset is copied to an aligned buffer first.
  const half = raw.byteOffset % 2 === 0 ? new Uint16Array(raw.buffer, raw.byteOffset, count) : new Uint16Array(raw.slice().buffer);
  if (dtype === 'BF16') return { values, maybeNonFinite: widenBf16(half, values) };
  const lut = f16Lut();
  for (let i = 0; i < half.length; i++) values[i] = lut[half[i]!]!;
  return { values, maybeNonFinite: true };
}

/**
 * BF16 is the top half of an F32. Two values are read as one 32-bit word (little-endian: the
 * first in its low half) and written as two: half the loads of a value-by-value loop, measured
 * 0.85 instead of 1.5 ns a value on this project's machine — on a 7B model, seconds per pass.
 * Returns whether some value may be non-finite (the carry test of nonFiniteCount, folded into the
 * same pass at no measurable cost, so a tensor read from the file is checked without a second pass).
 */
function widenBf16(half: Uint16Array, out: Float32Array): boolean {
  const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
  const pairs = half.byteOffset % 4 === 0 ? half.length >> 1 : 0;
  const words = new Int32Array(half.buffer, pairs ? half.byteOffset : 0, pairs);
  let any = 0;
  for (let i = 0, j = 0; i < pairs; i++, j += 2) {
    const w = words[i]!;
    bits[j] = w << 16;
    bits[j + 1] = w & -65536;
    any |= (w & 0x7f807f80) + 0x00800080;
  }
  for (let i = pairs * 2; i < half.length; i++) {
    bits[i] = half[i]! << 16;
    any |= ((half[i]! & 0x7f80) + 0x80) << 16;
  }
  return (any & 0x80008000) !== 0;
}

/** widenToF32, and the count of non-finite values among them (one pass over the bytes for BF16). */
export function widenToF32Checked(dtype: SafetensorsDType, raw: Uint8Array, into?: Float32Array): { values: Float32Array; nonFinite: number } {
  if (dtype === 'F32') return { values: widenToF32(dtype, raw, into), nonFinite: nonFiniteCount(dtype, raw) };
  const { values, maybeNonFinite } = widenHalf(dtype, raw, into);
  return { values, nonFinite: maybeNonFinite ? nonFiniteCount(dtype, raw) : 0 };
}

/**
 * Non-finite values (NaN, ±infinity) among stored F32/F16/BF16 bytes, read from the bits (all
 * exponent bits set) without widening: the check every weight gets costs one read of the stored
 * bytes and no F32 copy.
 */
export function nonFiniteCount(dtype: SafetensorsDType, raw: Uint8Array): number {
  if (dtype === 'F32') {
    const v = raw.byteOffset % 4 === 0 ? new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4) : new Uint32Array(raw.slice().buffer);
    let bad = 0;
    for (let i = 0; i < v.length; i++) if ((v[i]! & 0x7f800000) === 0x7f800000) bad++;
    return bad;
  }
  const half = raw.byteOffset % 2 === 0 ? new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2) : new Uint16Array(raw.slice().buffer);
  const exp = dtype === 'F16' ? 0x7c00 : 0x7f80;
  // Fast pass, two values per 32-bit word: adding the exponent's lowest bit to the masked
  // exponent carries into bit 15 only when every exponent bit is set (0x7f80 + 0x80 = 0x8000 for
  // BF16, 0x7c00 + 0x400 for F16), so one OR over the tensor says whether any value is non-finite.
  const low = exp & -exp;
  const pairs = half.byteOffset % 4 === 0 ? half.length >> 1 : 0;
  const words = new Int32Array(half.buffer, pairs ? half.byteOffset : 0, pairs);
  const mask = exp * 0x10001;
  const carry = low * 0x10001;
  let any = 0;
  for (let i = 0; i < pairs; i++) any |= (words[i]! & mask) + carry;
  let bad = 0;
  for (let i = any & 0x80008000 ? 0 : pairs * 2; i < half.length; i++) if ((half[i]! & exp) === exp) bad++;
  return bad;
}

/**
 * Reads an F64 or integer tensor as F64: exact for F64, I32 and integers up to 2^53 (statistics
 * partials keep their sums in F64, see engine/shard; imported activation counts are I32/I64).
 */
export function readTensorF64(e: TensorEntry): Float64Array {
  if (e.dtype !== 'F64' && e.dtype !== 'I32' && e.dtype !== 'I64') throw new UserError(e.file, `tensor ${e.name} is ${e.dtype}, expected F64, I32 or I64`);
  const raw = readTensorRaw(e);
  if (e.dtype === 'F64') return new Float64Array(raw.buffer);
  if (e.dtype === 'I32') return Float64Array.from(new Int32Array(raw.buffer));
  const big = new BigInt64Array(raw.buffer);
  return Float64Array.from(big, (v) => Number(v));
}

function readFully(file: string, fd: number, dst: Uint8Array, position: number): void {
  let done = 0;
  while (done < dst.length) {
    let n: number;
    try {
      n = readSync(fd, dst, done, dst.length - done, position + done);
    } catch (e) {
      throw new UserError(file, ioProblem(e));
    }
    if (n === 0) throw new UserError(file, `ends at byte ${position + done}, inside data that should run to byte ${position + dst.length} (truncated?)`);
    done += n;
  }
}

export interface TensorToWrite {
  name: string;
  dtype: SafetensorsDType | NumericDType;
  shape: number[];
  /**
   * F32 values, converted to `dtype` on write; F64 tensors may take a Float64Array, written as is.
   * A function is called when the tensor is written, so a large checkpoint is written holding one
   * tensor's values at a time.
   */
  data: Float32Array | Float64Array | (() => Float32Array);
}

/** A mask tensor written back byte for byte. */
export interface RawTensorToWrite {
  name: string;
  dtype: MaskDType | NumericDType;
  shape: number[];
  raw: Uint8Array;
}

function f32ToF16(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant = (mant | 0x800000) >> (1 - exp);
    return sign | ((mant + 0x1000) >> 13);
  }
  const r = sign | (exp << 10) | (mant >> 13);
  // round to nearest even on the dropped bits
  const rem = mant & 0x1fff;
  return rem > 0x1000 || (rem === 0x1000 && (r & 1)) ? r + 1 : r;
}

function encode(tw: TensorToWrite | RawTensorToWrite): Uint8Array {
  if ('raw' in tw) return tw.raw;
  const data = typeof tw.data === 'function' ? tw.data() : tw.data;
  const n = tw.shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new Error(`tensor ${tw.name}: ${data.length} values for shape [${tw.shape.join(', ')}]`);
  if (tw.dtype === 'F64') {
    const d = data instanceof Float64Array ? data : Float64Array.from(data);
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  if (tw.dtype === 'I32') return new Uint8Array(Int32Array.from(data).buffer);
  if (tw.dtype === 'I64') return new Uint8Array(BigInt64Array.from(data, (v) => BigInt(Math.round(v))).buffer);
  if (data instanceof Float64Array) throw new Error(`tensor ${tw.name}: F64 values written as ${tw.dtype}`);
  if (tw.dtype === 'F32') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint16Array(data.length);
  if (tw.dtype === 'F16') {
    for (let i = 0; i < data.length; i++) out[i] = f32ToF16(data[i]!);
  } else {
    const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16; // round to nearest even
    }
  }
  return new Uint8Array(out.buffer);
}

/**
 * Writes a safetensors file atomically: to `<file>.tmp-<pid>` first, then renamed, so a crash
 * never leaves a half-written file under the final name.
 */
export function writeSafetensors(file: string, tensors: (TensorToWrite | RawTensorToWrite)[], metadata?: Record<string, string>): void {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  // Sizes come from shapes, so values are made (and encoded) only as each tensor is written.
  let offset = 0;
  for (const t of tensors) {
    const bytes = 'raw' in t ? t.raw.byteLength : t.shape.reduce((x, y) => x * y, 1) * BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const hb = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hb.length));
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, len);
    writeSync(fd, hb);
    for (const t of tensors) writeSync(fd, encode(t));
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
