/**
 * Per-task deltas of one model against the first model of an evaluation (dense, the model the
 * p-values are against), for the Compare panel: per task, language and metric the two values,
 * variant − dense, and the paired-bootstrap p-value where the run tested that metric. Pure.
 */
import { METRICS, PRIMARY_METRIC, TASK_METRICS, type ResultRow } from './rows';
import { SIGNIFICANCE_LEVEL } from './table';

export interface TaskDelta {
  task: string;
  language: string;
  metric: string;
  dense: number | null;
  variant: number | null;
  /** variant − dense; null when either is undefined. */
  delta: number | null;
  /** Whether the change is an improvement (by the metric's direction); null when there is no change to judge. */
  better: boolean | null;
  /** Paired bootstrap p-value (the table metric only). */
  p: number | null;
  significant: boolean;
}

export interface TaskDeltas {
  /** The first model of the evaluation (what "dense" means here). */
  base: string;
  model: string;
  /** Where the results came from (a results.csv path), for the panel's caption. */
  source: string;
  deltas: TaskDelta[];
}

/** Models of an evaluation, first model first. */
export function modelsOf(rows: readonly ResultRow[]): string[] {
  return [...new Set(rows.map((r) => r.model))];
}

/**
 * Deltas of `model` against the first model; undefined when `model` is not in the rows or is the
 * first model. `metrics`: the table metric by task (whose p_value rows the run wrote).
 */
export function taskDeltas(rows: readonly ResultRow[], model: string, source: string, metrics: Readonly<Record<string, string>> = PRIMARY_METRIC): TaskDeltas | undefined {
  const [base] = modelsOf(rows);
  if (base === undefined || base === model || !rows.some((r) => r.model === model)) return undefined;
  const value = (m: string, task: string, language: string, metric: string): number | null => rows.find((r) => r.model === m && r.task === task && r.language === language && r.metric === metric)?.value ?? null;
  const keys: { task: string; language: string }[] = [];
  for (const r of rows) if (r.model === model && !keys.some((k) => k.task === r.task && k.language === r.language)) keys.push({ task: r.task, language: r.language });
  const deltas: TaskDelta[] = [];
  for (const { task, language } of keys) {
    const order = [metrics[task], ...(TASK_METRICS[task] ?? [])].filter((m, i, a): m is string => m !== undefined && a.indexOf(m) === i);
    for (const metric of order) {
      const dense = value(base, task, language, metric);
      const variant = value(model, task, language, metric);
      if (dense === null && variant === null) continue;
      const delta = dense !== null && variant !== null ? variant - dense : null;
      const p = metric === metrics[task] ? value(model, task, language, 'p_value') : null;
      const higher = METRICS[metric]?.higherIsBetter ?? true;
      deltas.push({ task, language, metric, dense, variant, delta, better: delta === null || delta === 0 ? null : (delta > 0) === higher, p, significant: p !== null && p < SIGNIFICANCE_LEVEL });
    }
  }
  return { base, model, source, deltas };
}
