/**
 * `eval`: every model on every prepared task, then paired bootstrap tests of each model against
 * its baseline (same items, same order), intervals, averages over languages, and the long result
 * rows of results.csv.
 */
import type { JobOptions } from '../api';
import type { ResultRow } from '../../shared/results/rows';
import { METRICS, PRIMARY_METRIC } from '../../shared/results/rows';
import { CODE } from '../../shared/results/table';
import { allSummed, bootstrapIndices, percentileInterval, resampledScores, stratifiedIndices, stratifiedMeanDraws, testFromDraws, DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES, type BootstrapOptions, type Interval } from './metrics/bootstrap';
import { chrfFromStats } from './metrics/chrf';
import { bleuFromStats } from './metrics/bleu';
import { accuracyFromStats, macroF1FromStats } from './metrics/classification';
import { bitsPerCharFromStats, perplexityFromStats } from './metrics/perplexity';
import type { PreparedTask } from './tasks';
import type { EvalSubject, StatFamily, TaskResult } from './types';

/** Each metric as a function of summed per-item statistics, so the bootstrap re-scores resamples. */
export const METRIC_STATS: Readonly<Record<string, { family: StatFamily; score: (s: number[]) => number }>> = {
  perplexity: { family: 'nll', score: perplexityFromStats },
  bits_per_char: { family: 'nll', score: bitsPerCharFromStats },
  chrf: { family: 'chrf', score: (s) => chrfFromStats(s) },
  bleu: { family: 'bleu', score: (s) => bleuFromStats(s) },
  off_target_rate: { family: 'offTarget', score: (s) => (s[1]! > 0 ? s[0]! / s[1]! : NaN) },
  accuracy: { family: 'classify', score: accuracyFromStats },
  macro_f1: { family: 'classify', score: macroF1FromStats },
};

export interface ModelResults {
  model: string;
  info?: Record<string, unknown>;
  results: TaskResult[];
}

export interface PValue {
  model: string;
  task: string;
  language: string;
  metric: string;
  /** The model the test is against (the first model of the model's group, else the first model). */
  against: string;
  /** Two-sided p (sacreBLEU's paired_bs). */
  p: number;
  /** One-sided p that the model is better than `against` (Kim et al.'s †). */
  pBetter: number;
  /** One-sided p that it is worse. */
  pWorse: number;
  /** The model's value − `against`'s. */
  delta: number;
  /** 95 % bootstrap interval of the difference. */
  ciDelta: Interval;
}

/** A 95 % bootstrap interval of one metric of one model (language `avg`: the mean over the task's languages). */
export interface MetricInterval {
  model: string;
  task: string;
  language: string;
  metric: string;
  ci: Interval;
}

/** The mean of a task's table metric over its languages (the tables' Avg. column), with the languages averaged. */
export interface AverageResult {
  model: string;
  task: string;
  metric: string;
  value: number;
  languages: string[];
}

export interface Significance {
  pValues: PValue[];
  intervals: MetricInterval[];
  averages: AverageResult[];
}

/** The language the average rows carry in results.csv. */
export const AVERAGE_LANGUAGE = 'avg';

export async function evaluateSubject(subject: EvalSubject, tasks: PreparedTask[], o: JobOptions = {}): Promise<ModelResults> {
  const results: TaskResult[] = [];
  for (const t of tasks) results.push(...(await t.run(subject, o)));
  return { model: subject.name, info: subject.info, results };
}

export interface SignificanceOptions extends BootstrapOptions {
  /** Table metric by task: the one averaged over languages. */
  metrics?: Readonly<Record<string, string>>;
  /** Model → the model it is tested against; unlisted models are tested against the first. */
  baselines?: Readonly<Record<string, string>>;
}

const higherIsBetter = (metric: string): boolean => METRICS[metric]?.higherIsBetter ?? true;

/**
 * Bootstrap intervals of every metric of every model, tests of every model against its baseline
 * (same items, the same index sets), and each task's table metric averaged over its languages
 * with a stratified bootstrap (metrics/bootstrap.ts). Undefined metrics are skipped.
 */
