/**
 * The one results table, as the pruning paper prints it (Kim et al. 2024, Tables 1–3): a row per
 * model — named as the paper names them (θ, θ_Rand, θ_{Fr-En}, θ^{Prog}_{Zh-En}, LRP2; labels.ts)
 * and grouped by base model — a column per task × language showing the task's table metric, and
 * an Avg. column per task of two or more languages. The best value of each column within a model
 * group is bold; † marks a value significantly better than the group's first model (dense θ),
 * ‡ one significantly worse: by default the one-sided paired bootstrap (`p_better`, `p_worse`
 * rows), or the two-sided one (`p_value`) with the direction of the difference. Built from the
 * long rows alone, so results.md, results.tex, the HTML report and the Results panel draw the same
 * table.
 */
import { fixed } from '../fixed';
import { METRICS, PRIMARY_METRIC, type ResultRow } from './rows';

export const SIGNIFICANCE_LEVEL = 0.05;

export type SignificanceTest = 'one-sided' | 'two-sided';
export const SIGNIFICANCE_TESTS: readonly SignificanceTest[] = ['one-sided', 'two-sided'];
/** The language of the average rows (engine/eval/evaluate.ts writes them). */
export const AVERAGE = 'avg';
/** Source code as a corpus language: a column of its own, never part of Avg. (the mean over natural languages). */
export const CODE = 'code';

export interface ResultsColumn {
  task: string;
  language: string;
  metric: string;
  /** The Avg. column of its task. */
  average?: boolean;
}

export type Mark = 'better' | 'worse' | null;

export interface ResultsCell {
  value: number | null;
  /** Best of its column within its model group. */
  best: boolean;
  /** † (significantly better than the group's first model) or ‡ (significantly worse). */
  mark: Mark;
  /** mark === 'better' (never set on a group's first model). */
  significant: boolean;
  /** The p-value behind the mark: one-sided (better or worse, whichever direction the value moved) or two-sided. */
  p: number | null;
  pTwoSided: number | null;
  pBetter: number | null;
  pWorse: number | null;
}

export interface TableOptions {
  /** Row label by model (label markup, labels.ts); default the model's name. */
  labels?: Readonly<Record<string, string>>;
  /** Group by model (the base checkpoint); models of one group are contiguous in the output. */
  groups?: Readonly<Record<string, string>>;
  /** Default one-sided, as the paper's †. */
  significance?: SignificanceTest;
}

export interface ResultsTable {
  columns: ResultsColumn[];
  models: string[];
  /** Row labels, parallel to models. */
  labels: string[];
  /** Group of each row ('' when the table has no groups). */
  groups: string[];
  /** cells[model][column]; null where the model has no value for the column. */
  cells: (ResultsCell | null)[][];
  /** The test the marks come from (two-sided when the rows hold no one-sided p-values). */
  significance: SignificanceTest;
  caption: string;
}

const P_METRICS = new Set(['p_value', 'p_better', 'p_worse']);

/** Models in first-appearance order, each group's models together (groups in first-appearance order). */
function orderedModels(rows: readonly ResultRow[], groups: Readonly<Record<string, string>> | undefined): string[] {
  const models = [...new Set(rows.map((r) => r.model))];
  if (!groups) return models;
  const order = [...new Set(models.map((m) => groups[m] ?? ''))];
  return order.flatMap((g) => models.filter((m) => (groups[m] ?? '') === g));
}

/**
 * `metrics`: the metric each task's columns show and its p rows test (tableMetrics in rows.ts).
 * An average column comes from the rows' `avg` language, else it is computed here (mean over the
 * task's languages, defined only when the model has all of them; no marks then).
 */
