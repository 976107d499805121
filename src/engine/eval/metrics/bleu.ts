/**
 * BLEU as sacreBLEU 2.x defines it (Papineni et al. 2002; sacreBLEU's BLEU defaults): the
 * `13a` tokenizer (mteval-v13a), n-grams 1…4, one reference, brevity penalty
 * exp(1 − r/c) when c < r, smoothing `exp` (NIST: the k-th order with no match gets precision
 * 1 / (2^k · total)), no lowercasing.
 *
 * Statistics per sentence: [hyp length, ref length, matched_1…4, total_1…4] (10 numbers);
 * corpus BLEU sums them and scores once. Sentence BLEU uses sacreBLEU's `sentence_bleu`
 * setting `effective_order` (orders the hypothesis is too short for are left out).
 */

export const BLEU_MAX_ORDER = 4;

/** mteval-v13a tokenisation (sacreBLEU's Tokenizer13a followed by its regexp post-tokenizer). */
export function tokenize13a(line: string): string {
  let s = line.replace(/<skipped>/g, '').replace(/-\n/g, '').replace(/\n/g, ' ');
  if (s.includes('&')) s = s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  s = ` ${s} `;
  // Punctuation and symbols in the ASCII ranges {-~, [-`, space-&, (-+, :-@, / get spaces around them.
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  // Period and comma are split off unless between digits.
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ');
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2');
  // A dash after a digit.
  s = s.replace(/([0-9])(-)/g, '$1 $2 ');
  return s.split(/\s+/).filter(Boolean).join(' ');
}

function ngramCounts(tokens: string[], maxOrder: number): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const g = tokens.slice(i, i + n).join('\u0001');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

/**
 * [hypLen, refLen, matched_1..4, total_1..4] for one hypothesis against its reference(s). With
 * several references, an n-gram matches up to its largest count in any one reference, and the
 * reference length is the one closest to the hypothesis length (the shorter on a tie).
 */
export function bleuStats(hyp: string, ref: string | readonly string[], maxOrder = BLEU_MAX_ORDER): number[] {
  const h = tokenize13a(hyp).split(' ').filter(Boolean);
  const refs = (typeof ref === 'string' ? [ref] : ref).map((x) => tokenize13a(x).split(' ').filter(Boolean));
  const hg = ngramCounts(h, maxOrder);
  const rg: Map<string, number>[] = Array.from({ length: maxOrder }, () => new Map());
  for (const r of refs) {
    ngramCounts(r, maxOrder).forEach((m, n) => {
      for (const [g, c] of m) rg[n]!.set(g, Math.max(c, rg[n]!.get(g) ?? 0));
    });
  }
  const refLen = refs.map((r) => r.length).reduce((best, len) => {
    const d = Math.abs(len - h.length) - Math.abs(best - h.length);
    return d < 0 || (d === 0 && len < best) ? len : best;
  });
  const matched: number[] = [];
  const total: number[] = [];
  for (let n = 0; n < maxOrder; n++) {
    let m = 0;
    for (const [g, c] of hg[n]!) m += Math.min(c, rg[n]!.get(g) ?? 0);
    matched.push(m);
    total.push(Math.max(0, h.length - n));
  }
  return [h.length, refLen, ...matched, ...total];
}

/** BLEU (0–100) from (summed) statistics. */
export function bleuFromStats(stats: readonly number[], o: { effectiveOrder?: boolean } = {}): number {
  const maxOrder = (stats.length - 2) / 2;
  const [sysLen, refLen] = [stats[0]!, stats[1]!];
  const correct = stats.slice(2, 2 + maxOrder);
  const total = stats.slice(2 + maxOrder);
  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;
  if (!correct.some((c) => c > 0)) return 0;
  const precisions = new Array<number>(maxOrder).fill(0);
  let smooth = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (total[n - 1] === 0) break;
    if (o.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      smooth *= 2;
      precisions[n - 1] = 100 / (smooth * total[n - 1]!);
    } else precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
  }
  // log(0) is sacreBLEU's -9999999999: the score underflows to 0.
  const logs = precisions.slice(0, effOrder).map((p) => (p > 0 ? Math.log(p) : -9999999999));
  return bp * Math.exp(logs.reduce((a, b) => a + b, 0) / effOrder);
}

export function corpusBleu(hyps: readonly string[], refs: readonly (string | readonly string[])[]): number {
  const sum = new Array<number>(2 + 2 * BLEU_MAX_ORDER).fill(0);
  hyps.forEach((h, i) => bleuStats(h, refs[i]!).forEach((v, k) => (sum[k]! += v)));
  return bleuFromStats(sum);
}

export function sentenceBleu(hyp: string, ref: string): number {
  return bleuFromStats(bleuStats(hyp, ref), { effectiveOrder: true });
}
