/** Quadrant overlap map (methods.md §4): one settings × settings matrix per layer and kind. */
import type { OverlapMaps } from '../../src/shared/features';
import { overlapGridSvg, overlapMapSvg } from '../render/figures';
import { pct } from '../render/format';
import { overlapCellCard } from '../render/hover';
import { overlapLayerLabel, overlapMatrix, overlapQuadrant, OVERLAP_SOURCE_TITLES, QUADRANT_NAMES, quadrantMeans } from '../render/overlap';
import type { MountedView, ViewContext } from './context';
import { h, select, setSvg, valueOf } from './dom';
import { exportFile } from './exporter';

/** `key` keeps the two maps' (hidden states, linear inputs) control state apart; the first map uses the plain keys. */
export function mountOverlap(root: HTMLElement, o: OverlapMaps, ctx: ViewContext, key = ''): MountedView {
  const layerKey = `overlapLayer${key}`, kindKey = `overlapKind${key}`;
  const saved = (k: string, n: number): number => { const v = ctx.ui[k]; return typeof v === 'number' && v < n ? v : 0; };
  let li = saved(layerKey, o.layers.length);
  let ki = saved(kindKey, o.kinds.length);
  const layerSel = select(`overlap-layer${key}`, o.layers.map((_, i) => ({ value: String(i), label: overlapLayerLabel(o, i) })), String(li), o.source === 'hidden_states' ? 'hidden state' : 'layer');
  const kindSel = select(`overlap-kind${key}`, o.kinds.map((k, i) => ({ value: String(i), label: k })), String(ki), 'linear layer input');
  if (o.kinds.length < 2) kindSel.style.display = 'none';
  const means = h('span', { class: 'muted', 'data-testid': 'overlap-means' });
  const svgBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-overlap-svg' }, 'SVG');
  // Every layer's map in one figure, as the paper prints them (the CLI's figures/overlap-*-grid.svg).
  const gridBtn = h('vscode-button', { secondary: true, 'data-testid': 'export-overlap-grid-svg', title: 'All layers in one SVG figure' }, 'All layers (SVG)');
  const map = h('div', { 'data-testid': 'overlap-map' });
  root.append(h('p', { class: 'muted', 'data-testid': `overlap-source${key}` }, `Compares ${OVERLAP_SOURCE_TITLES[o.source]}; top/bottom ${Math.round(o.k * 100)}% of the features.`));
  root.append(h('div', { class: 'toolbar' }, layerSel, kindSel, means, h('span', { class: 'spacer' }), svgBtn, gridBtn), map);

  let svg = '';
  let m = overlapMatrix(o, li, ki);
  function draw(): void {
    m = overlapMatrix(o, li, ki);
    // The same renderer as the CLI's figures/overlap-*.svg (render/figures.ts).
    svg = overlapMapSvg(ctx.theme(), o, li, ki);
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
  const onControls = (): void => { li = Number(valueOf(layerSel)); ki = Number(valueOf(kindSel)); ctx.saveUi({ ...ctx.ui, [layerKey]: li, [kindKey]: ki }); draw(); };
  layerSel.addEventListener('change', onControls);
  kindSel.addEventListener('change', onControls);
  svgBtn.addEventListener('click', () => exportFile(ctx.bridge, 'svg', `overlap-${o.source}-${o.layers[li]}-${o.kinds[ki]!.replace(/\//g, '')}.svg`, svg));
  gridBtn.addEventListener('click', () => exportFile(ctx.bridge, 'svg', `overlap-${o.source}-grid.svg`, overlapGridSvg(ctx.theme(), o)));
  draw();
  return { redraw: draw, destroy: () => root.replaceChildren() };
}
