/**
 * The lens over a dataset (`lens --dataset`, methods.md §8): each language's answer probability by
 * layer with its bootstrap band and the layer where the target overtakes English, the language
 * mass by layer, and the numbers as a table.
 */
import type { LensDatasetSummary } from '../../src/shared/lens';
import { fmt } from '../render/format';
import { datasetAnswerSeries, datasetMassSeries, lineChartSvg } from '../render/lens';
import type { MountedView, ViewContext } from './context';
import { clear, h, setSvg } from './dom';

export function isLensDatasetSummary(d: unknown): d is LensDatasetSummary {
  const s = d as Partial<LensDatasetSummary> | null;
  const iv = (x: unknown): boolean => {
    const v = x as { mean?: unknown; lo?: unknown; hi?: unknown } | null;
    return !!v && [v.mean, v.lo, v.hi].every((a) => Array.isArray(a) && a.length === s!.layers && a.every((n) => typeof n === 'number'));
  };
  return !!s && typeof s.layers === 'number' && typeof s.items === 'number' && Array.isArray(s.targets) && typeof s.answers === 'object' && s.answers !== null &&
    Object.values(s.answers).every(iv) && typeof s.mass === 'object' && s.mass !== null && Object.values(s.mass).every(iv) && (s.overtakes === null || typeof s.overtakes === 'number');
}

export function mountLensDataset(root: HTMLElement, s: LensDatasetSummary, ctx: ViewContext): MountedView {
  const answers = h('div', { class: 'chart', 'data-testid': 'lens-dataset-answers', role: 'img' });
  const mass = h('div', { class: 'chart', 'data-testid': 'lens-dataset-mass', role: 'img' });
  const target = s.targets.join(', ');
  const verdict = s.overtakes === null ? `${target} is not above English at the last layer` : `${target} overtakes English at layer ${s.overtakes}`;
  const phase = s.englishAbove.length ? `English above ${target} (intervals apart) at layers ${s.englishAbove.join(', ')}` : `no layer where English is above ${target} with intervals apart`;
  root.append(
    h('p', { 'data-testid': 'lens-dataset-summary' }, `${s.model}, ${s.lens} lens, ${s.items} items${s.skipped.length ? ` (${s.skipped.length} left out)` : ''}: ${verdict}; ${phase}. Bands: ${Math.round(s.bootstrap.level * 100)} % bootstrap intervals (${s.bootstrap.resamples} resamples).`),
    h('h3', {}, 'Answer probability at the last position'), answers,
    ...(Object.keys(s.mass).length ? [h('h3', {}, 'Language mass at the last position'), mass] : []),
    h('table', { class: 'data', 'data-testid': 'lens-dataset-table' },
      h('tr', {}, ...['layer', ...Object.keys(s.answers).map((l) => `p(${l})`), ...Object.keys(s.mass).map((l) => `mass ${l}`)].map((c) => h('th', {}, c))),
      ...Array.from({ length: s.layers }, (_, l) => h('tr', {}, h('td', { class: 'num' }, String(l)), ...[...Object.values(s.answers), ...Object.values(s.mass)].map((iv) => h('td', { class: 'num' }, fmt(iv.mean[l]!)))))),
  );
  const draw = (): void => {
    const theme = ctx.theme();
    const width = Math.max(480, Math.min(1000, 40 * s.layers + 260));
    const a = datasetAnswerSeries(s, theme);
    setSvg(answers, lineChartSvg(theme, { width, height: 240, n: s.layers, xLabel: 'layer', yLabel: 'p(answer)', series: a, marker: s.overtakes === null ? undefined : { x: s.overtakes, label: `${target} > en` }, testid: 'lens-dataset-answer-chart' }));
    answers.setAttribute('aria-label', `${verdict}. ${a.map((x) => `${x.name}: ${x.values.map(fmt).join(' ')}`).join('; ')}`);
    const m = datasetMassSeries(s, theme);
    if (m.length) {
      setSvg(mass, lineChartSvg(theme, { width, height: 240, n: s.layers, xLabel: 'layer', yLabel: 'mass', series: m, testid: 'lens-dataset-mass-chart' }));
      mass.setAttribute('aria-label', m.map((x) => `${x.name}: ${x.values.map(fmt).join(' ')}`).join('; '));
    }
  };
  draw();
  return { redraw: draw, destroy: () => clear(root) };
}
