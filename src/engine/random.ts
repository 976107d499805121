/**
 * The engine's one seeded PRNG: mulberry32 (a 32-bit state, one multiply-xorshift step per draw;
 * public domain, Tommy Ettinger). Tiny, fast in JS integer arithmetic, and reproducible bit for
 * bit in any language, so every seeded result (random pruning, calibration sampling, test
 * fixtures) is the same on every machine.
 */
export type Rng = () => number;

/** Uniforms in [0, 1) with 2^-32 resolution. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
