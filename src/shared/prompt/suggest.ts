/**
 * "Did you mean …?" for misspelt keys, values and helpers. Distance is the optimal string
 * alignment distance (Levenshtein plus adjacent transpositions, each costing 1), so
 * `polyglot.langauges` is one edit from `polyglot.languages`, as people mistype.
 */

/** Edits (insert, delete, substitute, swap two adjacent characters) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const n = a.length, m = b.length;
  // Three rows: i-2 (for transpositions), i-1 and i.
  let back2 = new Array<number>(m + 1).fill(0);
  let back1 = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const row = new Array<number>(m + 1);
    row[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(back1[j]! + 1, row[j - 1]! + 1, back1[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, back2[j - 2]! + 1);
      row[j] = d;
    }
    back2 = back1;
    back1 = row;
  }
  return back1[m]!;
}

/**
 * The candidate closest to `word` (case-insensitive), when it is close enough to be a typo: at
 * most 1 edit for words up to 4 characters, 2 up to 8, 3 beyond. Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) return undefined; // not a typo
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  return bestD <= limit ? best : undefined;
}
