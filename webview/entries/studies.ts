/** Studies panel entry (dist/webview/studies.js): instruction-variant and numeric-bias results, drawn as the report draws them. */
import '../views/elements';
import type { StudiesShow } from '../../src/shared/protocol';
import { bootPanel } from '../views/boot';
import { mountSections } from '../views/sectionsView';

bootPanel<StudiesShow>({
  kind: 'studies',
  showType: 'studies/show',
  mount: (root, msg, ctx) => mountSections(root, msg.sections as unknown[], ctx),
});
