/**
 * McNemar's exact test for two systems judged right or wrong on the same items: only the
 * discordant items count, b (right under A only) and c (right under B only); under the null each is
 * a fair coin, so p = min(1, 2 · P[Binomial(b + c, ½) ≤ min(b, c)]) (two-sided; scipy's
 * `binomtest(min(b, c), b + c).pvalue` and statsmodels' `mcnemar(exact=True)` give the same).
 * p = 1 when no item is discordant.
 */
export interface McNemar {
  /** Items right under A only. */
  b: number;
  /** Items right under B only. */
  c: number;
  p: number;
}

export function mcnemarExact(a: readonly boolean[], b: readonly boolean[]): McNemar {
  if (a.length !== b.length) throw new Error(`McNemar needs the same items (${a.length} vs ${b.length})`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (!a[i] && b[i]) onlyB++;
  }
  const n = onlyA + onlyB;
  if (n === 0) return { b: onlyA, c: onlyB, p: 1 };
  // Σ_{k ≤ min} C(n, k) / 2^n in log space (n can be thousands).
  const k = Math.min(onlyA, onlyB);
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return { b: onlyA, c: onlyB, p: Math.min(1, 2 * tail) };
}
