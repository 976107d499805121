/**
 * The report sections of the two studies, built once for the CLI's report.html and the editor's
 * Studies panel (same data, same views).
 */
import type { ReportSection } from '../../shared/report/sections';
import { excessKurtosis } from '../stats/correlation';
import { biasMetrics, rangeLabel, scoreHistogram, undefinedMetrics, type BiasRun } from './bias';
import { biasGroups, biasTable, type BiasRow, type BiasSide, type BiasTableOptions, type DeltaInterval } from './biasTable';
import type { InstructionComparison } from './instructions';
import { exclusiveNeurons, instructionRoleRates, lapeCounts, roleCells } from './instructionTables';
import { INSTRUCTION_ROLES, LABEL_ROLES } from './variantLanguages';
import { neuronKey } from '../../shared/analysis';
import type { ScoreRange } from './scoreRange';
import { fixed } from '../../shared/fixed';

export const round4 = (v: number | null | undefined): number | null => (v === null || v === undefined || Number.isNaN(v) ? null : Math.round(v * 10000) / 10000);

/** A table cell: the number rounded, or the words saying why it is undefined (never NaN, null or empty). */
export function statCell(v: number, why: string | undefined, digits = 2): string {
  return Number.isFinite(v) ? fixed(v, digits) : why ?? 'undefined';
}

function deltaCell(d: DeltaInterval, digits = 2): string {
  if (!Number.isFinite(d.value)) return 'undefined (one side undefined)';
  const ci = d.defined ? ` [${fixed(d.ci[0], digits)}, ${fixed(d.ci[1], digits)}]` : ' [no resample defined]';
  const partial = d.defined < d.resamples ? ` (${d.defined}/${d.resamples} resamples defined)` : '';
  const value = fixed(d.value, digits);
  const sign = Number(value) > 0 ? '+' : '';
  return `${sign}${value}${ci}${partial}`;
}

/** The gold histogram beside the models' when every gold score is a score of the range. */
function goldSeries(run: BiasRun): { model: string; scores: number[]; argmaxShare: number[]; meanProbability: number[]; kurtosis: number; gold: true } | null {
  const gold = run.items.map((i) => i.gold).filter((g): g is number => g !== null);
  const scores = run.items[0]?.scores ?? [];
  if (gold.length === 0 || gold.some((g) => !scores.includes(g))) return null;
  return { model: 'gold', scores, argmaxShare: scores.map((s) => gold.filter((g) => g === s).length / gold.length), meanProbability: [], kurtosis: excessKurtosis(gold), gold: true };
}

/** The paper's table: one row per group (pair or language) × model × range, pre beside post and gold. */
export function biasTableSection(rows: readonly BiasRow[]): ReportSection {
  const paired = rows.some((r) => r.post !== null);
  const grouping = rows.some((r) => r.group.includes('-')) ? 'pair' : 'language';
  const s = (x: BiasSide, k: 'kurtosis' | 'modeShare' | 'tau'): string => statCell(x[k], x.why[{ kurtosis: 'kurtosis', modeShare: 'mode_share', tau: 'kendall_tau_b' }[k]]);
  const g = (r: BiasRow, k: 'kurtosis' | 'modeShare'): string => (r.gold ? statCell(r.gold[k], r.gold.why[k === 'kurtosis' ? 'gold_kurtosis' : 'gold_mode_share']) : 'no gold');
  if (!paired) {
    return {
      kind: 'table',
      title: `Numeric bias by ${grouping}, model and range (argmax answers; gold = the human scores)`,
      data: {
        columns: [grouping, 'model', 'range', 'items', 'kurtosis', 'kurtosis gold', 'modal share', 'modal share gold', 'Kendall τ-b', 'Spearman'],
        rows: rows.map((r) => [r.group, r.pre.model, r.range, r.n, s(r.pre, 'kurtosis'), g(r, 'kurtosis'), s(r.pre, 'modeShare'), g(r, 'modeShare'), s(r.pre, 'tau'), statCell(r.pre.spearman, r.pre.why.spearman)]),
      },
    };
  }
  const d = rows.find((r) => r.delta)?.delta;
  return {
    kind: 'table',
    title: `Numeric bias by ${grouping}, model and range: pre = ${rows[0]!.pre.model} (the first model), post = each other model; gold = the human scores; Δ = post − pre with 95 % paired-bootstrap intervals (${d?.tau.resamples ?? 0} resamples of the items)`,
    data: {
      columns: [grouping, 'post model', 'range', 'items', 'kurtosis pre', 'kurtosis post', 'kurtosis gold', 'modal share pre', 'modal share post', 'τ-b pre', 'τ-b post', 'Δτ-b [95% CI]', 'Δkurtosis [95% CI]', 'Δmodal share [95% CI]'],
      rows: rows.map((r) => [r.group, r.post!.model, r.range, r.n, s(r.pre, 'kurtosis'), s(r.post!, 'kurtosis'), g(r, 'kurtosis'), s(r.pre, 'modeShare'), s(r.post!, 'modeShare'), s(r.pre, 'tau'), s(r.post!, 'tau'), deltaCell(r.delta!.tau), deltaCell(r.delta!.kurtosis), deltaCell(r.delta!.modeShare)]),
    },
  };
}

