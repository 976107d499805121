/** Top neurons of a selected token, per layer, straight from the analysis' top-k arrays. */
import type { ActivationAnalysis } from '../../src/shared/analysis';

export interface NeuronRow {
  layer: number;
  neuron: number;
  value: number;
  rank: number;
}

/** For token `pos`: the first `perLayer` neurons of every layer, layer-major, strongest first within a layer. */
export function topNeuronsForToken(a: ActivationAnalysis, pos: number, perLayer: number): NeuronRow[] {
  if (pos < 0 || pos >= a.tokens.length) return [];
  const k = Math.min(perLayer, a.topK);
  const rows: NeuronRow[] = [];
  for (let l = 0; l < a.nLayers; l++) {
    for (let r = 0; r < k; r++) {
      const i = ((pos * a.nLayers) + l) * a.topK + r;
      rows.push({ layer: l, neuron: a.topIndex[i]!, value: a.topValue[i]!, rank: r });
    }
  }
  return rows;
}

/**
 * Neurons that appear most often in any top-k over the whole prompt, with their count and
 * largest value: a quick "which neurons does this prompt use" list.
 */
export function frequentNeurons(a: ActivationAnalysis, limit: number): { layer: number; neuron: number; count: number; max: number }[] {
  const m = new Map<number, { layer: number; neuron: number; count: number; max: number }>();
  for (let p = 0; p < a.tokens.length; p++) {
    for (let l = 0; l < a.nLayers; l++) {
      for (let r = 0; r < a.topK; r++) {
        const i = ((p * a.nLayers) + l) * a.topK + r;
        const n = a.topIndex[i]!, v = a.topValue[i]!;
        // Key layer·2^20+neuron: d_mlp stays below 2^20 (1M) for every released model.
        const key = l * 1048576 + n;
        const e = m.get(key);
        if (e) { e.count++; if (v > e.max) e.max = v; } else m.set(key, { layer: l, neuron: n, count: 1, max: v });
      }
    }
  }
  return [...m.values()].sort((x, y) => y.count - x.count || y.max - x.max || x.layer - y.layer || x.neuron - y.neuron).slice(0, limit);
}

/** The side list's heading says how many of the analysis's top-k it lists ("Top 3 of 6 …", not "top-6" above 3 rows). */
export function topListHeading(shown: number, topK: number): string {
  return shown >= topK ? `Top ${topK} neurons per layer` : `Top ${shown} of ${topK} neurons per layer`;
}
