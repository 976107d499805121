/** Neuron panel entry (dist/webview/neuron.js). */
import '../views/elements';
import type { NeuronShow } from '../../src/shared/protocol';
import { decodeNeuron } from '../render/data';
import { bootPanel } from '../views/boot';
import { mountNeuron } from '../views/neuronView';

bootPanel<NeuronShow>({
  kind: 'neuron',
  showType: 'neuron/show',
  mount: (root, msg, ctx) => mountNeuron(root, decodeNeuron(msg.report), ctx),
});