const METRIC_COLUMNS: [string, string][] = [['kurtosis', 'kurtosis'], ['mode_share', 'modal share'], ['entropy', 'entropy (bits)'], ['kendall_tau_b', 'τ-b'], ['pearson', 'Pearson'], ['spearman', 'Spearman'], ['kendall_tau_b_expected', 'τ-b (expected)'], ['spearman_expected', 'Spearman (expected)']];

export function biasSections(runs: readonly BiasRun[], ranges: readonly ScoreRange[], o: BiasTableOptions = {}): ReportSection[] {
  const sections: ReportSection[] = ranges.map((range) => {
    const mine = runs.filter((r) => r.range === range);
    const gold = mine[0] ? goldSeries(mine[0]) : null;
    return {
      kind: 'scoreHistograms',
      title: `Score distribution, range ${rangeLabel(range)}`,
      data: { series: [...mine.map((r) => ({ model: r.model, ...scoreHistogram(r), kurtosis: biasMetrics(r.items).kurtosis! })), ...(gold ? [gold] : [])] },
    };
  });
  sections.push(biasTableSection(biasTable(runs, o)));
  sections.push({
    kind: 'table',
    title: 'Every metric per model, range and group (argmax answers unless "expected"; entropy of the answers\' histogram)',
    data: {
      columns: ['model', 'range', 'group', 'items', ...METRIC_COLUMNS.map(([, c]) => c)],
      rows: runs.flatMap((r) =>
        biasGroups(r.items).map((group) => {
          const items = group === 'all' ? r.items : r.items.filter((i) => i.lang === group);
          const m = biasMetrics(items);
          const why = undefinedMetrics(items);
          return [r.model, rangeLabel(r.range), group, items.length, ...METRIC_COLUMNS.map(([k]) => (m[k] === undefined ? 'no gold' : statCell(m[k]!, why[k], 3)))];
        }),
      ),
    },
  });
  return sections;
}

const cellRate = (v: number | null): string => (v === null ? 'no items' : v.toFixed(3));

