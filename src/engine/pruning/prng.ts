/**
 * The seeded PRNG behind `random` pruning: mulberry32 (a 32-bit state, one multiply-xorshift
 * step per draw; public domain, Tommy Ettinger), chosen because it is tiny, fast in JS integer
 * arithmetic and reproducible bit-for-bit in any language.
 *
 * Each weight matrix gets its own stream, seeded with `mix(seed, fnv1a(weightName))`, so a
 * matrix's mask depends only on the seed and its name, never on which other layers were pruned
 * or in what order. Draws run over the matrix in row-major order; a weight is zeroed when its
 * draw u (uniform in [0,1), 32-bit resolution) is < sparsity.
 */

import { mulberry32 } from '../random';

export { mulberry32 };

/** FNV-1a over UTF-16 code units (names are ASCII): a fixed, documented 32-bit name hash. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Combines the user seed and a name hash (murmur3's 32-bit finaliser over seed ⊕ hash·golden ratio). */
export function mix(seed: number, h: number): number {
  let x = (seed ^ Math.imul(h, 0x9e3779b9)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}


/** The mulberry32 state that starts one weight matrix's stream. */
export function weightSeed(seed: number, weightName: string): number {
  return mix(seed, fnv1a(weightName));
}

/** The stream for one weight matrix (select.ts randomMask inlines the same steps). */
export function weightStream(seed: number, weightName: string): () => number {
  return mulberry32(weightSeed(seed, weightName));
}
