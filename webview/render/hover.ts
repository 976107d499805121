/**
 * Hover-card content as plain data; views/hoverCard.ts turns it into DOM, tests read it directly.
 */
import type { NeuronLanguageProfiles } from '../../src/shared/analysis';
import { neuronKey } from '../../src/shared/analysis';
import type { LapeResult } from '../../src/shared/lape';
import { lapeIndex, probIndex } from '../../src/shared/lape';
import { fmt, pct, showToken } from './format';
import type { Quadrant } from './quadrant';

export interface CardBar {
  label: string;
  /** In [0, 1]: the bar's filled fraction. */
  fraction: number;
  /** The text after the bar. */
  text: string;
  /** Series index for the colour (language order), or -1 for the accent colour. */
  series: number;
  /** Marked as above a threshold (e.g. the LAPE `bar`). */
  strong?: boolean;
}

export interface HoverCard {
  title: string;
  rows: [string, string][];
  bars: CardBar[];
  /** Free text lines under the bars (e.g. top tokens). */
  notes: string[];
}

export function activationCellCard(args: {
  token: string; pos: number; layer: number; neuron: number; value: number; profiles?: NeuronLanguageProfiles;
}): HoverCard {
  const { token, pos, layer, neuron, value, profiles } = args;
  const card: HoverCard = {
    title: neuron >= 0 ? neuronKey(layer, neuron) : `layer ${layer}`,
    rows: [['token', `${pos}: ${showToken(token)}`], ['activation', neuron >= 0 ? fmt(value) : 'not in top-k']],
    bars: [],
    notes: [],
  };
  const prof = neuron >= 0 ? profiles?.neurons[neuronKey(layer, neuron)] : undefined;
  if (profiles && prof) {
    card.rows.push(['LAPE', fmt(prof.lape)]);
    if (prof.specificTo.length) card.rows.push(['specific to', prof.specificTo.join(', ')]);
    card.bars = profiles.languages.map((lang, i) => ({
      label: lang, fraction: clamp01(prof.p[i] ?? 0), text: pct((prof.p[i] ?? 0) * 100), series: i, strong: prof.specificTo.includes(lang),
    }));
  }
  return card;
}

export function lapeNeuronCard(r: LapeResult, layer: number, neuron: number): HoverCard {
  const langs = r.languages.map((_, li) => r.activationProbability[probIndex(r, li, layer, neuron)]!);
  const specific = r.languages.filter((_, li) => r.neurons[li]![layer]!.includes(neuron));
  const key = neuronKey(layer, neuron);
  return {
    title: key,
    rows: [['LAPE', fmt(r.lape[lapeIndex(r, layer, neuron)]!)], ['specific to', specific.join(', ') || '—'], ['bar (p threshold)', pct(r.bar * 100)]],
    bars: r.languages.map((lang, i) => ({ label: lang, fraction: clamp01(langs[i]!), text: pct(langs[i]! * 100), series: i, strong: langs[i]! > r.bar })),
    notes: r.topTokens?.[key]?.length ? [`top tokens: ${r.topTokens[key]!.slice(0, 12).map(showToken).join('  ')}`] : [],
  };
}

export function scatterPointCard(args: {
  layer: number; kind: string; index: number; mt: number; mono: number; x: number; y: number; rankMt: number; rankMono: number; n: number; quadrant: Quadrant | null;
  mtLabel: string; monoLabel: string;
}): HoverCard {
  const a = args;
  return {
    title: `L${a.layer} ${a.kind} #${a.index}`,
    rows: [
      [`I ${a.mtLabel}`, `${fmt(a.mt)} (z ${fmt(a.x)}, rank ${a.rankMt + 1}/${a.n})`],
      [`I ${a.monoLabel}`, `${fmt(a.mono)} (z ${fmt(a.y)}, rank ${a.rankMono + 1}/${a.n})`],
      ['quadrant', a.quadrant ? quadrantText(a.quadrant) : 'on an axis'],
    ],
    bars: [],
    notes: [],
  };
}

export function quadrantText(q: Quadrant): string {
  switch (q) {
    case 'I': return 'I: both';
    case 'II': return 'II: monolingual only';
    case 'III': return 'III: neither';
    case 'IV': return 'IV: translation only';
  }
}

export function overlapCellCard(a: string, b: string, value: number, quadrant: string, k: number): HoverCard {
  return {
    title: `${a} → ${b}`,
    rows: [['overlap', pct(value)], ['quadrant', quadrant], ['meaning', `share of top-${Math.round(k * 100)}% features of ${a} in bottom-${Math.round(k * 100)}% of ${b}`]],
    bars: [],
    notes: [],
  };
}

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0);

/** Where a box of `size` goes beside a pointer at `at` along an axis of `room`: after it, else before it, else clamped in. */
export function placeInside(at: number, size: number, room: number): number {
  if (at + 12 + size <= room) return at + 12;
  if (at - 12 - size >= 0) return at - 12 - size;
  return Math.max(0, Math.min(room - size, at + 12));
}