export function bootstrapAll(all: readonly ModelResults[], o: SignificanceOptions = {}): Significance {
  const first = all[0];
  if (!first) return { pValues: [], intervals: [], averages: [] };
  const setsByN = new Map<number, Uint32Array[]>();
  const sets = (n: number): Uint32Array[] => {
    let s = setsByN.get(n);
    if (!s) setsByN.set(n, (s = bootstrapIndices(n, o)));
    return s;
  };
  const draws = new Map<string, { real: number; draws: Float64Array; stats: number[][] }>();
  const key = (m: string, task: string, language: string, metric: string): string => [m, task, language, metric].join('\u0000');
  const intervals: MetricInterval[] = [];
  for (const m of all) {
    for (const r of m.results) {
      for (const metric of Object.keys(r.metrics)) {
        const def = METRIC_STATS[metric];
        const stats = def && r.stats[def.family];
        if (!def || !stats || stats.length === 0 || !Number.isFinite(r.metrics[metric]!)) continue;
        const d = resampledScores(stats, def.score, sets(stats.length));
        draws.set(key(m.model, r.task, r.language, metric), { real: def.score(allSummed(stats)), draws: d, stats });
        intervals.push({ model: m.model, task: r.task, language: r.language, metric, ci: percentileInterval(d) });
      }
    }
  }
  const baseline = (m: string): string => o.baselines?.[m] ?? first.model;
  const pValues: PValue[] = [];
  for (const m of all) {
    const against = baseline(m.model);
    if (against === m.model) continue;
    for (const r of m.results) {
      for (const metric of Object.keys(r.metrics)) {
        const a = draws.get(key(against, r.task, r.language, metric));
        const b = draws.get(key(m.model, r.task, r.language, metric));
        if (!a || !b || a.stats.length !== b.stats.length) continue;
        const t = testFromDraws(a.real, b.real, a.draws, b.draws, higherIsBetter(metric), sameStats(a.stats, b.stats));
        pValues.push({ model: m.model, task: r.task, language: r.language, metric, against, p: t.p, pBetter: t.pBetter, pWorse: t.pWorse, delta: t.delta, ciDelta: t.ciDelta });
      }
    }
  }
  // Avg.: per task, the table metric over the task's languages (in the first model's order), for models that have them all.
  const averages: AverageResult[] = [];
  const avgDraws = new Map<string, { real: number; draws: Float64Array; stats: number[][][] }>();
  for (const task of [...new Set(first.results.map((r) => r.task))]) {
    const metric = o.metrics?.[task] ?? PRIMARY_METRIC[task];
    const def = metric ? METRIC_STATS[metric] : undefined;
    // Natural languages only: code perplexity is a column of its own, not part of the average.
    const languages = first.results.filter((r) => r.task === task && r.language !== CODE).map((r) => r.language);
    if (!metric || !def || languages.length < 2) continue;
    for (const m of all) {
      const strata = languages.map((l) => draws.get(key(m.model, task, l, metric))?.stats);
      if (strata.some((s) => s === undefined)) continue;
      const st = strata as number[][][];
      const s = stratifiedMeanDraws(st, def.score, stratifiedIndices(st.map((x) => x.length), o));
      avgDraws.set(key(m.model, task, AVERAGE_LANGUAGE, metric), { ...s, stats: st });
      averages.push({ model: m.model, task, metric, value: s.real, languages });
      intervals.push({ model: m.model, task, language: AVERAGE_LANGUAGE, metric, ci: percentileInterval(s.draws) });
    }
    for (const m of all) {
      const against = baseline(m.model);
      const a = avgDraws.get(key(against, task, AVERAGE_LANGUAGE, metric));
      const b = avgDraws.get(key(m.model, task, AVERAGE_LANGUAGE, metric));
      if (against === m.model || !a || !b || a.stats.some((s, k) => s.length !== b.stats[k]!.length)) continue;
      const t = testFromDraws(a.real, b.real, a.draws, b.draws, higherIsBetter(metric), a.stats.every((s, k) => sameStats(s, b.stats[k]!)));
      pValues.push({ model: m.model, task, language: AVERAGE_LANGUAGE, metric, against, p: t.p, pBetter: t.pBetter, pWorse: t.pWorse, delta: t.delta, ciDelta: t.ciDelta });
    }
  }
  return { pValues, intervals, averages };
}

function sameStats(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  return a.length === b.length && a.every((row, i) => row.every((v, k) => v === b[i]![k]));
}

/** p-values of every metric of every model against its baseline (bootstrapAll's tests). */
export function pValues(all: readonly ModelResults[], o: SignificanceOptions = {}): PValue[] {
  return bootstrapAll(all, o).pValues;
}

/**
 * results.csv rows: every metric; for each task's table metric (the primary one unless `metrics`
 * names another) the tests against the baseline — `p_value` (two-sided), `p_better`, `p_worse`
 * (one-sided) — and, for a task of two or more languages, the language `avg` with the metric's
 * mean over them and its tests.
 */
export function resultRows(all: readonly ModelResults[], sig: Significance | readonly PValue[], metrics: Readonly<Record<string, string>> = PRIMARY_METRIC): ResultRow[] {
  const ps = Array.isArray(sig) ? (sig as readonly PValue[]) : (sig as Significance).pValues;
  const averages = Array.isArray(sig) ? [] : (sig as Significance).averages;
  const rows: ResultRow[] = [];
  const tests = (model: string, task: string, language: string): void => {
    const p = ps.find((x) => x.model === model && x.task === task && x.language === language && x.metric === metrics[task]);
    if (!p) return;
    rows.push({ model, task, language, metric: 'p_value', value: p.p });
    rows.push({ model, task, language, metric: 'p_better', value: p.pBetter });
    rows.push({ model, task, language, metric: 'p_worse', value: p.pWorse });
  };
  for (const m of all) {
    m.results.forEach((r, i) => {
      for (const [metric, value] of Object.entries(r.metrics)) rows.push({ model: m.model, task: r.task, language: r.language, metric, value: Number.isFinite(value) ? value : null });
      tests(m.model, r.task, r.language);
      if (m.results[i + 1]?.task === r.task) return;
      const avg = averages.find((a) => a.model === m.model && a.task === r.task && a.metric === metrics[r.task]);
      if (!avg) return;
      rows.push({ model: m.model, task: r.task, language: AVERAGE_LANGUAGE, metric: avg.metric, value: Number.isFinite(avg.value) ? avg.value : null });
      tests(m.model, r.task, AVERAGE_LANGUAGE);
    });
  }
  return rows;
}

export const BOOTSTRAP_DEFAULTS = { resamples: DEFAULT_RESAMPLES, seed: DEFAULT_BOOTSTRAP_SEED };
