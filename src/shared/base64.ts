/**
 * Base64 for byte arrays, written out rather than using Buffer (Node only) or btoa/atob (binary
 * strings, slow and char-by-char for megabytes) so the same code runs in the host, the CLI, the
 * webview and the standalone report.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // 3 bytes → 4 chars; chunks of 3·4096 bytes keep each String.fromCharCode call's argument list small.
  const CHUNK = 3 * 4096;
  for (let off = 0; off < bytes.length; off += CHUNK) {
    const end = Math.min(off + CHUNK, bytes.length);
    const codes: number[] = [];
    let i = off;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      codes.push(ALPHABET.charCodeAt(n >> 18), ALPHABET.charCodeAt((n >> 12) & 63), ALPHABET.charCodeAt((n >> 6) & 63), ALPHABET.charCodeAt(n & 63));
    }
    const rest = end - i;
    if (rest === 1) {
      const n = bytes[i]! << 16;
      codes.push(ALPHABET.charCodeAt(n >> 18), ALPHABET.charCodeAt((n >> 12) & 63), 61, 61); // 61 = '='
    } else if (rest === 2) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
      codes.push(ALPHABET.charCodeAt(n >> 18), ALPHABET.charCodeAt((n >> 12) & 63), ALPHABET.charCodeAt((n >> 6) & 63), 61);
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** Throws on characters outside the alphabet or a length that is not a multiple of 4. */
export function base64ToBytes(s: string): Uint8Array {
  if (s.length % 4 !== 0) throw new Error(`base64 length ${s.length} is not a multiple of 4`);
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const a = dec(s, i), b = dec(s, i + 1);
    const c = s.charCodeAt(i + 2) === 61 ? 0 : dec(s, i + 2);
    const d = s.charCodeAt(i + 3) === 61 ? 0 : dec(s, i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function dec(s: string, i: number): number {
  const code = s.charCodeAt(i);
  const v = code < 128 ? DECODE[code]! : -1;
  if (v < 0) throw new Error(`invalid base64 character at ${i}`);
  return v;
}
