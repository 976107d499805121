/** The Compare panel: dense vs pruned/intervened outputs side by side, and per-layer change. */
import type { CompareResult, CompareSide } from '../../src/shared/compare';
import { emptyOutputNote, languageVerdict } from '../../src/shared/generation';
import { barListSvg } from '../render/charts';
import { deltaRows } from '../render/results';
import type { TaskDeltas } from '../../src/shared/results/deltas';
import { prob, showToken, fmt } from '../render/format';
import type { MountedView, ViewContext } from './context';
import { h, setSvg } from './dom';
import { reportPaint } from './paint';

/** Next-token candidates shown per side: the head of the distribution, where the two runs differ visibly. */
const TOP_NEXT = 10;

export function mountCompare(root: HTMLElement, c: CompareResult, ctx: ViewContext): MountedView {
  const sides = [c.a, c.b].map((s, i) => column(s, i === 0 ? 'a' : 'b'));
  const change = h('div', { 'data-testid': 'compare-layer-change' });
  const sameLang = c.a.language.code === c.b.language.code;
  const verdict = languageVerdict(c.a, c.b);
  root.append(
    h('div', { class: 'muted' }, 'Prompt'), h('div', { class: 'output', 'data-testid': 'compare-prompt' }, c.prompt),
    h('p', { 'data-testid': 'compare-language-verdict', 'data-same': String(sameLang) }, verdict),
    h('div', { class: 'compare' }, ...sides.map((s) => s.el)),
    h('h3', {}, `Per-layer activation change ‖${c.b.label} − ${c.a.label}‖ / ‖${c.a.label}‖`), change,
  );
  if (c.tasks) root.append(...taskDeltas(c.tasks));
  function draw(): void {
    const t = ctx.theme();
    sides.forEach((s) => s.draw());
    setSvg(change, barListSvg(t, {
      items: Array.from(c.layerChange, (v, l) => ({ label: `L${l}`, value: v, text: fmt(v), attrs: { 'data-layer': l, 'data-value': v } })),
      width: Math.max(320, Math.min(720, root.clientWidth || 640)), color: t.negative, testid: 'compare-change-svg',
    }));
  }
  function column(s: CompareSide, id: 'a' | 'b'): { el: HTMLElement; draw(): void } {
    const probs = h('div', { 'data-testid': `compare-${id}-next` });
    const el = h('div', { 'data-testid': `compare-${id}` },
      h('h3', {}, s.label),
      h('div', { 'data-testid': `compare-${id}-language`, 'data-code': s.language.code, 'data-confidence': s.language.confidence },
        h('span', { class: 'muted' }, 'language: '), `${s.language.name} (${s.language.code}, ${prob(s.language.confidence)})`),
      h('div', { class: 'output', 'data-testid': `compare-${id}-text` }, ...outputChildren(s)),
      h('div', { class: 'muted' }, 'next-token probabilities'), probs);
    return {
      el,
      draw: () => setSvg(probs, barListSvg(ctx.theme(), {
        items: s.topNext.slice(0, TOP_NEXT).map((t) => ({ label: showToken(t.token), value: t.p, text: prob(t.p), attrs: { 'data-token-id': t.id, 'data-p': t.p } })),
        max: 1, width: 320, color: ctx.theme().accent,
      })),
    };
  }
  draw();
  reportPaint(ctx.bridge, 'compare', ctx.t0, root);
  return { redraw: draw, destroy: () => root.replaceChildren() };
}

/** A side's output: its text, or (when it has none to read) what happened, marked as a note. */
function outputChildren(s: CompareSide): (string | HTMLElement)[] {
  const note = s.ids ? emptyOutputNote({ ids: s.ids, text: s.text, stoppedBy: s.stoppedBy }) : undefined;
  return note ? [h('span', { class: 'empty', 'data-testid': 'output-note' }, note)] : [s.text];
}

/** Per task and language, the evaluation's metrics of side b against dense (its first model), † where p < 0.05. */
function taskDeltas(d: TaskDeltas): HTMLElement[] {
  const t = h('table', { class: 'data', 'data-testid': 'compare-task-deltas' },
    h('tr', {}, ...['task', 'language', 'metric', d.base, d.model, 'Δ'].map((x) => h('th', {}, x))));
  for (const r of deltaRows(d)) {
    t.append(h('tr', { 'data-task': r.task, 'data-language': r.language, 'data-metric': r.metric, 'data-significant': r.significant },
      h('td', {}, r.task), h('td', {}, r.language), h('td', {}, r.metric), h('td', { class: 'num' }, r.dense), h('td', { class: 'num' }, r.variant),
      h('td', { class: 'num', 'data-better': r.better === null ? undefined : String(r.better) }, r.delta)));
  }
  return [
    h('h3', {}, `Per-task deltas vs ${d.base}`),
    t,
    h('p', { class: 'muted' }, `From ${d.source}. Δ = ${d.model} − ${d.base}; † p < 0.05 (paired bootstrap, the table metric of each task).`),
  ];
}
