/** Features panel entry (dist/webview/features.js): overlap map, scatter, large-magnitude features. */
import '../views/elements';
import type { FeaturesShow } from '../../src/shared/protocol';
import { decodeFeatures } from '../render/data';
import { bootPanel } from '../views/boot';
import { mountFeatures } from '../views/featuresView';

bootPanel<FeaturesShow>({
  kind: 'features',
  showType: 'features/show',
  mount: (root, msg, ctx) => mountFeatures(root, decodeFeatures(msg.features), ctx),
});
