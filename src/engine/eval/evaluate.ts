/**
 * `eval`: every model on every prepared task, then paired bootstrap p-values of each model
 * against the first (same items, same order), and the long result rows of results.csv.
 */
import type { JobOptions } from '../api';
import type { ResultRow } from '../../shared/results/rows';
import { PRIMARY_METRIC } from '../../shared/results/rows';
import { bootstrapInterval, pairedBootstrapTest, DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES, type BootstrapOptions } from './metrics/bootstrap';
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
  p: number;
  /** The metric's difference model − first model, and its bootstrap percentile interval (same resamples as p). */
  difference: number;
  low: number;
  high: number;
}

/** A model's metric with its bootstrap percentile interval. */
export interface Interval {
  model: string;
  task: string;
  language: string;
  metric: string;
  value: number;
  low: number;
  high: number;
}

export async function evaluateSubject(subject: EvalSubject, tasks: PreparedTask[], o: JobOptions = {}): Promise<ModelResults> {
  const results: TaskResult[] = [];
  for (const t of tasks) results.push(...(await t.run(subject, o)));
  return { model: subject.name, info: subject.info, results };
}

/** p-values of every metric of every model against the first model (undefined metrics skipped). */
export function pValues(all: readonly ModelResults[], o: BootstrapOptions = {}): PValue[] {
  const [base, ...others] = all;
  if (!base) return [];
  const out: PValue[] = [];
  for (const m of others) {
    for (const r of m.results) {
      const b = base.results.find((x) => x.task === r.task && x.language === r.language);
      if (!b) continue;
      for (const metric of Object.keys(r.metrics)) {
        const def = METRIC_STATS[metric];
        const sa = b.stats[def?.family ?? 'nll'];
        const sb = r.stats[def?.family ?? 'nll'];
        if (!def || !sa || !sb || sa.length !== sb.length || !Number.isFinite(r.metrics[metric]!) || !Number.isFinite(b.metrics[metric]!)) continue;
        out.push({ model: m.model, task: r.task, language: r.language, metric, ...pairedBootstrapTest(sa, sb, def.score, o) });
      }
    }
  }
  return out;
}

/** Every defined metric of every model with its bootstrap percentile interval (BootstrapOptions.level, default 95 %). */
export function intervals(all: readonly ModelResults[], o: BootstrapOptions = {}): Interval[] {
  const out: Interval[] = [];
  for (const m of all) {
    for (const r of m.results) {
      for (const [metric, value] of Object.entries(r.metrics)) {
        const def = METRIC_STATS[metric];
        const stats = r.stats[def?.family ?? 'nll'];
        if (!def || !stats || !Number.isFinite(value)) continue;
        const [low, high] = bootstrapInterval(stats, def.score, o);
        out.push({ model: m.model, task: r.task, language: r.language, metric, value, low, high });
      }
    }
  }
  return out;
}

/** results.csv rows: every metric, then the p_value of each task's table metric (the primary one unless `metrics` names another). */
export function resultRows(all: readonly ModelResults[], ps: readonly PValue[], metrics: Readonly<Record<string, string>> = PRIMARY_METRIC): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const m of all) {
    for (const r of m.results) {
      for (const [metric, value] of Object.entries(r.metrics)) rows.push({ model: m.model, task: r.task, language: r.language, metric, value: Number.isFinite(value) ? value : null });
      const p = ps.find((x) => x.model === m.model && x.task === r.task && x.language === r.language && x.metric === metrics[r.task]);
      if (p) rows.push({ model: m.model, task: r.task, language: r.language, metric: 'p_value', value: p.p });
    }
  }
  return rows;
}

export const BOOTSTRAP_DEFAULTS = { resamples: DEFAULT_RESAMPLES, seed: DEFAULT_BOOTSTRAP_SEED };
