/** Language neurons panel entry (dist/webview/languageNeurons.js). */
import '../views/elements';
import type { LanguageNeuronsShow } from '../../src/shared/protocol';
import { decodeLape } from '../render/data';
import { bootPanel } from '../views/boot';
import { mountLanguageNeurons } from '../views/lapeView';

bootPanel<LanguageNeuronsShow>({
  kind: 'languageNeurons',
  showType: 'languageNeurons/show',
  mount: (root, msg, ctx) => mountLanguageNeurons(root, decodeLape(msg.lape), ctx, { saveFolder: true }),
});
