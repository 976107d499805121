/**
 * The evaluation results contract (issue #11, docs/cli.md "results.csv"): long format, one number
 * per row, header `model,task,language,metric,value`. Metric names: perplexity, bits_per_char,
 * chrf, bleu, off_target_rate, accuracy, macro_f1, and p_value (paired bootstrap p-value of the
 * task's primary metric against the first model). `language` is the evaluated language, or
 * `src-tgt` for translation. Pure (no Node, no engine): the CLI, the panels and later tools
 * (issue #14) share it.
 */

export interface ResultRow {
  model: string;
  task: string;
  language: string;
  metric: string;
  /** null: undefined for this data (e.g. an off-target rate with no output long enough to judge). */
  value: number | null;
}

export const RESULTS_CSV_HEADER = 'model,task,language,metric,value';

export interface MetricInfo {
  higherIsBetter: boolean;
  /** Decimals in tables. */
  decimals: number;
}

export const METRICS: Readonly<Record<string, MetricInfo>> = {
  perplexity: { higherIsBetter: false, decimals: 2 },
  bits_per_char: { higherIsBetter: false, decimals: 3 },
  chrf: { higherIsBetter: true, decimals: 2 },
  bleu: { higherIsBetter: true, decimals: 2 },
  off_target_rate: { higherIsBetter: false, decimals: 3 },
  accuracy: { higherIsBetter: true, decimals: 3 },
  macro_f1: { higherIsBetter: true, decimals: 3 },
};

/** The metric a task's table column shows and its p_value rows test (unless the run names another of the task's metrics). */
export const PRIMARY_METRIC: Readonly<Record<string, string>> = { perplexity: 'perplexity', translate: 'chrf', classify: 'accuracy' };

/** Every metric each task reports, primary first. */
export const TASK_METRICS: Readonly<Record<string, readonly string[]>> = {
  perplexity: ['perplexity', 'bits_per_char'],
  translate: ['chrf', 'bleu', 'off_target_rate'],
  classify: ['accuracy', 'macro_f1'],
};

/** The task a metric belongs to. */
export function taskOfMetric(metric: string): string | undefined {
  return Object.keys(TASK_METRICS).find((t) => TASK_METRICS[t]!.includes(metric));
}

/** Why `metric` cannot be a table metric of a run of `tasks` (after `chosen`), or undefined when it can. */
export function metricProblem(metric: string, tasks: readonly string[], chosen: readonly string[] = []): string | undefined {
  const task = taskOfMetric(metric);
  if (!task) return `unknown metric "${metric}" (${Object.values(TASK_METRICS).flat().join(', ')})`;
  if (!tasks.includes(task)) return `${metric} is a ${task} metric, and task ${task} is not declared`;
  if (chosen.some((x) => taskOfMetric(x) === task)) return `two metrics for task ${task}`;
  return undefined;
}

/** Table metric by task: the primary one, or the one `chosen` names for its task. */
export function tableMetrics(chosen?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = { ...PRIMARY_METRIC };
  for (const m of chosen ?? []) {
    const t = taskOfMetric(m);
    if (t) out[t] = m;
  }
  return out;
}

/** A CSV field, quoted as RFC 4180 says when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Numbers at full precision (shortest round-trip form); null and NaN as an empty field. */
export function toResultsCsv(rows: readonly ResultRow[]): string {
  const lines = rows.map((r) => [r.model, r.task, r.language, r.metric].map(csvField).join(',') + ',' + (r.value === null || Number.isNaN(r.value) ? '' : String(r.value)));
  return `${RESULTS_CSV_HEADER}\n${lines.map((l) => `${l}\n`).join('')}`;
}

/** RFC 4180 fields of one CSV text (quoted fields may hold commas, quotes and newlines). */
function csvRecords(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      rec.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(field);
      out.push(rec);
      rec = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || rec.length) {
    rec.push(field);
    out.push(rec);
  }
  return out;
}

export function parseResultsCsv(text: string, name = 'results.csv'): ResultRow[] {
  const [header, ...records] = csvRecords(text);
  if (header?.join(',') !== RESULTS_CSV_HEADER) throw new Error(`${name}: header must be ${RESULTS_CSV_HEADER}`);
  return records.map((r, i) => {
    if (r.length !== 5) throw new Error(`${name}:${i + 2}: expected 5 fields, got ${r.length}`);
    const value = r[4] === '' ? null : Number(r[4]);
    if (value !== null && !Number.isFinite(value)) throw new Error(`${name}:${i + 2}: value ${JSON.stringify(r[4])} is not a number`);
    return { model: r[0]!, task: r[1]!, language: r[2]!, metric: r[3]!, value };
  });
}
