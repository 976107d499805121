/**
 * Language activation probability entropy and neuron selection (methods.md §2), from per-language
 * active-position counts. Pure arithmetic in F64; no model involved.
 *
 * The selection is the reference's (RUCAIBox/Language-Specific-Neurons, identify.py):
 * - `bar` = kthvalue(round(n·probQuantile)) over all p values (all languages, layers, neurons),
 *   1-based, Python rounding (stats/orderStat.ts);
 * - every neuron is ranked by LAPE, those failing the filter (max_L p ≤ bar) last, and the
 *   round(topRate · ALL neurons) first ones are kept; failing neurons among them belong to no
 *   language, so when fewer pass, exactly the passing ones are kept;
 * - a kept neuron belongs to every language with p > bar.
 * Choices the reference leaves to torch internals, fixed here: equal LAPE values are ranked by
 * (layer, neuron) (torch's topk does not promise an order for ties), and LAPE is computed in F64
 * (the reference divides in F32). LAPE of a neuron with Σ_L p = 0 is reported as NaN; it never
 * passes the filter.
 */

import { orderStatistic, roundHalfEven } from '../stats/orderStat';

export interface LapeInput {
  /** Per language, active-position counts [nLayers · dMlp] (layer-major). */
  counts: Float64Array[];
  /** Per language, counted positions. */
  tokens: number[];
  nLayers: number;
  dMlp: number;
  probQuantile: number;
  /** `topRate`: the share of ALL neurons kept (lowest LAPE first). */
  entropyQuantile: number;
}

export interface LapeSelection {
  /** p[L, i, j], layout (lang · nLayers + layer) · dMlp + neuron. */
  p: Float64Array;
  /** LAPE[i, j], layout layer · dMlp + neuron; NaN where Σ_L p = 0. */
  lape: Float64Array;
  bar: number;
  /** LAPE of the last kept neuron (null when none is kept). */
  entropyThreshold: number | null;
  /** Neurons passing the probability filter (max_L p > bar). */
  passing: number;
  /** Neurons kept: min(round(topRate · nLayers · dMlp), passing). */
  kept: number;
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

  const bar = orderStatistic(p, x.probQuantile);
  const passingIdx: number[] = [];
  for (let k = 0; k < width; k++) {
    let max = 0;
    for (let l = 0; l < nLang; l++) max = Math.max(max, p[l * width + k]!);
    if (max > bar) passingIdx.push(k);
  }
  passingIdx.sort((a, b) => lape[a]! - lape[b]! || a - b);
  const kept = passingIdx.slice(0, Math.min(passingIdx.length, roundHalfEven(width * x.entropyQuantile)));
  const neurons = Array.from({ length: nLang }, () => Array.from({ length: nLayers }, () => [] as number[]));
  for (const k of kept.sort((a, b) => a - b)) {
    const layer = Math.floor(k / dMlp);
    for (let l = 0; l < nLang; l++) if (p[l * width + k]! > bar) neurons[l]![layer]!.push(k % dMlp);
  }
  const entropyThreshold = kept.length ? Math.max(...kept.map((k) => lape[k]!)) : null;
  return { p, lape, bar, entropyThreshold, passing: passingIdx.length, kept: kept.length, neurons };
}
