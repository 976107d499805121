/** A colour-scale legend: −domain … 0 … +domain as a thin canvas strip with labels. */
import { colorOr, DEFAULT_THEME, scaleColor, type DivergingScale, type Theme } from '../render/color';
import { fmt } from '../render/format';
import { linear } from '../render/ticks';
import { h } from './dom';

/** 64 steps render a smooth-looking strip at the legend's 120 px width. */
const STEPS = 64;

export function legend(scale: DivergingScale, theme: Theme, label: string, note?: string): HTMLElement {
  const c = h('canvas', { width: STEPS, height: 1 });
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(STEPS, 1);
  const bg = colorOr(theme.background, DEFAULT_THEME.background);
  const value = linear(0, STEPS - 1, -scale.domain, scale.domain); // pixel → value
  for (let i = 0; i < STEPS; i++) {
    const [r, g, b] = scaleColor(scale, value(i), bg);
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  // The grey swatch is the scale's `empty` colour: the note says what it stands for.
  const grey = note ? h('span', { class: 'legend-empty', 'data-testid': 'legend-empty' }) : null;
  if (grey) grey.style.background = `rgb(${scale.empty.join(',')})`;
  return h('span', { class: 'legend', 'data-testid': 'legend', 'data-domain': scale.domain }, h('span', { class: 'muted' }, label), fmt(-scale.domain), c, fmt(scale.domain),
    grey, note ? h('span', { class: 'muted', 'data-testid': 'legend-note' }, note) : null);
}
