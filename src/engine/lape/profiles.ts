/**
 * Per-neuron language profiles of the selected LAPE neurons (shared/analysis.ts
 * NeuronLanguageProfiles), so hovers and the Activations panel can say "L3.N127: French 0.93".
 */
import { neuronKey, type NeuronLanguageProfiles } from '../../shared/analysis';
import { probIndex, lapeIndex, type LapeResult } from '../../shared/lape';

export function languageProfiles(r: LapeResult): NeuronLanguageProfiles {
  const neurons: NeuronLanguageProfiles['neurons'] = {};
  r.neurons.forEach((layers, li) =>
    layers.forEach((js, layer) =>
      js.forEach((j) => {
        const key = neuronKey(layer, j);
        const entry = (neurons[key] ??= {
          p: r.languages.map((_, l) => r.activationProbability[probIndex(r, l, layer, j)]!),
          lape: r.lape[lapeIndex(r, layer, j)]!,
          specificTo: [],
        });
        entry.specificTo.push(r.languages[li]!);
      }),
    ),
  );
  return { languages: [...r.languages], neurons };
}
