import type { ActivationAnalysis } from '../../shared/analysis';
import { neuronKey } from '../../shared/analysis';
import { lapeIndex, probIndex, type LapeResult } from '../../shared/lape';

/**
 * Markdown for the two analysis hovers. Pure, so their exact text is unit-tested.
 */

/** The token's text and id, then its strongest neurons over all layers (layer.index = activation). */
export function tokenHoverMarkdown(a: ActivationAnalysis, pos: number, show = a.topK): string {
  const t = a.tokens[pos];
  const entries: { layer: number; index: number; value: number }[] = [];
  for (let layer = 0; layer < a.nLayers; layer++) {
    for (let rank = 0; rank < a.topK; rank++) {
      const i = (pos * a.nLayers + layer) * a.topK + rank;
      entries.push({ layer, index: a.topIndex[i], value: a.topValue[i] });
    }
  }
  entries.sort((x, y) => y.value - x.value || x.layer - y.layer || x.index - y.index);
  const rows = entries.slice(0, show).map((e) => `| ${neuronKey(e.layer, e.index)} | ${e.value.toFixed(3)} |`);
  return [
    `**Token ${pos}** \`${JSON.stringify(t.text)}\` · id ${t.id}`,
    '',
    '| neuron | activation |',
    '|---|---|',
    ...rows,
    '',
    `_${a.model.name}, top ${show} of ${a.nLayers}×${a.topK} (hook_post)_`,
  ].join('\n');
}

/** Where neuron L{layer}.N{index} appears in the last analysis's per-token top-k, and its language profile. */
export function neuronHoverMarkdown(a: ActivationAnalysis | undefined, layer: number, index: number): string {
  const key = neuronKey(layer, index);
  if (!a) return `**${key}** — MLP neuron ${index} of layer ${layer}. Run *Polyglot Lens: Analyze Activations* to see its activations.`;
  if (layer >= a.nLayers || index >= a.model.dMlp) return `**${key}** does not exist in ${a.model.name} (${a.nLayers} layers × ${a.model.dMlp} neurons).`;
  const hits: string[] = [];
  for (let pos = 0; pos < a.tokens.length; pos++) {
    for (let rank = 0; rank < a.topK; rank++) {
      const i = (pos * a.nLayers + layer) * a.topK + rank;
      if (a.topIndex[i] === index) hits.push(`| ${pos} | \`${JSON.stringify(a.tokens[pos].text)}\` | ${a.topValue[i].toFixed(3)} | ${rank + 1} |`);
    }
  }
  const lines = [`**${key}** in ${a.model.name}`, ''];
  if (hits.length > 0) lines.push('| pos | token | activation | rank |', '|---|---|---|---|', ...hits);
  else lines.push(`Not in the top ${a.topK} of any token of the last analysis.`);
  const profile = a.languageProfiles?.neurons[key];
  if (profile && a.languageProfiles) {
    const ps = a.languageProfiles.languages.map((lang, i) => `${lang} ${profile.p[i].toFixed(2)}`).join(' · ');
    lines.push('', `Language profile (activation probability): ${ps}`, `LAPE ${profile.lape.toFixed(3)}${profile.specificTo.length ? ` · specific to ${profile.specificTo.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

/** Index of the token whose [start, end) holds a rendered-text offset, or -1. */
export function tokenAt(a: ActivationAnalysis, renderedOffset: number): number {
  return a.tokens.findIndex((t) => t.start !== null && t.end !== null && renderedOffset >= t.start && renderedOffset < t.end);
}

/**
 * The neuron's profile in a LAPE result: activation probability per language, its LAPE (entropy)
 * and the languages it was selected for. Shown under the analysis part of the neuron hover.
 */
export function lapeProfileMarkdown(r: LapeResult, layer: number, index: number): string {
  const key = neuronKey(layer, index);
  if (layer >= r.nLayers || index >= r.dMlp) return `_No language profile: ${key} is outside the Find Language Neurons result (${r.nLayers} layers × ${r.dMlp})._`;
  const ps = r.languages.map((lang, li) => `${lang} ${r.activationProbability[probIndex(r, li, layer, index)]!.toFixed(2)}`).join(' · ');
  const lape = r.lape[lapeIndex(r, layer, index)]!;
  const specific = r.languages.filter((_, li) => r.neurons[li]?.[layer]?.includes(index));
  return [
    `**Language profile** (${r.model.name}, ${r.languages.join(', ')})`,
    '',
    `Activation probability: ${ps}`,
    '',
    `LAPE ${Number.isNaN(lape) ? 'n/a (never active)' : lape.toFixed(3)} · ${specific.length ? `specific to ${specific.join(', ')}` : 'not language-specific'}`,
  ].join('\n');
}
