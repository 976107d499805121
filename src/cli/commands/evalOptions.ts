/** Task and bootstrap options shared by `eval` and `sweep`: parsed into task specs before any model loads. */
import type { OptionSpec } from '../args';
import type { CliContext } from '../context';
import { UserError } from '../../engine/errors';
import { CORPUS_HELP } from '../../engine/corpus/open';
import { DEMO_CORPUS, DEMO_PAIRS, demoFile, demoTranslation } from '../../engine/eval/demo';
import { DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES } from '../../engine/eval/metrics/bootstrap';
import { LABEL_SCORINGS, type LabelScoring } from '../../engine/eval/tasks/classify';
import { DEFAULT_SHOTS, DEFAULT_TRANSLATE_TOKENS } from '../../engine/eval/tasks/translate';
import { EVAL_TASKS, type EvalTaskKind } from '../../engine/eval/types';
import type { EvalTaskSpec } from '../../engine/eval/tasks';
import { SubjectLoader, type SubjectSettings } from '../../engine/eval/subjects';
import { defaultCacheDir } from '../../engine/paths';
import { metricProblem, tableMetrics } from '../../shared/results/rows';
import { SIGNIFICANCE_TESTS, type SignificanceTest } from '../../shared/results/table';

export { DEMO_CORPUS } from '../../engine/eval/demo';

/** translate's corpus and dev split: as given, else the toy world's held-out demo (demo.ts). */
export function translationData(ctx: CliContext): { corpus: string; dev: string | undefined } {
  const corpus = ctx.args.string('corpus');
  return corpus !== undefined ? { corpus, dev: ctx.args.string('dev') } : { ...demoTranslation(), ...(ctx.args.string('dev') !== undefined ? { dev: ctx.args.string('dev')! } : {}) };
}
export { taskInputs } from '../../engine/eval/tasks';

export const TASK_OPTIONS: Record<string, OptionSpec> = {
  task: { kind: 'list', help: `${EVAL_TASKS.join(', ')} (repeatable or comma-separated)` },
  corpus: { kind: 'string', help: `perplexity and translate: ${CORPUS_HELP}; udhr: means the held-out articles 3, 13, 23 (default: perplexity ${DEMO_CORPUS}, translate the toy world's held-out clauses examples/eval/toyworld/test.jsonl with dev.jsonl)` },
  languages: { kind: 'string', help: 'perplexity: comma-separated languages (default: all of the corpus)' },
  pairs: { kind: 'string', help: `translate: comma-separated directions SRC-TGT (default ${DEMO_PAIRS})` },
  dev: { kind: 'string', help: 'translate: corpus the demonstrations come from (default: the rest of UDHR for udhr:, dev/ of a FLORES folder)' },
  template: { kind: 'string', help: 'translate: .prompt template with {{src}} {{tgt}} {{source}} {{#each demos}} {{eos}} (default: the methods.md §3 format)' },
  shots: { kind: 'string', help: `translate: demonstrations per prompt (default ${DEFAULT_SHOTS})` },
  'max-new-tokens': { kind: 'string', help: `translate: greedy tokens per output (default ${DEFAULT_TRANSLATE_TOKENS})` },
  limit: { kind: 'string', help: 'perplexity/translate: at most N texts per language or direction' },
  'classify-prompt': { kind: 'string', help: 'classify: .prompt with {{label}} and polyglot.labels (default examples/eval/langid.prompt)' },
  data: { kind: 'string', help: 'classify: .jsonl of {"lang", "label", …template variables} (default examples/eval/langid.jsonl)' },
  scoring: { kind: 'string', help: `classify: ${LABEL_SCORINGS.join(' or ')} (default: the prompt's polyglot.scoring, else sequence-mean)` },
  seed: { kind: 'string', help: 'seed for demonstrations, variant pruning and calibration sampling (default 0)' },
  resamples: { kind: 'string', help: `paired bootstrap resamples (default ${DEFAULT_RESAMPLES})` },
  'bootstrap-seed': { kind: 'string', help: `paired bootstrap seed (default ${DEFAULT_BOOTSTRAP_SEED})` },
  'calibration-sequences': { kind: 'string', help: 'variants: calibration sequences (default 100)' },
  labels: { kind: 'string', help: 'row names of the tables, in the order of the models (comma-separated, label markup: θ_{Fr-En}, θ^{Prog}_{Zh-En}; empty = the paper\'s name), or SPEC=LABEL items (default: θ, θ_Rand, θ_{Fr-En}, θ^{Prog}_{Zh-En}, LRP2 from the model entries)' },
  significance: { kind: 'string', help: 'the test behind the tables\' † (significantly better than dense θ) and ‡ (worse): one-sided (default, as the paper) or two-sided' },
  metric: { kind: 'list', help: 'a metric the table shows and the bootstrap tests instead of its task\'s primary one (perplexity, chrf, accuracy), e.g. macro_f1, bleu, bits_per_char (repeatable)' },
  out: { kind: 'string', help: 'output folder' },
};

function optionalInt(ctx: CliContext, name: string, min: number): number | undefined {
  return ctx.args.string(name) !== undefined ? ctx.args.int(name, 0, min) : undefined;
}

const split = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

