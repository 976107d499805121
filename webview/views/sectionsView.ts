/**
 * Report sections (src/shared/report/sections.ts) mounted with the panels' own views: the CLI's
 * report.html and the editor's Studies panel draw the same data with this one function.
 */
import { isWireActivationAnalysis, isWireCompare, isWireFeatures, isWireLape, isWireLatentLanguage } from '../../src/shared/protocol';
import type { ReportSection } from '../../src/shared/report/sections';
import { fromWire } from '../../src/shared/wire';
import { decodeActivations, decodeCompare, decodeFeatures, decodeLape } from '../render/data';
import { histogramWidth, scoreHistogramSvg, type ScoreHistogramSeries } from '../render/scoreHistogram';
import { mountActivations } from './activationsView';
import { mountCompare } from './compareView';
import type { MountedView, ViewContext } from './context';
import { h, setSvg } from './dom';
import { mountFeatures } from './featuresView';
import { mountInstructionResults } from './instructionsView';
import { mountLatentLanguage } from './latentLanguageView';
import { isLensDatasetSummary, mountLensDataset } from './lensDatasetView';
import { decodeLatentLanguage } from '../render/lens';
import { mountLanguageNeurons } from './lapeView';
import { mountResults } from './resultsView';
import type { ResultRow } from '../../src/shared/results/rows';

/** Mounts every section under `root`; a malformed section shows its error and the others still draw. */
export function mountSections(root: HTMLElement, sections: readonly unknown[], ctx: ViewContext): MountedView {
  const views: MountedView[] = [];
  for (const [i, s] of sections.entries()) {
    const sec = s as { kind?: string; title?: string; data?: unknown };
    const body = h('div', { 'data-testid': `section-${i}-body` });
    root.append(h('section', { class: 'report-section', 'data-kind': String(sec.kind), 'data-testid': `section-${i}` }, h('h2', {}, String(sec.title ?? sec.kind)), body));
    try {
      const view = mountSection(body, sec.kind, sec.data, ctx);
      if (view) views.push(view);
    } catch (e) {
      body.append(h('div', { class: 'error' }, e instanceof Error ? e.message : String(e)));
    }
  }
  return { redraw: () => views.forEach((v) => v.redraw()), destroy: () => views.forEach((v) => v.destroy()) };
}

function mountSection(body: HTMLElement, kind: string | undefined, d: unknown, ctx: ViewContext): MountedView | undefined {
  switch (kind) {
    case 'activations': if (!isWireActivationAnalysis(d)) throw new Error('malformed activations'); return mountActivations(body, decodeActivations(d), ctx);
    case 'languageNeurons': if (!isWireLape(d)) throw new Error('malformed LAPE result'); return mountLanguageNeurons(body, decodeLape(d), ctx);
    case 'features': if (!isWireFeatures(d)) throw new Error('malformed feature analysis'); return mountFeatures(body, decodeFeatures(d), ctx);
    case 'compare': if (!isWireCompare(d)) throw new Error('malformed comparison'); return mountCompare(body, decodeCompare(d), ctx);
    case 'instructionResults': return mountInstructionResults(body, d, ctx);
    case 'latentLanguage': if (!isWireLatentLanguage(d)) throw new Error('malformed lens result'); return mountLatentLanguage(body, decodeLatentLanguage(d), ctx);
    case 'lensDataset': if (!isLensDatasetSummary(d)) throw new Error('malformed lens dataset summary'); return mountLensDataset(body, d, ctx);
    case 'results': {
      const { rows, metrics, labels, groups, significance } = (d ?? {}) as { rows?: unknown; metrics?: unknown; labels?: unknown; groups?: unknown; significance?: unknown };
      if (!Array.isArray(rows)) throw new Error('malformed results');
      const strings = (x: unknown): Record<string, string> | undefined => (typeof x === 'object' && x !== null && Object.values(x).every((v) => typeof v === 'string') ? (x as Record<string, string>) : undefined);
      const test = significance === 'one-sided' || significance === 'two-sided' ? significance : undefined;
      return mountResults(body, rows as ResultRow[], ctx, strings(metrics), { labels: strings(labels), groups: strings(groups), significance: test });
    }
    // Wide tables (the numeric-bias table has 14 columns) scroll sideways inside their box instead of running past the panel edge.
    case 'table': body.append(h('div', { class: 'scroll-x' }, table(fromWire<Extract<ReportSection, { kind: 'table' }>['data']>(d as never)))); return undefined;
    case 'scoreHistograms': return histograms(body, d, ctx);
    case 'text': body.append(...textSection(d)); return undefined;
    default: throw new Error(`unknown section kind ${String(kind)}`);
  }
}

/** A paragraph, then (the first run's sections) the command and the editor action that run the job at full size. */
function textSection(d: unknown): HTMLElement[] {
  const x = (d ?? {}) as { text?: unknown; command?: unknown; editor?: unknown };
  const out = [h('p', {}, String(x.text ?? ''))];
  if (typeof x.command === 'string') out.push(h('p', { class: 'muted' }, 'Full size on your model: ', h('code', { 'data-testid': 'full-size-command' }, x.command)));
  if (typeof x.editor === 'string') out.push(h('p', { class: 'muted' }, 'In the editor: ', h('em', {}, x.editor)));
  return out;
}

export function table(d: { columns: string[]; rows: (string | number | null)[][] }): HTMLElement {
  const t = h('table', { class: 'data', 'data-testid': 'report-table' }, h('tr', {}, ...d.columns.map((c) => h('th', {}, c))));
  for (const r of d.rows) t.append(h('tr', {}, ...r.map((v) => h('td', { class: typeof v === 'number' ? 'num' : '' }, v === null ? '' : String(v)))));
  return t;
}

function isHistogramSeries(x: unknown): boolean {
  const s = x as Partial<ScoreHistogramSeries> | null;
  const nums = (a: unknown): boolean => Array.isArray(a) && a.every((v) => typeof v === 'number');
  // The gold series has no mean probabilities (human scores are not distributions).
  return !!s && typeof s.model === 'string' && nums(s.scores) && nums(s.argmaxShare) && nums(s.meanProbability) && s.argmaxShare!.length === s.scores!.length && (s.meanProbability!.length === s.scores!.length || (s.gold === true && s.meanProbability!.length === 0));
}

function histograms(body: HTMLElement, d: unknown, ctx: ViewContext): MountedView {
  const series = (d as { series?: unknown })?.series;
  if (!Array.isArray(series) || series.some((x) => !isHistogramSeries(x))) throw new Error('malformed score histograms');
  // JSON has no NaN: an undefined kurtosis (constant predictions) arrives as null.
  const ser = (series as ScoreHistogramSeries[]).map((x) => ({ ...x, kurtosis: typeof x.kurtosis === 'number' ? x.kurtosis : NaN }));
  const div = h('div', { class: 'chart', 'data-testid': 'score-histograms', role: 'img', 'aria-label': `Score histogram: ${ser.map((x) => x.model).join(', ')}` });
  body.append(div);
  const n = ser[0]?.scores.length ?? 0;
  const draw = (): void => setSvg(div, scoreHistogramSvg(ctx.theme(), { series: ser, width: histogramWidth(n, ser.length), height: 240 }));
  draw();
  return { redraw: draw, destroy: () => undefined };
}
