/** Quadrant overlap map (methods.md §4): one settings × settings matrix per layer and kind. */
import type { OverlapMaps } from '../../src/shared/features';
import { matrixSvg } from '../render/charts';
import { divergingScale } from '../render/color';
import { pct } from '../render/format';
import { overlapCellCard } from '../render/hover';
import { overlapMatrix, overlapQuadrant, QUADRANT_NAMES, quadrantMeans } from '../render/overlap';
import type { MountedView, ViewContext } from './context';
import { h, select, setSvg, valueOf } from './dom';
import { exportFile } from './exporter';

export function mountOverlap(root: HTMLElement, o: OverlapMaps, ctx: ViewContext): MountedView {
  let li = typeof ctx.ui.overlapLayer === 'number' && ctx.ui.overlapLayer < o.layers.length ? ctx.ui.overlapLayer : 0;
  let ki = typeof ctx.ui.overlapKind === 'number' && ctx.ui.overlapKind < o.kinds.length ? ctx.ui.overlapKind : 0;
  const layerSel = select('overlap-layer', o.layers.map((l, i) => ({ value: String(i), label: `layer ${l}` })), String(li), 'layer');
  const kindSel = select('overlap-kind', o.kinds.map((k, i) => ({ value: String(i), label: k })), String(ki), 'linear layer kind');
  const means = h('span', { class: 'muted', 'data-testid': 'overlap-means' });
  const svgBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-overlap-svg' }, 'SVG');
  const map = h('div', { 'data-testid': 'overlap-map' });
  root.append(h('div', { class: 'toolbar' }, layerSel, kindSel, means, h('span', { class: 'spacer' }), svgBtn), map);

  let svg = '';
  let m = overlapMatrix(o, li, ki);
  function draw(): void {
    m = overlapMatrix(o, li, ki);
    const labels = m.settings.map((s) => s.label);
    // Cells show their percent only when there is room for "100" (≥ 24 px cells, i.e. up to ~20 settings).
    const cell = Math.max(14, Math.min(40, Math.floor(560 / Math.max(1, labels.length))));
    svg = matrixSvg(ctx.theme(), {
      rowLabels: labels, colLabels: labels, value: (a, b) => m.values[a * labels.length + b]!, scale: divergingScale(ctx.theme(), 100),
      cellText: cell >= 24 ? (_a, _b, v) => String(Math.round(v)) : undefined,
      cellAttrs: (a, b, v) => ({ 'data-a': a, 'data-b': b, 'data-value': Math.round(v * 100) / 100 }),
      splitRow: m.split, splitCol: m.split, quadrantLabels: QUADRANT_NAMES, cell, testid: 'overlap-svg',
      title: `layer ${o.layers[li]} · ${o.kinds[ki]} · top/bottom ${Math.round(o.k * 100)}%`,
    });
    setSvg(map, svg);
    const q = quadrantMeans(m);
    means.textContent = 'mean ' + QUADRANT_NAMES.map((n, i) => `${n} ${pct(q[i]!)}`).join(' · ');
  }
  map.addEventListener('mousemove', (e) => {
    const t = e.target as Element;
    const a = t.getAttribute('data-a'), b = t.getAttribute('data-b');
    if (a === null || b === null) { ctx.hover.hide(); return; }
    const A = m.settings[Number(a)]!, B = m.settings[Number(b)]!;
    ctx.hover.show(overlapCellCard(A.label, B.label, Number(t.getAttribute('data-value')), overlapQuadrant(m, Number(a), Number(b)), o.k), e.clientX, e.clientY);
  });
  map.addEventListener('mouseleave', () => ctx.hover.hide());
  const onControls = (): void => { li = Number(valueOf(layerSel)); ki = Number(valueOf(kindSel)); ctx.saveUi({ ...ctx.ui, overlapLayer: li, overlapKind: ki }); draw(); };
  layerSel.addEventListener('change', onControls);
  kindSel.addEventListener('change', onControls);
  svgBtn.addEventListener('click', () => exportFile(ctx.bridge, 'svg', `overlap-L${o.layers[li]}-${o.kinds[ki]}.svg`, svg));
  draw();
  return { redraw: draw, destroy: () => root.replaceChildren() };
}
