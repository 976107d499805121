/** Latent language panel entry (dist/webview/latentLanguage.js). */
import '../views/elements';
import type { LatentLanguageShow } from '../../src/shared/protocol';
import { decodeLatentLanguage } from '../render/lens';
import { bootPanel } from '../views/boot';
import { mountLatentLanguage } from '../views/latentLanguageView';

bootPanel<LatentLanguageShow>({
  kind: 'latentLanguage',
  showType: 'latentLanguage/show',
  mount: (root, msg, ctx) => mountLatentLanguage(root, decodeLatentLanguage(msg.result), ctx),
  onMessage: (msg, _root, view) => {
    if (msg.type === 'latentLanguage/revealToken') view?.reveal?.(msg.pos);
  },
});
