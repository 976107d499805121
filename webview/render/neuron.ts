/**
 * The Neuron panel's pictures and files, pure (tested without a DOM): the per-token activation
 * chart (bars up for positive hook_post, down for negative, around a zero line), the language
 * profile bars, the examples CSV.
 */
import { exampleContext, sparkline, strongestTokens, type NeuronReport } from '../../src/shared/neuron';
import { neuronKey } from '../../src/shared/analysis';
import type { Theme } from './color';
import { toCsv } from './csv';
import { fmt, showToken } from './format';
import { rect, svgDoc, text, line, round2 } from './svg';

export interface TokenBarsSpec {
  width: number;
  height: number;
  testid?: string;
}

/** x, height and top of each token's bar for a chart of `width` × `height` (labels below take 40 px). */
export function tokenBarGeometry(values: ArrayLike<number>, width: number, height: number): { zeroY: number; bars: { x: number; w: number; y: number; h: number }[] } {
  const plotH = Math.max(10, height - 40);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  const span = hi - lo || 1;
  const zeroY = (hi / span) * plotH;
  const slot = width / Math.max(1, values.length);
  const bars = Array.from({ length: values.length }, (_, i) => {
    const v = values[i]!;
    const hgt = (Math.abs(v) / span) * plotH;
    return { x: round2(i * slot + 1), w: round2(Math.max(1, slot - 2)), y: round2(v >= 0 ? zeroY - hgt : zeroY), h: round2(hgt) };
  });
  return { zeroY: round2(zeroY), bars };
}

export function tokenBarsSvg(theme: Theme, r: NeuronReport, s: TokenBarsSpec): string {
  const g = tokenBarGeometry(r.activations, s.width, s.height);
  const slot = s.width / Math.max(1, r.activations.length);
  const parts: string[] = [line({ x1: 0, x2: s.width, y1: g.zeroY, y2: g.zeroY, stroke: theme.border })];
  g.bars.forEach((b, p) => {
    const v = r.activations[p]!;
    parts.push(rect({ x: b.x, y: b.y, width: b.w, height: Math.max(0.5, b.h), fill: v >= 0 ? theme.positive : theme.negative, 'data-pos': p, 'data-value': v }));
    // Token labels only where they fit: one per ~14 px.
    if (slot >= 14 || p % Math.ceil(14 / slot) === 0) {
      parts.push(text(showToken(r.tokens[p]!.text).slice(0, Math.max(1, Math.floor(slot / 6))), { x: round2(p * slot + slot / 2), y: s.height - 24, fill: theme.muted, 'text-anchor': 'middle', 'font-size': 10 }));
    }
  });
  return svgDoc(s.width, s.height, parts.join(''), { fontFamily: theme.fontFamily, fontSize: 11, testid: s.testid });
}

/** Rows of the language profile: activation probability per language, selected ones marked. */
export function languageRows(r: NeuronReport): { label: string; value: number; text: string; selected: boolean }[] {
  const l = r.languages;
  if (!l) return [];
  return l.languages.map((lang) => ({ label: lang, value: l.probability[lang]!, text: fmt(l.probability[lang]!), selected: l.selectedFor.includes(lang) }));
}

/** Every example of the neuron, one row each, strongest first. */
export function neuronExamplesCsv(r: NeuronReport): string {
  const ref = neuronKey(r.layer, r.index);
  return toCsv(
    ['neuron', 'rank', 'value', 'token', 'position', 'start', 'end', 'text'],
    (r.examples ?? []).map((e, i) => [ref, i + 1, e.value, e.token, e.position, e.start, e.end, e.text]),
  );
}

/** Per-token values as CSV (the panel's second export). */
export function neuronTokensCsv(r: NeuronReport): string {
  return toCsv(['pos', 'token', 'token_id', 'activation'], r.tokens.map((t, p) => [p, t.text, t.id, r.activations[p]!]));
}

/**
 * Lines the Activations panel adds to a neuron's hover card once the host answers `neuron/hover`:
 * the neuron on every token of the prompt (a text sparkline, the strongest tokens), its LAPE
 * verdict and its strongest corpus example.
 */
export function neuronReportNotes(r: NeuronReport, tokens = 3): string[] {
  const a = r.activations;
  const notes = [`this prompt: ${sparkline(a)}`, `strongest: ${strongestTokens(a, tokens).map((p) => `${showToken(r.tokens[p]!.text)} ${fmt(a[p]!)}`).join(' · ')}`];
  const l = r.languages;
  if (l) notes.push(`LAPE ${l.entropy === null ? 'n/a' : fmt(l.entropy)} · ${l.selected ? `selected for ${l.selectedFor.join(', ')}` : 'not selected'}`);
  const e = r.examples?.[0];
  if (e) {
    const c = exampleContext(e, 24);
    notes.push(`top example (${fmt(e.value)}): ${c.before}[${c.token}]${c.after}`);
  }
  return notes;
}
