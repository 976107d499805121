/** Panel tab titles: what was analyzed (the prompt file, corpus or pair) and on which model. Pure, unit-tested. */
import type { PanelKind } from '../../shared/protocol';

export const TITLES: Record<PanelKind, string> = {
  activations: 'Activations',
  languageNeurons: 'Language neurons',
  features: 'Translation features',
  compare: 'Compare',
  studies: 'Studies',
  neuron: 'Neuron',
  results: 'Results',
  latentLanguage: 'Latent language',
};

/** e.g. "Activations: hello.en.prompt · default", "… · default · wanda-s0.5-…" when not dense: dense and pruned runs are told apart by their tabs. */
export function panelTitle(kind: PanelKind, source: string | undefined, model: string, variant?: string): string {
  return `${TITLES[kind]}: ${source ? `${source} · ` : ''}${model}${variant && variant !== 'dense' ? ` · ${variant}` : ''}`;
}
