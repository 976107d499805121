/** Neuron panel: host side. */
import { neuronKey } from '../../shared/analysis';
import type { NeuronReport } from '../../shared/neuron';
import { toWire } from '../../shared/wire';
import type { PanelProvenance } from '../../shared/protocol';
import { LensPanel, type PanelHost } from './lensPanel';

export async function showNeuronPanel(ctx: PanelHost, report: NeuronReport, provenance?: PanelProvenance): Promise<LensPanel> {
  return LensPanel.show(ctx, 'neuron', { type: 'neuron/show', report: toWire(report) }, `Neuron ${neuronKey(report.layer, report.index)}: ${report.model.name}`, provenance);
}
