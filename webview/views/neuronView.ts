/**
 * The Neuron panel: one neuron on the analysed prompt — per-token hook_post chart and table, its
 * language profile, its top corpus examples with the firing token highlighted — and the actions
 * (deactivate in the prompt, compare with it off, copy the reference, export CSV).
 */
import type { NeuronReport } from '../../src/shared/neuron';
import { exampleContext, strongestTokens } from '../../src/shared/neuron';
import { neuronKey } from '../../src/shared/analysis';
import type { NeuronActionKind } from '../../src/shared/protocol';
import { barListSvg } from '../render/charts';
import { fmt, showToken } from '../render/format';
import { languageRows, neuronExamplesCsv, neuronTokensCsv, tokenBarsSvg } from '../render/neuron';
import type { MountedView, ViewContext } from './context';
import { h, setSvg } from './dom';
import { exportFile } from './exporter';
import { reportPaint } from './paint';

/** Strongest tokens listed under the chart. */
const TOP_TOKENS = 10;

export function mountNeuron(root: HTMLElement, r: NeuronReport, ctx: ViewContext): MountedView {
  const key = neuronKey(r.layer, r.index);
  const chart = h('div', { 'data-testid': 'neuron-chart' });
  const langs = h('div', { 'data-testid': 'neuron-languages' });
  const action = (a: NeuronActionKind, label: string): HTMLElement => {
    const b = h('vscode-button', { secondary: a !== 'deactivate', 'data-testid': `neuron-${a}` }, label);
    b.addEventListener('click', () => ctx.bridge.post({ type: 'neuron/action', action: a, layer: r.layer, index: r.index }));
    return b;
  };
  const csv = h('vscode-button', { secondary: true, 'data-testid': 'neuron-export-examples' }, 'Examples CSV');
  csv.addEventListener('click', () => exportFile(ctx.bridge, 'csv', `${key}-examples.csv`, neuronExamplesCsv(r)));
  const tokensCsv = h('vscode-button', { secondary: true, 'data-testid': 'neuron-export-tokens' }, 'Tokens CSV');
  tokensCsv.addEventListener('click', () => exportFile(ctx.bridge, 'csv', `${key}-tokens.csv`, neuronTokensCsv(r)));
  if (!r.examples?.length) csv.setAttribute('disabled', '');

  const top = strongestTokens(r.activations, TOP_TOKENS);
  const l = r.languages;
  root.append(
    h('div', { class: 'toolbar' },
      h('strong', { 'data-testid': 'neuron-title' }, `${key}`), h('span', { class: 'muted' }, `${r.model.name} · hook_post on ${r.tokens.length} tokens`),
      h('span', { class: 'spacer' }), action('deactivate', 'Deactivate in prompt'), action('compare', 'Compare with it off'), action('copy', 'Copy reference'), tokensCsv, csv),
    chart,
    h('h3', {}, 'Strongest tokens'),
    h('table', { 'data-testid': 'neuron-top-tokens' },
      h('tr', {}, h('th', {}, 'pos'), h('th', {}, 'token'), h('th', {}, 'activation')),
      ...top.map((p) => h('tr', { 'data-pos': p, 'data-value': r.activations[p]! }, h('td', {}, String(p)), h('td', {}, showToken(r.tokens[p]!.text)), h('td', {}, fmt(r.activations[p]!))))),
    h('h3', {}, 'Language profile'),
    l
      ? h('div', {}, h('p', { class: 'muted', 'data-testid': 'neuron-lape' },
          `LAPE ${l.entropy === null ? 'n/a (never active)' : fmt(l.entropy)} · ${l.selected ? `selected for ${l.selectedFor.join(', ')}` : 'not selected'}`), langs)
      : h('p', { class: 'muted' }, 'No LAPE statistics for this model yet: run Polyglot Lens: Find Language Neurons.'),
    h('h3', {}, 'Top examples'),
    examplesBlock(r, action('buildIndex', 'Build Neuron Index…')),
  );

  function draw(): void {
    const t = ctx.theme();
    setSvg(chart, tokenBarsSvg(t, r, { width: Math.max(320, Math.min(1200, root.clientWidth || 640)), height: 160, testid: 'neuron-chart-svg' }));
    if (l) setSvg(langs, barListSvg(t, { items: languageRows(r).map((x) => ({ label: x.selected ? `${x.label} ●` : x.label, value: x.value, text: x.text, attrs: { 'data-lang': x.label, 'data-p': x.value } })), max: 1, width: 360, color: t.accent }));
  }
  draw();
  reportPaint(ctx.bridge, 'neuron', ctx.t0, root);
  return { redraw: draw, destroy: () => root.replaceChildren() };
}

function examplesBlock(r: NeuronReport, build: HTMLElement): HTMLElement {
  const s = r.indexState;
  // No examples to show: the action that builds them (the CLI's `neurons index`, from the editor).
  if (s.state === 'none') return h('p', { class: 'muted', 'data-testid': 'neuron-index-state' }, 'No neuron index yet: its top examples show which corpus texts fire this neuron most. ', build);
  if (s.state !== 'ok') return h('p', { class: 'muted', 'data-testid': 'neuron-index-state' }, s.message, ' ', build);
  return h('ol', { 'data-testid': 'neuron-examples' }, ...(r.examples ?? []).map((e) => {
    const c = exampleContext(e, 60);
    return h('li', { 'data-value': e.value, 'data-position': e.position },
      h('span', { class: 'muted' }, `${fmt(e.value)} `), c.before, h('mark', {}, c.token), c.after);
  }));
}
