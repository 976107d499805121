/** The Features panel: overlap map, feature scatter and large-magnitude features, whichever are present. */
import type { FeatureAnalysis } from '../../src/shared/features';
import type { MountedView, ViewContext } from './context';
import { h } from './dom';
import { mountLargeMagnitude } from './largeMagView';
import { mountOverlap } from './overlapView';
import { reportPaint } from './paint';
import { mountScatter } from './scatterView';

export function mountFeatures(root: HTMLElement, f: FeatureAnalysis, ctx: ViewContext): MountedView {
  const views: MountedView[] = [];
  const part = (title: string, testid: string): HTMLElement => {
    const body = h('div', { 'data-testid': testid });
    root.append(h('h2', {}, title), body);
    return body;
  };
  if (f.scatter) views.push(mountScatter(part('Feature scatter', 'features-scatter'), f.scatter, ctx));
  if (f.overlap) views.push(mountOverlap(part('Quadrant overlap map', 'features-overlap'), f.overlap, ctx));
  if (f.overlapSecond) views.push(mountOverlap(part('Quadrant overlap map — second source', 'features-overlap-second'), f.overlapSecond, ctx, 'Second'));
  if (f.largeMagnitude) views.push(mountLargeMagnitude(part('Large-magnitude features', 'features-large'), f.largeMagnitude, ctx));
  if (!views.length) root.append(h('p', { class: 'empty' }, 'No feature analyses in this result.'));
  reportPaint(ctx.bridge, 'features', ctx.t0, root);
  return { redraw: () => views.forEach((v) => v.redraw()), destroy: () => { views.forEach((v) => v.destroy()); root.replaceChildren(); } };
}
