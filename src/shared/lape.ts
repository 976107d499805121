/**
 * Output of the language-specific neuron analysis (LAPE, methods.md §2), as the engine produces
 * it and the Language neurons panel and the HTML report show it. Large arrays are packed.
 */
export interface LapeResult {
  model: { name: string; nLayers: number; dMlp: number };
  /** Language codes in the order every per-language array uses. */
  languages: string[];
  nLayers: number;
  dMlp: number;
  /**
   * Selected neurons, interoperable with the reference repo: `neurons[lang][layer]` = neuron
   * indices of that layer specific to `languages[lang]`. A neuron may appear for several languages.
   */
  neurons: number[][][];
  /** p[L, i, j]: activation probability, layout (lang * nLayers + layer) * dMlp + neuron. */
  activationProbability: Float32Array;
  /** LAPE[i, j], layout layer * dMlp + neuron; NaN where Σ_L p = 0 (skipped, §2). */
  lape: Float32Array;
  /** The activation-probability threshold (`bar`) and the quantiles that produced it. */
  bar: number;
  probQuantile: number;
  entropyQuantile: number;
  /** Optional: for some neurons (`L3.N127`), tokens that fire it most, strongest first. */
  topTokens?: Record<string, string[]>;
}

export function lapeIndex(r: Pick<LapeResult, 'nLayers' | 'dMlp'>, layer: number, neuron: number): number {
  return layer * r.dMlp + neuron;
}

export function probIndex(r: Pick<LapeResult, 'nLayers' | 'dMlp'>, lang: number, layer: number, neuron: number): number {
  return (lang * r.nLayers + layer) * r.dMlp + neuron;
}
