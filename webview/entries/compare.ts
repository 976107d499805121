/** Compare panel entry (dist/webview/compare.js). */
import '../views/elements';
import type { CompareShow } from '../../src/shared/protocol';
import { decodeCompare } from '../render/data';
import { bootPanel } from '../views/boot';
import { mountCompare } from '../views/compareView';

bootPanel<CompareShow>({
  kind: 'compare',
  showType: 'compare/show',
  mount: (root, msg, ctx) => mountCompare(root, decodeCompare(msg.compare), ctx),
});
