/**
 * Figure files for papers: every figure of a report as `figures/NAME.svg` and `figures/NAME.png`
 * (2× scale). The SVG comes from the panels' pure renderers (webview/render/figures.ts); the PNG
 * is rasterised in-process by resvg compiled to WebAssembly (@resvg/resvg-wasm: no browser, no
 * native addon) with packaged fonts only, so it looks the same on every machine: DejaVu Sans
 * (dejavu-fonts-ttf) for Latin, Greek, Cyrillic, Arabic and the rest it covers, and — read only
 * when the figure has such text — Noto Sans Hans Regular (@embedpdf/fonts-sc, SIL OFL 1.1: all
 * 20,945 unified Han ideographs plus kana, so Chinese and Japanese labels draw as glyphs, not
 * boxes). resvg falls back per character to the font that has it. Not covered: Hangul, and the
 * scripts neither font has (Devanagari, Thai, …): the PNG draws boxes there, the SVG keeps the text.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { featureFigures, lapeFigures, type Figure } from '../../webview/render/figures';
import { LIGHT_THEME } from '../../webview/render/color';
import type { FeatureAnalysis } from '../shared/features';
import type { LapeResult } from '../shared/lape';
import { writeReport } from './commands/studyOutput';
import type { ReportSection } from '../shared/report/sections';

let ready: Promise<void> | undefined;
let latin: Uint8Array[] | undefined;
let cjk: Uint8Array | undefined;

/** Han ideographs, kana, bopomofo, CJK punctuation and full-width forms: what the CJK font is read for. */
export const CJK_TEXT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u;

function latinFonts(): Uint8Array[] {
  latin ??= ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`)));
  return latin;
}

/** The CJK font (8.4 MB), read once and only for figures that need it. The package exports only its index, so the font is found beside it. */
function cjkFont(): Uint8Array {
  cjk ??= readFileSync(join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf'));
  return cjk;
}

/** The fonts an SVG document needs: DejaVu Sans always, the CJK font when its text has CJK characters. */
export function fontsFor(svg: string): Uint8Array[] {
  return CJK_TEXT.test(svg) ? [...latinFonts(), cjkFont()] : latinFonts();
}

/** The rendered image of an SVG document at `scale`× its size: PNG bytes and the RGBA pixels. */
export async function rasterize(svg: string, scale = 2): Promise<{ png: Uint8Array; pixels: Uint8Array; width: number; height: number }> {
  ready ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  await ready;
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontBuffers: fontsFor(svg), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans', serifFamily: 'DejaVu Sans', monospaceFamily: 'DejaVu Sans' },
  });
  const image = r.render();
  const out = { png: image.asPng(), pixels: image.pixels, width: image.width, height: image.height };
  image.free();
  r.free();
  return out;
}

/** The PNG of an SVG document at `scale`× its size. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  return (await rasterize(svg, scale)).png;
}

/**
 * Writes `dir/figures/NAME.svg` and `.png` for each figure; returns the paths relative to `dir`.
 * Without the rasteriser (an install that left out @resvg/resvg-wasm or the font) the SVG files
 * are still written and `warn` says why there is no PNG.
 */
export async function writeFigures(dir: string, figures: readonly Figure[], warn: (m: string) => void = () => {}): Promise<string[]> {
  if (figures.length === 0) return [];
  mkdirSync(join(dir, 'figures'), { recursive: true });
  const out: string[] = [];
  let png = true;
  for (const f of figures) {
    writeFileSync(join(dir, 'figures', `${f.name}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${f.svg}\n`);
    out.push(`figures/${f.name}.svg`);
    if (!png) continue;
    try {
      writeFileSync(join(dir, 'figures', `${f.name}.png`), await svgToPng(f.svg));
      out.push(`figures/${f.name}.png`);
    } catch (e) {
      png = false;
      warn(`figures: SVG only, no PNG (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return out;
}

/** The report's list of figure files: one row per figure with its caption and files. */
export function figuresSection(figures: readonly Figure[], files: readonly string[]): ReportSection {
  return {
    kind: 'table',
    title: 'Figures (SVG and PNG files for papers, in figures/)',
    data: { columns: ['figure', 'shows', 'files'], rows: figures.map((f) => [f.name, f.caption, files.filter((x) => x.startsWith(`figures/${f.name}.`)).join(', ')]) },
  };
}

/** report.html (the Translation features panel) and figures/ of a features folder: one run and `merge` write the same. */
export async function writeFeaturesReport(tmp: string, analysis: FeatureAnalysis, model: string, warn: (m: string) => void): Promise<Figure[]> {
  const figures = featureFigures(LIGHT_THEME, analysis);
  const files = await writeFigures(tmp, figures, warn);
  writeReport(tmp, `Translation features — ${model}`, [{ kind: 'features', title: 'Translation features', data: analysis }, figuresSection(figures, files)]);
  return figures;
}

/** report.html (the Language neurons panel) and figures/ of a neurons folder: one run and `merge` write the same. */
export async function writeNeuronsReport(tmp: string, result: LapeResult, warn: (m: string) => void): Promise<Figure[]> {
  const figures = lapeFigures(LIGHT_THEME, result);
  const files = await writeFigures(tmp, figures, warn);
  writeReport(tmp, `Language-specific neurons — ${result.model.name}`, [{ kind: 'languageNeurons', title: 'Language-specific neurons (LAPE)', data: result }, figuresSection(figures, files)]);
  return figures;
}
