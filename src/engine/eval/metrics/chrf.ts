/**
 * chrF as sacreBLEU 2.x defines it (Popović 2015; sacreBLEU's CHRF defaults): character n-grams
 * of order 1…6 over the text with all whitespace removed, β = 2, no word n-grams, case kept.
 *
 * Sufficient statistics per sentence: for each order n, [hyp n-grams, ref n-grams, matched]
 * (matched = Σ min(hyp count, ref count)); a hypothesis n-gram count is recorded as 0 when the
 * reference has no n-gram of that order (sacreBLEU does the same). Corpus chrF sums the
 * statistics over sentences and scores the sums once. The score: precision and recall averaged
 * over the "effective" orders (both sides have n-grams of that order), then
 * F_β = (1+β²)·P·R / (β²·P + R), × 100 — sacreBLEU's default (eps_smoothing off).
 */

export const CHRF_CHAR_ORDER = 6;
export const CHRF_BETA = 2;

export interface ChrfOptions {
  /** Keep whitespace inside character n-grams (sacreBLEU `whitespace=True`); default false. */
  whitespace?: boolean;
  order?: number;
}

function charNgrams(text: string, n: number, whitespace: boolean): Map<string, number> {
  // Code points, not UTF-16 units: an astral character is one character.
  const chars = [...(whitespace ? text : text.replace(/\s+/gu, ''))];
  const m = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** [hyp, ref, match] × orders 1…6 (18 numbers) for one hypothesis against one reference. */
export function chrfStats(hyp: string, ref: string, o: ChrfOptions = {}): number[] {
  const out: number[] = [];
  for (let n = 1; n <= (o.order ?? CHRF_CHAR_ORDER); n++) {
    const h = charNgrams(hyp, n, o.whitespace ?? false);
    const r = charNgrams(ref, n, o.whitespace ?? false);
    let hypCount = 0;
    let match = 0;
    for (const [g, c] of h) {
      hypCount += c;
      match += Math.min(c, r.get(g) ?? 0);
    }
    let refCount = 0;
    for (const c of r.values()) refCount += c;
    out.push(r.size > 0 ? hypCount : 0, refCount, match);
  }
  return out;
}

export interface ChrfScoreOptions {
  beta?: number;
  /** chrF++.py / NLTK / Moses smoothing (sacreBLEU `eps_smoothing=True`): the F-score of every
   * order, a missing side counted as 1e-16, averaged over all orders. Default false. */
  epsSmoothing?: boolean;
}

/** chrF (0–100) from (summed) statistics. */
export function chrfFromStats(stats: readonly number[], o: ChrfScoreOptions = {}): number {
  const beta = o.beta ?? CHRF_BETA;
  const factor = beta * beta;
  const eps = 1e-16;
  let p = 0;
  let r = 0;
  let effective = 0;
  let fSum = 0;
  const orders = Math.floor(stats.length / 3);
  for (let i = 0; i + 2 < stats.length; i += 3) {
    const [nHyp, nRef, nMatch] = [stats[i]!, stats[i + 1]!, stats[i + 2]!];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    fSum += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      p += nMatch / nHyp;
      r += nMatch / nRef;
      effective++;
    }
  }
  if (o.epsSmoothing) return (100 * fSum) / orders;
  if (effective === 0) return 0;
  p /= effective;
  r /= effective;
  if (p + r === 0) return 0;
  return (100 * (1 + factor) * p * r) / (factor * p + r);
}

export function sumStats(rows: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(rows[0]?.length ?? 0).fill(0);
  for (const row of rows) row.forEach((v, i) => (out[i]! += v));
  return out;
}

/** Corpus-level chrF: statistics summed over sentences, scored once. */
export function corpusChrf(hyps: readonly string[], refs: readonly string[], o: ChrfOptions & ChrfScoreOptions = {}): number {
  return chrfFromStats(sumStats(hyps.map((h, i) => chrfStats(h, refs[i]!, o))), o);
}
