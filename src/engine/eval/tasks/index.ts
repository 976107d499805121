/**
 * Task specs as the CLI, sweep and the editor give them, prepared once (data read, templates
 * parsed) and then run for every model on exactly the same items.
 */
import type { JobOptions } from '../../api';
import { UserError } from '../../errors';
import { openEvalCorpora } from '../data';
import { readLabelledData } from '../datasets';
import { resolve } from 'node:path';
import { BUILTIN_TRANSLATION_TEMPLATE, loadPromptTemplate } from '../template';
import type { EvalSubject, EvalTaskKind, TaskResult } from '../types';
import { finishGroup, type GroupScores, type UnitSelection } from '../scores';
import { classifyScores, LABEL_SCORINGS, type LabelScoring } from './classify';
import { perplexityScores } from './perplexity';
import { parsePair, translateScores } from './translate';

export type EvalTaskSpec =
  | { kind: 'perplexity'; corpus: string; languages?: string[]; limit?: number }
  | { kind: 'translate'; corpus: string; dev?: string; pairs: string[]; template?: string; shots?: number; seed?: number; maxNewTokens?: number; limit?: number }
  | { kind: 'classify'; data: string; template: string; labels?: string[]; scoring?: LabelScoring; prefixCache?: boolean };

export interface PreparedTask {
  kind: EvalTaskKind;
  spec: EvalTaskSpec;
  /** Settings recorded in results.json (resolved defaults included). */
  settings: Record<string, unknown>;
  /** Per-item scores of every group (language or direction); `units` picks a shard's units (all by default). */
  scores(subject: EvalSubject, o?: JobOptions & { units?: UnitSelection }): Promise<GroupScores[]>;
  /** The task's results on every item: scores, then metrics (finishGroup). */
  run(subject: EvalSubject, o?: JobOptions): Promise<TaskResult[]>;
}

function prepared(kind: EvalTaskKind, spec: EvalTaskSpec, settings: Record<string, unknown>, scores: PreparedTask['scores']): PreparedTask {
  return { kind, spec, settings, scores, run: async (s, o) => (await scores(s, o)).map(finishGroup) };
}

export async function prepareTask(spec: EvalTaskSpec, cwd = process.cwd()): Promise<PreparedTask> {
  if (spec.kind === 'perplexity') {
    const { test } = openEvalCorpora(spec.corpus, undefined, cwd);
    await test.scan();
    return prepared('perplexity', spec, { corpus: test.name, languages: spec.languages ?? 'all', limit: spec.limit ?? null }, (s, o) => perplexityScores(s, test, { ...o, languages: spec.languages, limit: spec.limit }));
  }
  if (spec.kind === 'translate') {
    if (spec.pairs.length === 0) throw new UserError('--pairs', 'name at least one direction, e.g. fr-en');
    spec.pairs.forEach((p) => parsePair(p));
    const { test, dev } = openEvalCorpora(spec.corpus, spec.dev, cwd);
    const template = spec.template ? loadPromptTemplate(spec.template) : BUILTIN_TRANSLATION_TEMPLATE;
    const settings = { corpus: test.name, dev: dev?.name ?? null, pairs: spec.pairs, template: template.source, shots: spec.shots ?? 1, seed: spec.seed ?? 0, maxNewTokens: spec.maxNewTokens ?? 64, limit: spec.limit ?? null };
    return prepared('translate', spec, settings, (s, o) => translateScores(s, test, dev, { ...o, pairs: spec.pairs, template, shots: spec.shots, seed: spec.seed, maxNewTokens: spec.maxNewTokens, limit: spec.limit }));
  }
  const template = loadPromptTemplate(spec.template);
  const meta = template.metadata?.polyglot;
  const labels = spec.labels ?? meta?.labels;
  if (!labels || labels.length < 2) throw new UserError(spec.template, 'no labels: declare polyglot.labels in the template (or give --labels)');
  const classes = meta?.classes ?? labels;
  if (classes.length !== labels.length) throw new UserError(spec.template, `polyglot.classes names ${classes.length} classes and polyglot.labels ${labels.length} words; give one word per class, in the classes' order`);
  const byLanguage = meta?.labelsByLanguage ?? {};
  for (const [lang, words] of Object.entries(byLanguage)) {
    if (words.length !== classes.length) throw new UserError(spec.template, `polyglot.labelsByLanguage.${lang} has ${words.length} words for ${classes.length} classes (${classes.join(', ')})`);
  }
  const scoring = spec.scoring ?? meta?.scoring ?? 'sequence-mean';
  if (!LABEL_SCORINGS.includes(scoring)) throw new UserError('--scoring', `must be ${LABEL_SCORINGS.join(' or ')}, got ${JSON.stringify(scoring)}`);
  const data = await readLabelledData(resolve(cwd, spec.data), { classes, labels, labelsByLanguage: byLanguage });
  const items = data.items;
  const settings = { data: spec.data, files: data.files, formats: [...new Set(data.formats)], template: template.source, classes, labels, ...(Object.keys(byLanguage).length ? { labelsByLanguage: byLanguage } : {}), scoring, items: items.length, skipped: data.skipped };
  return prepared('classify', spec, settings, (s, o) => classifyScores(s, items, { ...o, labels, labelsByLanguage: byLanguage, template, scoring, prefixCache: spec.prefixCache }));
}

/** Files and folders the tasks read (the output may not be, contain or lie inside any of them). */
export function taskInputs(specs: EvalTaskSpec[]): string[] {
  return specs.flatMap((t) => (t.kind === 'classify' ? [t.data, t.template] : t.kind === 'translate' ? [t.corpus, t.dev, t.template] : [t.corpus])).filter((x): x is string => x !== undefined && !x.startsWith('udhr:'));
}
