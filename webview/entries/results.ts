/** Results panel entry (dist/webview/results.js): Evaluate's results table and charts, drawn as report.html draws them. */
import '../views/elements';
import type { ResultsShow } from '../../src/shared/protocol';
import { bootPanel } from '../views/boot';
import { mountSections } from '../views/sectionsView';

bootPanel<ResultsShow>({
  kind: 'results',
  showType: 'results/show',
  mount: (root, msg, ctx) => mountSections(root, msg.sections as unknown[], ctx),
});
