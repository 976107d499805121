/** Large-magnitude residual features (methods.md §4): top dimensions per layer, recurring dims. */
import type { LargeMagnitudeFeatures } from '../../src/shared/features';
import { matrixSvg } from '../render/charts';
import { divergingScale } from '../render/color';
import { fmt } from '../render/format';
import { recurringDims } from '../render/largeMag';
import type { MountedView, ViewContext } from './context';
import { h, setSvg } from './dom';

export function mountLargeMagnitude(root: HTMLElement, m: LargeMagnitudeFeatures, ctx: ViewContext): MountedView {
  const map = h('div', { 'data-testid': 'large-magnitude' });
  // A dim in the top list of at least half the layers is a "massive activation" dimension worth naming.
  const rec = recurringDims(m, Math.max(2, Math.ceil(m.nLayers / 2)));
  const recEl = h('p', { 'data-testid': 'recurring-dims' }, rec.length ? `In most hidden states' top ${m.top} (h0 = embeddings, h${m.nLayers - 1} = after the final norm): ` + rec.map((r) => `dim ${r.dim} (${r.layers} hidden states)`).join(', ') : 'No dimension recurs in most hidden states.');
  root.append(recEl, map);
  function draw(): void {
    let max = 0;
    for (const v of m.norms) if (v > max) max = v;
    setSvg(map, matrixSvg(ctx.theme(), {
      rowLabels: Array.from({ length: m.nLayers }, (_, l) => `h${l}`), colLabels: Array.from({ length: m.top }, (_, r) => `#${r + 1}`),
      value: (l, r) => m.norms[l * m.top + r]!, scale: divergingScale(ctx.theme(), max), cell: 34,
      cellText: (l, r) => String(m.dims[l * m.top + r]), cellAttrs: (l, r, v) => ({ 'data-layer': l, 'data-dim': m.dims[l * m.top + r]!, 'data-norm': v }),
      testid: 'large-magnitude-svg',
    }));
  }
  map.addEventListener('mousemove', (e) => {
    const t = e.target as Element;
    if (!t.getAttribute('data-dim')) { ctx.hover.hide(); return; }
    ctx.hover.show({ title: `hidden state ${t.getAttribute('data-layer')} dim ${t.getAttribute('data-dim')}`, rows: [['mean L2 norm', fmt(Number(t.getAttribute('data-norm')))]], bars: [], notes: [] }, e.clientX, e.clientY);
  });
  map.addEventListener('mouseleave', () => ctx.hover.hide());
  draw();
  return { redraw: draw, destroy: () => root.replaceChildren() };
}
