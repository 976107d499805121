/** What the lens tests share. */
import assert from 'node:assert/strict';

/** Log-probabilities against the PyTorch reference (F32 in both; only summation order differs). */
export const TOL = 1e-4;

/**
 * Top-k lists agree when the log-probabilities agree rank by rank and the ids agree except where two
 * neighbours are tied within the tolerance (their order, or which one makes the cut, is then rounding).
 */
export function compareTopK(ids: ArrayLike<number>, logp: ArrayLike<number>, refIds: number[], refLogp: number[], where: string, tol = TOL): number {
  let worst = 0;
  for (let r = 0; r < refIds.length; r++) {
    const d = Math.abs(logp[r]! - refLogp[r]!);
    worst = Math.max(worst, d);
    assert.ok(d <= tol, `${where} rank ${r}: log p ${logp[r]} vs reference ${refLogp[r]}`);
    if (ids[r] === refIds[r]) continue;
    const j = refIds.indexOf(ids[r]!);
    const tiedWith = j >= 0 ? refLogp[j]! : refLogp[refIds.length - 1]!;
    assert.ok(Math.abs(logp[r]! - tiedWith) <= tol, `${where} rank ${r}: token ${ids[r]} vs reference ${refIds[r]} (not a tie)`);
  }
  return worst;
}

