/** Shared by the weights-mode tests: bit-for-bit comparison and random token ids. */
import assert from 'node:assert/strict';
import { prng } from '../helpers/tiny-model';

/** Every value identical (Object.is: NaN equals NaN, 0 and -0 differ). */
export function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** BOS then n - 1 seeded ids of the byte tokenizer's range. */
export function randomIds(n: number, seed: number): number[] {
  const r = prng(seed);
  return [1, ...Array.from({ length: n - 1 }, () => 3 + Math.floor(r() * 250))];
}
