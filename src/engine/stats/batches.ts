/**
 * Groups a stream of token sequences into padded batches of similar length. A window of
 * sequences is buffered, sorted by length and packed so that (sequences × longest) stays within a
 * token budget: similar lengths waste little on padding, and the window bounds memory whatever the
 * corpus size.
 */

/** Tokens per run (batch × padded length). Measured on the 85M-parameter benchmark Llama (d_mlp
 * 2048, LAPE job, 2 threads): 1024 tokens per run gave the same tokens/s as 2048 and 4096 (GEMMs
 * of 1024 rows already keep the cores busy) at a peak RSS of 574 MB instead of 704 and 973 MB. */
export const DEFAULT_BATCH_TOKENS = 1024;

/** Sequences buffered before sorting: 16 batches' worth, enough that the lengths in a window
 * cover the corpus's spread (so sorted neighbours are close in length) at a few hundred KB of ids. */
export const WINDOW_BATCHES = 16;

/** A token sequence, or anything that carries one and says its length. */
export interface Sized {
  readonly length: number;
}

/**
 * What one more batch costs, in padded tokens: each run packs every weight matrix again (the
 * weights are graph inputs, model/model.ts) and pays a fixed per-run cost. Measured on Llama-2-7B's
 * MLP shape: a Gemm of 32 rows takes as long as ~47 rows at the rate of 1,024-row Gemms, so a
 * batch costs ~15 rows; the ratio holds at any model size (packing and compute both scale with
 * the weights).
 */
export const BATCH_COST_TOKENS = 16;

/**
 * Packs sequences (any order) into batches, longest first; each batch's count × its longest ≤
 * budget (a single sequence longer than the budget forms its own batch). Among such packings of
 * the length-sorted list into consecutive runs, the one with the fewest padded tokens plus
 * BATCH_COST_TOKENS per batch (a small dynamic program): texts of similar length share a batch,
 * and a short text is not padded to a long one's length when a batch of its own costs less. On
 * UDHR en+fr at 1,024 tokens each (texts of 9-358 tokens), filling batches greedily padded 2,048
 * tokens to 3,280 in 7 batches; this packing computes 2,061 in 11.
 */
export function packBatches<S extends Sized>(seqs: S[], budget: number): S[][] {
  const sorted = [...seqs].sort((a, b) => b.length - a.length);
  const n = sorted.length;
  // cost[i]: least cost of packing sorted[i..]; end[i]: where the first batch of that packing ends.
  const cost = new Float64Array(n + 1);
  const end = new Int32Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    const longest = sorted[i]!.length;
    cost[i] = Infinity;
    for (let j = i + 1; j <= n && (j === i + 1 || (j - i) * longest <= budget); j++) {
      const c = (j - i) * longest + BATCH_COST_TOKENS + cost[j]!;
      if (c < cost[i]!) {
        cost[i] = c;
        end[i] = j;
      }
    }
  }
  const out: S[][] = [];
  for (let i = 0; i < n; i = end[i]!) out.push(sorted.slice(i, end[i]!));
  return out;
}

/** Streams batches from a stream of sequences, buffering `WINDOW_BATCHES × budget` tokens at most. */
export async function* lengthGroupedBatches<S extends Sized>(seqs: AsyncIterable<S>, budget = DEFAULT_BATCH_TOKENS): AsyncGenerator<S[]> {
  const windowTokens = WINDOW_BATCHES * budget;
  let window: S[] = [];
  let tokens = 0;
  for await (const s of seqs) {
    if (s.length === 0) continue;
    window.push(s);
    tokens += s.length;
    if (tokens >= windowTokens) {
      yield* packBatches(window, budget);
      window = [];
      tokens = 0;
    }
  }
  if (window.length) yield* packBatches(window, budget);
}
