/**
 * How typed arrays cross the host ↔ webview boundary and live inside the HTML report's JSON.
 *
 * Choice: base64 of the array's bytes, as `{ "$typed": "f32", "b64": "…" }`. Reasons:
 * - one format for three transports: webview postMessage, vscode.setState (panel restore after
 *   reload; the state must be JSON) and the report's embedded <script type="application/json">;
 * - exact: float32 values round-trip bit for bit (JSON number text of a float32 widened to
 *   double does too, but costs ~10 chars per value against 5.33 for base64);
 * - bounded size: 4 bytes per value → 5.33 chars, whatever the value.
 * Byte order is the platform's, little-endian on every platform VS Code and Chromium ship on.
 */
import { base64ToBytes, bytesToBase64 } from './base64';

export type TypedKind = 'f32' | 'f64' | 'i32' | 'u8' | 'u16';
export interface EncodedTyped {
  $typed: TypedKind;
  b64: string;
}
type AnyTyped = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;

/** Turns a type with typed-array fields into its JSON-safe wire form (recursively). */
export type Wire<T> = T extends AnyTyped
  ? EncodedTyped
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

function kindOf(x: unknown): TypedKind | null {
  if (x instanceof Float32Array) return 'f32';
  if (x instanceof Float64Array) return 'f64';
  if (x instanceof Int32Array) return 'i32';
  if (x instanceof Uint8Array) return 'u8';
  if (x instanceof Uint16Array) return 'u16';
  return null;
}

export function encodeTyped(x: AnyTyped): EncodedTyped {
  const kind = kindOf(x);
  if (!kind) throw new Error('not a supported typed array');
  return { $typed: kind, b64: bytesToBase64(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) };
}

export function decodeTyped(e: EncodedTyped): AnyTyped {
  const bytes = base64ToBytes(e.b64);
  // Copy into a fresh, aligned buffer: the decoded bytes start at offset 0, so this is safe.
  const buf = bytes.buffer;
  switch (e.$typed) {
    case 'f32': return new Float32Array(buf, 0, checkLen(bytes.length, 4));
    case 'f64': return new Float64Array(buf, 0, checkLen(bytes.length, 8));
    case 'i32': return new Int32Array(buf, 0, checkLen(bytes.length, 4));
    case 'u16': return new Uint16Array(buf, 0, checkLen(bytes.length, 2));
    case 'u8': return bytes;
  }
}

function checkLen(n: number, size: number): number {
  if (n % size !== 0) throw new Error(`typed array byte length ${n} is not a multiple of ${size}`);
  return n / size;
}

export function isEncodedTyped(x: unknown): x is EncodedTyped {
  return typeof x === 'object' && x !== null && typeof (x as EncodedTyped).$typed === 'string' &&
    typeof (x as EncodedTyped).b64 === 'string' && ['f32', 'f64', 'i32', 'u8', 'u16'].includes((x as EncodedTyped).$typed);
}

/** Deep-encodes every typed array inside a plain-data value. */
export function toWire<T>(value: T): Wire<T> {
  return walk(value, (x) => (kindOf(x) ? encodeTyped(x as AnyTyped) : undefined)) as Wire<T>;
}

/** Deep-decodes every `{ $typed, b64 }` inside a wire value. Throws on malformed base64. */
export function fromWire<T>(value: Wire<T>): T {
  return walk(value, (x) => (isEncodedTyped(x) ? decodeTyped(x) : undefined)) as T;
}

function walk(x: unknown, leaf: (x: unknown) => unknown): unknown {
  const replaced = leaf(x);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(x)) return x.map((v) => walk(v, leaf));
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = walk(v, leaf);
    return out;
  }
  return x;
}