export function parseTaskSpecs(ctx: CliContext): EvalTaskSpec[] {
  const a = ctx.args;
  const kinds = a.list('task').flatMap(split);
  if (kinds.length === 0) throw new UserError('--task', `is required (${EVAL_TASKS.join(', ')})`);
  const bad = kinds.find((k) => !EVAL_TASKS.includes(k as EvalTaskKind));
  if (bad) throw new UserError('--task', `unknown task ${JSON.stringify(bad)} (${EVAL_TASKS.join(', ')})`);
  const seed = a.int('seed', 0);
  const limit = optionalInt(ctx, 'limit', 1);
  const scoring = a.string('scoring') as LabelScoring | undefined;
  if (scoring !== undefined && !LABEL_SCORINGS.includes(scoring)) throw new UserError('--scoring', `must be ${LABEL_SCORINGS.join(' or ')}, got ${JSON.stringify(scoring)}`);
  return [...new Set(kinds)].map((k): EvalTaskSpec => {
    if (k === 'perplexity') return { kind: 'perplexity', corpus: a.string('corpus') ?? DEMO_CORPUS, languages: a.string('languages') ? split(a.string('languages')!) : undefined, limit };
    if (k === 'translate') {
      return {
        kind: 'translate',
        ...translationData(ctx),
        pairs: split(a.string('pairs') ?? DEMO_PAIRS),
        template: a.string('template'),
        shots: a.int('shots', DEFAULT_SHOTS, 0),
        seed,
        maxNewTokens: a.int('max-new-tokens', DEFAULT_TRANSLATE_TOKENS, 1),
        limit,
      };
    }
    return { kind: 'classify', data: a.string('data') ?? demoFile('langid.jsonl'), template: a.string('classify-prompt') ?? demoFile('langid.prompt'), scoring };
  });
}

export function bootstrapSettings(ctx: CliContext): { resamples: number; seed: number } {
  return { resamples: ctx.args.int('resamples', DEFAULT_RESAMPLES, 1), seed: ctx.args.int('bootstrap-seed', DEFAULT_BOOTSTRAP_SEED, 0) };
}

/** How eval and sweep load their models: the global model options (--weights, --execution-provider, --prepack, --threads), the variants' seed and calibration; calibration shortfalls are warned on stderr as `prune` warns them. */
export function subjectSettings(ctx: CliContext): SubjectSettings & { threads: number; seed: number } {
  return { ...ctx.modelOptions(), threads: ctx.args.int('threads', 0), cacheDir: ctx.args.string('cache-dir'), seed: ctx.args.int('seed', 0), calibrationSequences: optionalInt(ctx, 'calibration-sequences', 1), onWarning: (m) => ctx.warn(m) };
}

/** The loader of a command's model entries: `settings` (the command's subjectSettings unless it fixes its own), weights cached under --cache-dir, else the user's cache. */
export function subjectLoader(ctx: CliContext, settings: SubjectSettings = subjectSettings(ctx)): SubjectLoader {
  return new SubjectLoader({ ...settings, cacheDir: ctx.args.string('cache-dir') ?? defaultCacheDir() });
}

/** Splits at commas outside braces (a label may be θ_{Fr,De}). */
export function splitOutsideBraces(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

/**
 * --labels: one label per model in order (empty = the paper's name), or SPEC=LABEL items; labels
 * parallel to `models`.
 */
export function labelsOption(ctx: CliContext, models: readonly string[]): (string | undefined)[] {
  const text = ctx.args.string('labels');
  if (text === undefined) return [];
  const items = splitOutsideBraces(text);
  if (items.some((x) => x.includes('='))) {
    const out: (string | undefined)[] = models.map(() => undefined);
    for (const item of items.filter(Boolean)) {
      const at = item.lastIndexOf('=');
      if (at < 0) throw new UserError('--labels', `mix of SPEC=LABEL and plain labels (${JSON.stringify(item)}); use one form`);
      const spec = item.slice(0, at).trim();
      const i = models.indexOf(spec);
      if (i < 0) throw new UserError('--labels', `${spec} is not one of the models (${models.join(', ')})`);
      out[i] = item.slice(at + 1).trim() || undefined;
    }
    return out;
  }
  if (items.length > models.length) throw new UserError('--labels', `${items.length} labels for ${models.length} models`);
  return items.map((x) => x || undefined);
}

export function significanceOption(ctx: CliContext): SignificanceTest | undefined {
  const s = ctx.args.string('significance');
  if (s === undefined) return undefined;
  if (!SIGNIFICANCE_TESTS.includes(s as SignificanceTest)) throw new UserError('--significance', `must be ${SIGNIFICANCE_TESTS.join(' or ')}, got ${JSON.stringify(s)}`);
  return s as SignificanceTest;
}

/** --metric: the table metric by task (the primary ones unless named). */
export function tableMetricsOption(ctx: CliContext, tasks: readonly EvalTaskSpec[]): Record<string, string> {
  const chosen: string[] = [];
  for (const m of ctx.args.list('metric').flatMap(split)) {
    const problem = metricProblem(m, tasks.map((t) => t.kind), chosen);
    if (problem) throw new UserError('--metric', problem);
    chosen.push(m);
  }
  return tableMetrics(chosen);
}

/**
 * Shards must agree on --prepack: prepacked constants give numbers equal to float rounding, not bit
 * for bit, so it is a setting merge compares (absent when off, so the settings of existing partials
 * stay as they were). The execution provider is not: run every shard of a job on the same kind of
 * machine (docs/scale.md).
 */
export function prepackSetting(s: SubjectSettings): { prepack?: true } {
  return s.constantWeights ? { prepack: true } : {};
}
