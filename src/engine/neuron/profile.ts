/** A neuron's row of a LAPE result: activation probability per language, entropy, selection. */
import { lapeIndex, probIndex, type LapeResult } from '../../shared/lape';
import type { NeuronLanguages } from '../../shared/neuron';

export function neuronLanguages(r: LapeResult, layer: number, index: number): NeuronLanguages | null {
  if (layer >= r.nLayers || index >= r.dMlp) return null;
  const h = r.lape[lapeIndex(r, layer, index)]!;
  const selectedFor = r.languages.filter((_, li) => r.neurons[li]?.[layer]?.includes(index));
  return {
    languages: [...r.languages],
    probability: Object.fromEntries(r.languages.map((lang, li) => [lang, r.activationProbability[probIndex(r, li, layer, index)]!])),
    entropy: Number.isNaN(h) ? null : h,
    selected: selectedFor.length > 0,
    selectedFor,
  };
}
