/**
 * Pooled perplexity and bits per character from additive per-sequence statistics
 * [Σ NLL (nats), predicted tokens, characters]: perplexity = exp(Σ NLL / Σ tokens) over every
 * predicted token of the language (not a mean of per-sequence perplexities); bits per character
 * = Σ NLL / ln 2 / Σ characters (comparable across scripts and tokenizers).
 */
export function perplexityFromStats(s: readonly number[]): number {
  return s[1]! > 0 ? Math.exp(s[0]! / s[1]!) : NaN;
}

export function bitsPerCharFromStats(s: readonly number[]): number {
  return s[2]! > 0 ? s[0]! / Math.LN2 / s[2]! : NaN;
}

/**
 * −ln softmax(logits[row])[target] in F64, with the row's max subtracted first.
 * `logits` is row-major [rows, vocab].
 */
export function tokenNll(logits: Float32Array, row: number, vocab: number, target: number): number {
  const base = row * vocab;
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) if (logits[base + v]! > max) max = logits[base + v]!;
  let z = 0;
  for (let v = 0; v < vocab; v++) z += Math.exp(logits[base + v]! - max);
  return max + Math.log(z) - logits[base + target]!;
}
