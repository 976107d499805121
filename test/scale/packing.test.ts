/**
 * packBatches: consecutive runs of the length-sorted sequences, each within the token budget,
 * with the fewest padded tokens plus BATCH_COST_TOKENS per batch — checked against every
 * partition of small random sets (brute force), and on the UDHR lengths the 7B benchmark reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_COST_TOKENS, packBatches } from '../../src/engine/stats/batches';
import { prng } from '../helpers/tiny-model';

const seqs = (lengths: number[]): number[][] => lengths.map((n, i) => new Array<number>(n).fill(i));
const cost = (batches: number[][][]): number => batches.reduce((c, b) => c + b.length * b[0]!.length + BATCH_COST_TOKENS, 0);

/** Least cost over every split of the sorted list into consecutive runs within the budget (2^(n-1) splits). */
function bruteForce(lengths: number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => b - a);
  let best = Infinity;
  for (let mask = 0; mask < 1 << (sorted.length - 1); mask++) {
    let c = 0;
    let start = 0;
    for (let i = 1; i <= sorted.length; i++) {
      if (i === sorted.length || mask & (1 << (i - 1))) {
        const count = i - start;
        if (count > 1 && count * sorted[start]! > budget) c = Infinity;
        c += count * sorted[start]! + BATCH_COST_TOKENS;
        start = i;
      }
    }
    best = Math.min(best, c);
  }
  return best;
}

test('packBatches: every sequence once, longest first, within the budget, at the least cost of any consecutive split', () => {
  const r = prng(17);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(r() * 10);
    const lengths = Array.from({ length: n }, () => 1 + Math.floor(r() * (r() < 0.5 ? 20 : 300)));
    const budget = [16, 64, 256, 1024][trial % 4]!;
    const batches = packBatches(seqs(lengths), budget);
    const flat = batches.flat();
    assert.deepEqual(flat.map((s) => s.length), [...lengths].sort((a, b) => b - a), 'each once, longest first');
    assert.deepEqual(new Set(flat.map((s) => s[0])).size, n);
    for (const b of batches) assert.ok(b.length === 1 || b.length * b[0]!.length <= budget, `batch ${b.map((s) => s.length)} over ${budget}`);
    assert.equal(cost(batches), bruteForce(lengths, budget), `lengths ${lengths} budget ${budget}`);
  }
});

test('packBatches: similar lengths fill a batch; a short text gets a batch of its own rather than padding to a long one', () => {
  assert.deepEqual(packBatches(seqs([100, 98, 99, 97]), 1024).map((b) => b.map((s) => s.length)), [[100, 99, 98, 97]]);
  // UDHR en at 1,024 tokens (the 7B LAPE benchmark): greedy filling padded it to 1,669 tokens.
  const en = packBatches(seqs([315, 197, 194, 181, 90, 38, 9]), 1024);
  assert.deepEqual(en.map((b) => b.map((s) => s.length)), [[315], [197, 194], [181], [90], [38], [9]]);
  assert.equal(en.reduce((n, b) => n + b.length * b[0]!.length, 0), 1027);
  // A text longer than the budget runs alone.
  assert.deepEqual(packBatches(seqs([50, 2000, 40]), 64).map((b) => b.map((s) => s.length)), [[2000], [50], [40]]);
});
