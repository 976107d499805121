/**
 * The instruction-variant results (methods.md §6): a table of rates per variant and language;
 * choosing a row (click, Enter or Space) lists that row's failing outputs below it — the failing
 * examples one click away. Data is validated here; nothing from it is inserted as HTML.
 */
import { failuresOf, type InstructionOutput, type VariantSummary } from '../../src/shared/studies';
import type { MountedView, ViewContext } from './context';
import { h } from './dom';

interface Data {
  model: string;
  task: string;
  summaries: VariantSummary[];
  outputs: InstructionOutput[];
}

const isRate = (v: unknown): boolean => v === null || (typeof v === 'number' && v >= 0 && v <= 1);

function validate(d: unknown): Data {
  const x = d as Partial<Data> | null;
  const okSummary = (s: VariantSummary): boolean => typeof s?.variant === 'string' && typeof s.language === 'string' && Number.isInteger(s.n) && isRate(s.accuracy) && isRate(s.failureRate) && isRate(s.offTargetRate) && isRate(s.undeterminedRate);
  const okOutput = (o: InstructionOutput): boolean => typeof o?.variant === 'string' && Number.isInteger(o.index) && typeof o.output === 'string' && typeof o.prompt === 'string' && typeof o.outcome === 'string';
  if (!x || typeof x.task !== 'string' || !Array.isArray(x.summaries) || !x.summaries.every(okSummary) || !Array.isArray(x.outputs) || !x.outputs.every(okOutput)) throw new Error('malformed instruction results');
  return x as Data;
}

const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

export function mountInstructionResults(root: HTMLElement, raw: unknown, ctx: ViewContext): MountedView {
  const d = validate(raw);
  const failures = h('div', { 'data-testid': 'instruction-failures' });
  const summary = h('table', { class: 'data', 'data-testid': 'instruction-summary' },
    h('tr', {}, ...['variant', 'language', 'items', 'accuracy', 'failure rate', 'off-target rate', 'undetermined'].map((c) => h('th', {}, c))));
  const rows: HTMLElement[] = [];
  const choose = (i: number): void => {
    const s = d.summaries[i]!;
    rows.forEach((r, k) => r.setAttribute('aria-selected', String(k === i)));
    const list = failuresOf(d.outputs, s.variant, s.language);
    ctx.announce(`${s.variant}, ${s.language}: ${list.length} failing outputs`);
    failures.replaceChildren(
      h('h3', {}, `Failing outputs of ${s.variant} (${s.language}): ${list.length}`),
      list.length === 0
        ? h('p', { class: 'empty' }, 'None: every output gave an allowed label in the expected language.')
        : h('table', { class: 'data', 'data-testid': 'instruction-failure-rows' },
            h('tr', {}, ...['item', 'language', 'why', 'output', 'detected', 'prompt'].map((c) => h('th', {}, c))),
            ...list.map((o) => h('tr', { 'data-item': String(o.index) },
              h('td', { class: 'num' }, String(o.index + 1)),
              h('td', {}, o.lang ?? ''),
              h('td', {}, o.failure ?? 'off-target'),
              h('td', {}, o.output),
              h('td', {}, o.detected),
              h('td', { title: o.prompt }, o.prompt.length > 80 ? `${o.prompt.slice(0, 80)}…` : o.prompt)))),
    );
    ctx.saveUi({ ...ctx.ui, instructionRow: i });
  };
  d.summaries.forEach((s, i) => {
    const row = h('tr', { tabindex: '0', role: 'button', 'aria-selected': 'false', 'data-variant': s.variant, 'data-language': s.language, 'aria-label': `${s.variant} ${s.language}: show failing outputs` },
      h('td', {}, s.variant), h('td', {}, s.language), h('td', { class: 'num' }, String(s.n)),
      h('td', { class: 'num' }, pct(s.accuracy)), h('td', { class: 'num' }, pct(s.failureRate)),
      h('td', { class: 'num' }, pct(s.offTargetRate)), h('td', { class: 'num' }, pct(s.undeterminedRate)));
    row.addEventListener('click', () => choose(i));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(i); }
    });
    rows.push(row);
    summary.append(row);
  });
  root.append(h('p', { class: 'hint' }, 'Choose a row to list its failing outputs (instruction-following failures and off-target answers).'), summary, failures);
  const saved = ctx.ui.instructionRow;
  const first = typeof saved === 'number' && saved >= 0 && saved < d.summaries.length ? saved : d.summaries.findIndex((s) => s.language === 'all');
  if (first >= 0) choose(first);
  return { redraw: () => undefined, destroy: () => undefined };
}
