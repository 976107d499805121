/** The activations heatmap as a standalone SVG (for export, and rasterised for the PNG export). */
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { colorOr, DEFAULT_THEME, scaleColor, toHex, type DivergingScale, type Theme } from './color';
import { fmt, showToken } from './format';
import type { HeatmapGrid } from './heatmap';
import { rect, svgDoc, text } from './svg';

/** Export cell size: 16 px squares read well printed and keep a 512×32 export under 2 MB. */
const CELL = 16;
/** Tokens are cut to this many characters in the label column. */
const MAX_TOKEN_CHARS = 16;

export function heatmapSvg(a: ActivationAnalysis, g: HeatmapGrid, scale: DivergingScale, theme: Theme): string {
  const labelW = 150, top = 40;
  const bg = colorOr(theme.background, DEFAULT_THEME.background);
  const parts: string[] = [text(`${a.model.name}: ${g.label}, |value| scale ±${fmt(scale.domain)}`, { x: 4, y: 14, fill: theme.foreground })];
  for (let l = 0; l < g.cols; l++) {
    // Label every layer when cells are wide enough for two digits; here they always are at 16 px, but skip odd ones past 40 layers.
    if (g.cols <= 40 || l % 2 === 0) parts.push(text(String(l), { x: labelW + l * CELL + CELL / 2, y: top - 6, fill: theme.muted, 'text-anchor': 'middle', 'font-size': 9 }));
  }
  a.tokens.forEach((t, p) => {
    const label = `${p} ${showToken(t.text)}`;
    parts.push(text(label.length > MAX_TOKEN_CHARS ? label.slice(0, MAX_TOKEN_CHARS - 1) + '…' : label, { x: labelW - 6, y: top + p * CELL + 12, fill: theme.foreground, 'text-anchor': 'end', 'font-size': 11 }));
  });
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      const v = g.values[r * g.cols + c]!;
      parts.push(rect({ x: labelW + c * CELL, y: top + r * CELL, width: CELL, height: CELL, fill: toHex(scaleColor(scale, v, bg)),
        'data-value': Number.isNaN(v) ? undefined : v, 'data-neuron': g.neurons[r * g.cols + c]! >= 0 ? g.neurons[r * g.cols + c]! : undefined }));
    }
  }
  return svgDoc(labelW + g.cols * CELL + 8, top + g.rows * CELL + 8, parts.join(''), { background: theme.background, fontFamily: theme.fontFamily, fontSize: 12 });
}
