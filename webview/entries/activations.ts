/** Activations panel entry (dist/webview/activations.js). */
import '../views/elements';
import type { ActivationAnalysis } from '../../src/shared/analysis';
import type { ActivationsShow } from '../../src/shared/protocol';
import { decodeActivations, decodeNeuron } from '../render/data';
import { mountActivations } from '../views/activationsView';
import { bootPanel } from '../views/boot';
import { appendNeuronNotes } from '../views/neuronNotes';

/** The analysis on screen: a neuron report is only shown if it was computed on the same prompt. */
let shown: ActivationAnalysis | undefined;

bootPanel<ActivationsShow>({
  kind: 'activations',
  showType: 'activations/show',
  mount: (root, msg, ctx) => mountActivations(root, (shown = decodeActivations(msg.analysis)), ctx),
  onMessage: (msg, _root, view, persist) => {
    if (msg.type === 'activations/revealToken') view?.reveal?.(msg.pos);
    else if (msg.type === 'activations/continuation') {
      if (msg.text !== shown?.text || !shown.generated.pending) return;
      view?.continuation?.(msg.generated);
      // Saved with the data, so a panel redrawn from its state (hidden and shown, reloaded) shows it too.
      persist((show) => ({ ...show, analysis: { ...show.analysis, generated: msg.generated } }));
    }
    else if (msg.type === 'neuron/report') {
      const r = decodeNeuron(msg.report);
      if (r.text === shown?.text) {
        appendNeuronNotes(r);
        view?.column?.(r.layer, r.index, r.activations);
      }
    }
  },
});
