/** Activations panel entry (dist/webview/activations.js). */
import '../views/elements';
import type { ActivationsShow } from '../../src/shared/protocol';
import { decodeActivations } from '../render/data';
import { mountActivations } from '../views/activationsView';
import { bootPanel } from '../views/boot';

bootPanel<ActivationsShow>({
  kind: 'activations',
  showType: 'activations/show',
  mount: (root, msg, ctx) => mountActivations(root, decodeActivations(msg.analysis), ctx),
  onMessage: (msg, _root, view) => { if (msg.type === 'activations/revealToken') view?.reveal?.(msg.pos); },
});
