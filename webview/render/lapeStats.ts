/** Summaries of LAPE results: per-layer counts, the shared-neuron matrix and the neuron table. */
import type { LapeResult } from '../../src/shared/lape';
import { lapeIndex, probIndex } from '../../src/shared/lape';

/** counts[lang][layer] = number of neurons of that layer specific to the language. */
export function countsPerLayer(r: LapeResult): number[][] {
  return r.neurons.map((perLayer) => perLayer.map((ix) => ix.length));
}

/**
 * shared[a][b] = neurons specific to both language a and b (over all layers); the diagonal is
 * each language's total.
 */
export function sharedMatrix(r: LapeResult): number[][] {
  const L = r.languages.length;
  const sets = r.neurons.map((perLayer) => {
    const s = new Set<number>();
    perLayer.forEach((ix, layer) => ix.forEach((n) => s.add(layer * r.dMlp + n)));
    return s;
  });
  const m: number[][] = [];
  for (let a = 0; a < L; a++) {
    m.push([]);
    for (let b = 0; b < L; b++) {
      let c = 0;
      const [small, big] = sets[a]!.size <= sets[b]!.size ? [sets[a]!, sets[b]!] : [sets[b]!, sets[a]!];
      for (const k of small) if (big.has(k)) c++;
      m[a]!.push(c);
    }
  }
  return m;
}

export interface NeuronTableRow {
  layer: number;
  neuron: number;
  languages: string[];
  lape: number;
  /** Largest activation probability over languages, and its language. */
  maxP: number;
  maxLang: string;
}

/** Every selected neuron once (merged across languages), sorted by LAPE ascending (most specific first). */
export function neuronTable(r: LapeResult): NeuronTableRow[] {
  const m = new Map<number, NeuronTableRow>();
  r.neurons.forEach((perLayer, li) => perLayer.forEach((ix, layer) => ix.forEach((n) => {
    const key = layer * r.dMlp + n;
    let row = m.get(key);
    if (!row) {
      let maxP = -1, maxLang = '';
      r.languages.forEach((lang, lj) => {
        const p = r.activationProbability[probIndex(r, lj, layer, n)]!;
        if (p > maxP) { maxP = p; maxLang = lang; }
      });
      row = { layer, neuron: n, languages: [], lape: r.lape[lapeIndex(r, layer, n)]!, maxP, maxLang };
      m.set(key, row);
    }
    row.languages.push(r.languages[li]!);
  })));
  return [...m.values()].sort((a, b) => a.lape - b.lape || a.layer - b.layer || a.neuron - b.neuron);
}

export interface NeuronFilter {
  /** Language code, or null for all. */
  language: string | null;
  /** Layer, or null for all. */
  layer: number | null;
}

export function filterNeurons(rows: NeuronTableRow[], f: NeuronFilter): NeuronTableRow[] {
  return rows.filter((r) => (f.language === null || r.languages.includes(f.language)) && (f.layer === null || r.layer === f.layer));
}
