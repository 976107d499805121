/** Adds a neuron report's lines to the visible hover card when it still shows that neuron. */
import { neuronKey } from '../../src/shared/analysis';
import type { NeuronReport } from '../../src/shared/neuron';
import { neuronReportNotes } from '../render/neuron';
import { h } from './dom';

export function appendNeuronNotes(r: NeuronReport): void {
  const card = document.querySelector<HTMLElement>('[data-testid="hover-card"]');
  const title = card?.querySelector('[data-testid="hover-title"]')?.textContent;
  if (!card || card.hidden || title !== neuronKey(r.layer, r.index)) return;
  card.querySelectorAll('.neuron-report').forEach((n) => n.remove());
  for (const line of neuronReportNotes(r)) card.append(h('div', { class: 'hc-note neuron-report', 'data-testid': 'hover-neuron-report' }, line));
}
