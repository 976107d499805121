/**
 * The CLI report's renderer (dist/webview/report.js, inlined into the HTML by
 * src/shared/report/html.ts): reads the embedded JSON and mounts every section with the same
 * views as the panels. No VS Code API here; exports become downloads.
 */
import '../views/elements';
import { isWireActivationAnalysis, isWireCompare, isWireFeatures, isWireLape } from '../../src/shared/protocol';
import { REPORT_DATA_ID } from '../../src/shared/report/html';
import type { ReportSection } from '../../src/shared/report/sections';
import { fromWire } from '../../src/shared/wire';
import { decodeActivations, decodeCompare, decodeFeatures, decodeLape } from '../render/data';
import { mountActivations } from '../views/activationsView';
import { createBridge } from '../views/bridge';
import { mountCompare } from '../views/compareView';
import type { MountedView, ViewContext } from '../views/context';
import { h, setSvg } from '../views/dom';
import { mountFeatures } from '../views/featuresView';
import { HoverCardView } from '../views/hoverCard';
import { mountLanguageNeurons } from '../views/lapeView';
import { installStyles } from '../views/styles';
import { readTheme } from '../views/theme';
import { scoreHistogramSvg, type ScoreHistogramSeries } from '../render/scoreHistogram';

installStyles();
const bridge = createBridge();
const theme = readTheme();
const hover = new HoverCardView(() => theme);
const app = document.getElementById('app') ?? document.body;
const t0 = performance.now();
const views: MountedView[] = [];

try {
  const raw = JSON.parse(document.getElementById(REPORT_DATA_ID)?.textContent ?? '{}') as { sections?: unknown[] };
  for (const [i, s] of (raw.sections ?? []).entries()) mountSection(s, i);
  // All sections together, for the benchmark: data parse → first frame.
  requestAnimationFrame(() => setTimeout(() => document.body.setAttribute('data-paint-ms', (performance.now() - t0).toFixed(1)), 0));
} catch (e) {
  app.append(h('div', { class: 'error', 'data-testid': 'report-error' }, `Cannot read the report data: ${e instanceof Error ? e.message : String(e)}`));
}

function mountSection(s: unknown, i: number): void {
  const sec = s as { kind?: string; title?: string; data?: unknown };
  const body = h('div', { 'data-testid': `section-${i}-body` });
  app.append(h('section', { class: 'report-section', 'data-kind': String(sec.kind), 'data-testid': `section-${i}` }, h('h2', {}, String(sec.title ?? sec.kind)), body));
  const ctx: ViewContext = { bridge, theme: () => theme, hover, t0: performance.now(), ui: {}, saveUi: () => {} };
  try {
    const d = sec.data;
    switch (sec.kind) {
      case 'activations': if (!isWireActivationAnalysis(d)) throw new Error('malformed activations'); views.push(mountActivations(body, decodeActivations(d), ctx)); break;
      case 'languageNeurons': if (!isWireLape(d)) throw new Error('malformed LAPE result'); views.push(mountLanguageNeurons(body, decodeLape(d), ctx)); break;
      case 'features': if (!isWireFeatures(d)) throw new Error('malformed feature analysis'); views.push(mountFeatures(body, decodeFeatures(d), ctx)); break;
      case 'compare': if (!isWireCompare(d)) throw new Error('malformed comparison'); views.push(mountCompare(body, decodeCompare(d), ctx)); break;
      case 'table': body.append(table(fromWire<Extract<ReportSection, { kind: 'table' }>['data']>(d as never))); break;
      case 'scoreHistograms': body.append(histograms(d)); break;
      case 'text': body.append(h('p', {}, String((d as { text?: unknown })?.text ?? ''))); break;
      default: throw new Error(`unknown section kind ${String(sec.kind)}`);
    }
  } catch (e) {
    body.append(h('div', { class: 'error' }, e instanceof Error ? e.message : String(e)));
  }
}

function histograms(d: unknown): HTMLElement {
  const series = (d as { series?: unknown })?.series;
  if (!Array.isArray(series) || series.some((x) => !isHistogramSeries(x))) throw new Error('malformed score histograms');
  // JSON has no NaN: an undefined kurtosis (constant predictions) arrives as null.
  const ser = (series as ScoreHistogramSeries[]).map((x) => ({ ...x, kurtosis: typeof x.kurtosis === 'number' ? x.kurtosis : NaN }));
  const div = h('div', { class: 'chart', 'data-testid': 'score-histograms' });
  const n = ser[0]?.scores.length ?? 0;
  setSvg(div, scoreHistogramSvg(theme, { series: ser, width: Math.max(480, Math.min(1400, 60 + n * 10 * ser.length)), height: 240 }));
  return div;
}

function isHistogramSeries(x: unknown): boolean {
  const s = x as Partial<ScoreHistogramSeries> | null;
  const nums = (a: unknown): boolean => Array.isArray(a) && a.every((v) => typeof v === 'number');
  return !!s && typeof s.model === 'string' && nums(s.scores) && nums(s.argmaxShare) && nums(s.meanProbability) && s.argmaxShare!.length === s.scores!.length && s.meanProbability!.length === s.scores!.length;
}

function table(d: { columns: string[]; rows: (string | number | null)[][] }): HTMLElement {
  const t = h('table', { class: 'data', 'data-testid': 'report-table' }, h('tr', {}, ...d.columns.map((c) => h('th', {}, c))));
  for (const r of d.rows) t.append(h('tr', {}, ...r.map((v) => h('td', { class: typeof v === 'number' ? 'num' : '' }, v === null ? '' : String(v)))));
  return t;
}