/** Accuracy by instruction × label language, failure and off-target rates per task × instruction language, neuron counts (methods.md §6). */
export function instructionTableSections(results: readonly InstructionComparison[]): ReportSection[] {
  const multi = new Set(results.map((r) => r.task)).size > 1 || new Set(results.map((r) => r.model)).size > 1;
  const sections: ReportSection[] = [];
  const accRows: (string | number)[][] = [];
  const failRows: (string | number)[][] = [];
  const offRows: (string | number)[][] = [];
  for (const r of results) {
    const cells = roleCells(r);
    for (const instruction of INSTRUCTION_ROLES) {
      const row = LABEL_ROLES.map((labels) => {
        const c = cells.get(`${instruction}|${labels}`);
        if (!c) return 'no such variant';
        return `${cellRate(c.accuracy)}${c.test?.mark ?? ''} (n=${c.n}${c.test ? `; p=${c.test.p < 0.001 ? c.test.p.toExponential(1) : c.test.p.toFixed(3)}` : ''})`;
      });
      if (row.every((x) => x === 'no such variant')) continue;
      accRows.push([r.model, r.task, instruction, ...row]);
    }
    const rates = instructionRoleRates(r);
    failRows.push([r.model, r.task, ...INSTRUCTION_ROLES.map((role) => (rates.get(role) ? cellRate(rates.get(role)!.failureRate) : 'no such variant'))]);
    offRows.push([r.model, r.task, ...INSTRUCTION_ROLES.map((role) => {
      const x = rates.get(role);
      return x ? `${cellRate(x.offTargetRate)} (undetermined ${cellRate(x.undeterminedRate)})` : 'no such variant';
    })]);
  }
  sections.push({
    kind: 'table',
    title: 'Accuracy by instruction language × label language (items in a non-English language; target = the item\'s language). † / ‡: significantly better / worse than the English instruction with the same labels on the same items (McNemar exact test, p < 0.05); n = outputs',
    data: { columns: ['model', 'task', 'instruction', 'English labels', 'target-language labels'], rows: accRows },
  });
  sections.push({ kind: 'table', title: 'Instruction-following failure rate per task × instruction language (no allowed label, or a "no answer" phrase)', data: { columns: ['model', 'task', ...INSTRUCTION_ROLES.map((x) => `${x} instruction`)], rows: failRows } });
  sections.push({ kind: 'table', title: 'Off-target rate per task × instruction language (answers judged in another language than expected — short answers by the task\'s label sets and answer words, ≥ 10 characters by franc-min — over judged answers; undetermined = share not judged)', data: { columns: ['model', 'task', ...INSTRUCTION_ROLES.map((x) => `${x} instruction`)], rows: offRows } });

  const withNeurons = results.filter((r) => r.neurons);
  if (withNeurons.length) {
    const countRows: (string | number)[][] = [];
    const listRows: (string | number)[][] = [];
    for (const r of withNeurons) {
      const exclusive = exclusiveNeurons(r.neurons!);
      const lape = lapeCounts(r.neurons!);
      for (const v of r.variants) {
        const l = r.languages[v]!;
        countRows.push([r.model, r.task, v, l.machineTranslated ? `machine-translated${l.instruction ? ` (${l.instruction})` : ''}` : l.instruction ?? 'unknown', l.labels ?? 'unknown', lape[v] ?? 0, exclusive[v]!.length]);
        for (const x of exclusive[v]!.slice(0, EXCLUSIVE_LISTED)) listRows.push([r.model, r.task, v, neuronKey(x.layer, x.neuron), x.p.toFixed(3), x.otherMax.toFixed(3), (x.p - x.otherMax).toFixed(3)]);
      }
    }
    const bar = withNeurons[0]!.neurons!.result.bar;
    sections.push({ kind: 'table', title: `Language-specific neurons per instruction variant: LAPE (§2) over the rendered prompts with the variants in place of languages (a neuron may belong to several variants), and the neurons active under this variant only (activation probability above the bar, ${bar.toFixed(3)}${withNeurons.length > 1 ? ' for the first' : ''}, under exactly this variant)`, data: { columns: ['model', 'task', 'variant', 'instruction language', 'label language', 'LAPE neurons', 'active under only this variant'], rows: countRows } });
    sections.push({ kind: 'table', title: `Neurons active under only one instruction variant (the ${EXCLUSIVE_LISTED} clearest per variant: largest margin between p under it and the highest p under any other variant)`, data: { columns: ['model', 'task', 'variant', 'neuron', 'p under it', 'highest p elsewhere', 'margin'], rows: listRows.length ? listRows : [['—', '—', 'no neuron is active under only one variant', '', '', '', '']] } });
  }
  for (const r of results) {
    const where = multi ? ` — ${r.task} on ${r.model}` : '';
    sections.push({ kind: 'instructionResults', title: `Per variant and item language${where} (choose a row for its failing outputs)`, data: { model: r.model, task: r.task, summaries: r.summaries, outputs: r.outputs } });
  }
  const first = withNeurons[0];
  if (first) sections.push({ kind: 'languageNeurons', title: `LAPE over the rendered prompts, instruction variants in place of languages${multi ? ` (${first.task} on ${first.model})` : ''}: a neuron may belong to several variants; the table above lists those active under one only`, data: first.neurons!.result });
  return sections;
}

/** Exclusive neurons listed per variant in the report table (counts cover them all). */
export const EXCLUSIVE_LISTED = 10;

export function instructionSections(r: InstructionComparison): ReportSection[] {
  return instructionTableSections([r]);
}
