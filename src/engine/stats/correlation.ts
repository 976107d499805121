/**
 * The numeric-bias statistics of methods.md §7, as scipy.stats defines them (the tests compare
 * with scipy on committed fixtures): excess kurtosis (Fisher, bias-uncorrected: m4/m2² − 3),
 * Pearson's r, Spearman's ρ (Pearson of average ranks, so ties share a rank) and Kendall's τ-b
 * (ties in either variable corrected for). Undefined values (a constant input) are NaN, as scipy
 * returns them, so a peaky model that always answers 3 shows up as "no correlation measurable"
 * rather than as 0.
 */

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function checkPaired(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new Error(`paired statistics need equal lengths (${x.length} vs ${y.length})`);
}

/** Fisher's excess kurtosis with the biased (population) moments: scipy.stats.kurtosis(x) defaults. */
export function excessKurtosis(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  const m = mean(x);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= x.length;
  m4 /= x.length;
  return m2 === 0 ? NaN : m4 / (m2 * m2) - 3;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y);
  if (x.length < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  // Clamp rounding just past ±1, as scipy does.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** 1-based ranks with ties given the mean of the ranks they span (scipy.stats.rankdata 'average'). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const ranks = new Float64Array(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    i = j + 1;
  }
  return ranks;
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Kendall's τ-b = (C − D) / sqrt((n0 − n1)(n0 − n2)), n0 = n(n−1)/2, n1/n2 = pairs tied in x/y.
 * Pairs tied in both count in n1 and n2 and in neither C nor D. O(n²): score sets are items of
 * a dataset (hundreds to a few thousands), where this is milliseconds.
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2) return NaN;
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denom = Math.sqrt((n0 - tiesX) * (n0 - tiesY));
  return denom === 0 ? NaN : Math.max(-1, Math.min(1, (concordant - discordant) / denom));
}