export function buildResultsTable(rows: readonly ResultRow[], metrics: Readonly<Record<string, string>> = PRIMARY_METRIC, o: TableOptions = {}): ResultsTable {
  const models = orderedModels(rows, o.groups);
  const columns: ResultsColumn[] = [];
  const colKey = (task: string, language: string): string => `${task}\u0000${language}`;
  const colIndex = new Map<string, number>();
  const tasks: string[] = [];
  for (const r of rows) {
    if (r.metric !== metrics[r.task] || r.language === AVERAGE) continue;
    if (!tasks.includes(r.task)) tasks.push(r.task);
    if (!colIndex.has(colKey(r.task, r.language))) {
      colIndex.set(colKey(r.task, r.language), columns.length);
      columns.push({ task: r.task, language: r.language, metric: r.metric });
    }
  }
  // Columns grouped by task (first-appearance order), each task's Avg. last when it has ≥ 2 languages.
  const ordered: ResultsColumn[] = [];
  for (const task of tasks) {
    const mine = columns.filter((c) => c.task === task);
    ordered.push(...mine);
    if (mine.filter((c) => c.language !== CODE).length >= 2) ordered.push({ task, language: AVERAGE, metric: mine[0]!.metric, average: true });
  }
  colIndex.clear();
  ordered.forEach((c, i) => colIndex.set(colKey(c.task, c.language), i));
  const empty = (): ResultsCell => ({ value: null, best: false, mark: null, significant: false, p: null, pTwoSided: null, pBetter: null, pWorse: null });
  const cells: (ResultsCell | null)[][] = models.map(() => ordered.map(() => null));
  const haveOneSided = rows.some((r) => r.metric === 'p_better');
  const significance: SignificanceTest = (o.significance ?? 'one-sided') === 'one-sided' && (haveOneSided || !rows.some((r) => r.metric === 'p_value')) ? 'one-sided' : 'two-sided';
  for (const r of rows) {
    const c = colIndex.get(colKey(r.task, r.language));
    const m = models.indexOf(r.model);
    if (c === undefined || m < 0) continue;
    if (P_METRICS.has(r.metric)) {
      const cell = (cells[m]![c] ??= empty());
      if (r.metric === 'p_value') cell.pTwoSided = r.value;
      else if (r.metric === 'p_better') cell.pBetter = r.value;
      else cell.pWorse = r.value;
    } else if (r.metric === ordered[c]!.metric) {
      (cells[m]![c] ??= empty()).value = r.value;
    }
  }
  const groups = models.map((m) => o.groups?.[m] ?? '');
  const firstOfGroup = models.map((_, i) => groups.indexOf(groups[i]!));
  ordered.forEach((col, c) => {
    if (!col.average) return;
    // Averages absent from the rows (an older results.csv): the mean of the task's language columns.
    const langs = ordered.map((x, j) => (x.task === col.task && !x.average && x.language !== CODE ? j : -1)).filter((j) => j >= 0);
    cells.forEach((row) => {
      if (row[c]?.value !== undefined && row[c]?.value !== null) return;
      const vs = langs.map((j) => row[j]?.value);
      if (vs.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) (row[c] ??= empty()).value = vs.reduce((s, v) => s + v, 0) / vs.length;
    });
  });
  const level = SIGNIFICANCE_LEVEL;
  ordered.forEach((col, c) => {
    const higher = METRICS[col.metric]?.higherIsBetter ?? true;
    cells.forEach((row, i) => {
      const cell = row[c];
      if (!cell || firstOfGroup[i] === i) return;
      const base = cells[firstOfGroup[i]!]![c]?.value;
      if (significance === 'one-sided') {
        if (cell.pBetter !== null && cell.pBetter < level) cell.mark = 'better';
        else if (cell.pWorse !== null && cell.pWorse < level) cell.mark = 'worse';
        const worse = cell.value !== null && typeof base === 'number' && (higher ? cell.value < base : cell.value > base);
        cell.p = worse ? cell.pWorse : cell.pBetter;
      } else {
        cell.p = cell.pTwoSided;
        if (cell.pTwoSided !== null && cell.pTwoSided < level && cell.value !== null && typeof base === 'number' && cell.value !== base) {
          cell.mark = (higher ? cell.value > base : cell.value < base) ? 'better' : 'worse';
        }
      }
      cell.significant = cell.mark === 'better';
    });
    // Bold: the best value of the column within each group.
    for (const g of new Set(groups)) {
      const mine = cells.filter((_, i) => groups[i] === g);
      const values = mine.map((row) => row[c]?.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length === 0) continue;
      const best = higher ? Math.max(...values) : Math.min(...values);
      for (const row of mine) if (row[c] && row[c]!.value === best) row[c]!.best = true;
    }
  });
  // A model without a label shows its name, with _ and ^ escaped (not label markup).
  const labels = models.map((m) => o.labels?.[m] ?? m.replace(/[_^]/g, '\\$&'));
  const baseLabel = labels[0] ?? 'the first model';
  return { columns: ordered, models, labels, groups: o.groups ? groups : models.map(() => ''), cells, significance, caption: tableCaption(significance, baseLabel, new Set(groups).size > 1, ordered.some((c) => c.average)) };
}

/** What the marks and bold mean, for every form of the table. */
export function tableCaption(significance: SignificanceTest, baseLabel: string, grouped: boolean, averaged = false): string {
  const against = grouped ? `the first row of its model group (${baseLabel} in the first)` : baseLabel;
  const test = significance === 'one-sided' ? 'one-sided paired bootstrap' : 'two-sided paired bootstrap, with the direction of the difference';
  return `Best of each column${grouped ? ' within a model group' : ''} in bold. † significantly better than ${against}, ‡ significantly worse (${test}, p < ${SIGNIFICANCE_LEVEL}).${averaged ? " Avg.: mean over the task's languages (code excluded)." : ''}`;
}

export function formatValue(metric: string, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  return fixed(v, METRICS[metric]?.decimals ?? 3);
}

/** The mark's character: † better, ‡ worse. */
export function markText(mark: Mark): string {
  return mark === 'better' ? '†' : mark === 'worse' ? '‡' : '';
}

const METRIC_NAMES: Readonly<Record<string, string>> = { perplexity: 'ppl', chrf: 'chrF', bleu: 'BLEU', accuracy: 'acc.', macro_f1: 'macro-F1', bits_per_char: 'bits/char', off_target_rate: 'off-target' };

export function metricName(metric: string): string {
  return METRIC_NAMES[metric] ?? metric;
}

/** The column's language as a header: the code, or Avg. */
export function languageLabel(c: ResultsColumn): string {
  return c.average ? 'Avg.' : c.language;
}

/** The task's header over its columns, e.g. "translate (chrF)". */
export function taskLabel(c: Pick<ResultsColumn, 'task' | 'metric'>): string {
  return `${c.task} (${metricName(c.metric)})`;
}

/** One-line column label (charts, sorting headers): "translate fr-en (chrF)". */
export function columnLabel(c: ResultsColumn): string {
  return `${c.task} ${languageLabel(c)} (${c.metric === 'perplexity' ? 'ppl' : c.metric})`;
}

/** Consecutive columns of one task: the spans of the task header row. */
export function taskSpans(t: Pick<ResultsTable, 'columns'>): { task: string; metric: string; start: number; count: number }[] {
  const out: { task: string; metric: string; start: number; count: number }[] = [];
  t.columns.forEach((c, i) => {
    const last = out[out.length - 1];
    if (last && last.task === c.task) last.count++;
    else out.push({ task: c.task, metric: c.metric, start: i, count: 1 });
  });
  return out;
}
