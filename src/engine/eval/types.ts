/**
 * Evaluation (methods.md §5) as plain data: what a task measured for one model, per language
 * (or translation direction), with the per-item statistics the paired bootstrap resamples.
 */
import type { JobOptions, NeuronMask } from '../api';
import type { LoadedModel, Variant } from '../model/model';

export type EvalTaskKind = 'perplexity' | 'translate' | 'classify';
export const EVAL_TASKS: readonly EvalTaskKind[] = ['perplexity', 'translate', 'classify'];

/** Additive per-item statistics, by family: `nll` [Σ NLL, tokens, characters], `chrf` (18),
 * `bleu` (10), `offTarget` [off-target, judged], `classify` [correct, 1, tp/fp/fn per label]. */
export type StatFamily = 'nll' | 'chrf' | 'bleu' | 'offTarget' | 'classify';

export interface TaskResult {
  task: EvalTaskKind;
  /** Evaluated language (`fr`), or the direction `src-tgt` for translation. */
  language: string;
  /** Metric name (results.csv names) → value. */
  metrics: Record<string, number>;
  /** Per-item statistics by family, items in data order (the same for every model). */
  stats: Partial<Record<StatFamily, number[][]>>;
  /** Per-item details: outputs, predictions, scores. */
  items: Record<string, unknown>[];
  /** Items per second of model work for this task and language. */
  itemsPerSecond: number;
}

/** What a task runs: a loaded model and an optional intervention (pruning masks, deactivation). */
export interface EvalSubject {
  /** The name results carry: the --models entry as given. */
  name: string;
  model: LoadedModel;
  variant?: Variant;
  deactivate?: NeuronMask;
  /** Residual shifts by hidden-state index (LRP2 variants). */
  shifts?: Record<number, Float32Array>;
  /** How the subject was built (variant record), for results.json. */
  info?: Record<string, unknown>;
  /**
   * The subject to run on one language, where the intervention depends on it (`MODEL@lrp2`: each
   * language's own LRP2); tasks ask through `subjectFor` (run.ts).
   */
  perLanguage?: (lang: string, o: JobOptions) => Promise<EvalSubject>;
}
