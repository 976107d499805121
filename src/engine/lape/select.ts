/**
 * Language activation probability entropy and neuron selection (methods.md §2), from per-language
 * active-position counts. Pure arithmetic in F64; no model involved.
 *
 * Choices the method leaves open, fixed here:
 * - Quantiles (`bar`, the entropy threshold) use linear interpolation (stats/quantile.ts; numpy's
 *   and torch.quantile's default). The reference repo (RUCAIBox/Language-Specific-Neurons,
 *   identify.py) uses kthvalue(round(n·q)), a nearest-rank order statistic; the two differ by at
 *   most one step between neighbouring sorted values.
 * - LAPE of a neuron with Σ_L p = 0 is NaN (the neuron never fires in any language, so it has no
 *   language distribution); it never passes the filter because its max p = 0 ≤ bar.
 * - The entropy threshold is the `entropyQuantile` quantile of LAPE over the passing neurons of all
 *   layers; passing neurons with LAPE ≤ threshold are kept (ties at the threshold are all kept).
 *   When no neuron passes, the threshold is null and no neuron is selected.
 */

import { quantileLinear } from '../stats/quantile';

export interface LapeInput {
  /** Per language, active-position counts [nLayers · dMlp] (layer-major). */
  counts: Float64Array[];
  /** Per language, counted positions. */
  tokens: number[];
  nLayers: number;
  dMlp: number;
  probQuantile: number;
  entropyQuantile: number;
}

export interface LapeSelection {
  /** p[L, i, j], layout (lang · nLayers + layer) · dMlp + neuron. */
  p: Float64Array;
  /** LAPE[i, j], layout layer · dMlp + neuron; NaN where Σ_L p = 0. */
  lape: Float64Array;
  bar: number;
  entropyThreshold: number | null;
  /** Neurons passing the probability filter (max_L p > bar). */
  passing: number;
  /** neurons[lang][layer] = selected neuron indices, ascending. */
  neurons: number[][][];
}

export function selectLanguageNeurons(x: LapeInput): LapeSelection {
  const { counts, tokens, nLayers, dMlp } = x;
  const nLang = counts.length;
  const width = nLayers * dMlp;
  const p = new Float64Array(nLang * width);
  counts.forEach((c, l) => {
    for (let k = 0; k < width; k++) p[l * width + k] = c[k]! / tokens[l]!;
  });

  const lape = new Float64Array(width);
  for (let k = 0; k < width; k++) {
    let sum = 0;
    for (let l = 0; l < nLang; l++) sum += p[l * width + k]!;
    if (sum === 0) {
      lape[k] = NaN;
      continue;
    }
    let h = 0;
    for (let l = 0; l < nLang; l++) {
      const q = p[l * width + k]! / sum;
      if (q > 0) h -= q * Math.log(q); // 0·ln 0 = 0
    }
    lape[k] = h;
  }

  const bar = quantileLinear(p, x.probQuantile);
  const passingIdx: number[] = [];
  for (let k = 0; k < width; k++) {
    let max = 0;
    for (let l = 0; l < nLang; l++) max = Math.max(max, p[l * width + k]!);
    if (max > bar) passingIdx.push(k);
  }
  const neurons = Array.from({ length: nLang }, () => Array.from({ length: nLayers }, () => [] as number[]));
  if (passingIdx.length === 0) return { p, lape, bar, entropyThreshold: null, passing: 0, neurons };

  const entropyThreshold = quantileLinear(passingIdx.map((k) => lape[k]!), x.entropyQuantile);
  for (const k of passingIdx) {
    if (!(lape[k]! <= entropyThreshold)) continue;
    const layer = Math.floor(k / dMlp);
    for (let l = 0; l < nLang; l++) if (p[l * width + k]! > bar) neurons[l]![layer]!.push(k % dMlp);
  }
  return { p, lape, bar, entropyThreshold, passing: passingIdx.length, neurons };
}
