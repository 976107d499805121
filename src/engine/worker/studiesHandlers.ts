/**
 * studies/instructions and studies/bias: the instruction-language and numeric-bias studies
 * (methods.md §6, §7) on the loaded model, answered as report sections for the Studies panel —
 * the same sections the CLI writes into report.html.
 */
import { dirname } from 'node:path';
import { parseModelSpec, parseVariantSpec, type SubjectLoader, type ModelSpec } from '../eval/subjects';
import type { EvalSubject } from '../eval/types';
import { biasMetrics, rangeLabel, scoreItems, type BiasRun } from '../studies/bias';
import { readDataset, type DatasetItem } from '../studies/dataset';
import { compareInstructions } from '../studies/instructions';
import { biasSections, instructionSections } from '../studies/sections';
import { loadPromptFile, loadTask, type TaskPrompt } from '../studies/taskPrompt';
import type { ScoreRange } from '../studies/scoreRange';
import type { LoadedModel } from '../model/model';
import type { StudyBiasParams, StudyInstructionsParams } from './protocol';
import { UserError } from '../errors';
import type { Handler } from './handlerTypes';
import { requireModel, subjectLoaderFor, type EngineState } from './state';

/** What studies/instructions runs: the task, its items and the study's settings (job/plan walks the same). */
export function instructionsJob(p: StudyInstructionsParams): { task: TaskPrompt; items: DatasetItem[]; settings: { maxNewTokens?: number; skipNeurons?: boolean } } {
  return { task: loadTask(p.file), items: readDataset(p.dataset, p.limit), settings: { maxNewTokens: p.maxNewTokens, skipNeurons: p.skipNeurons } };
}

const instructions: Handler<'studies/instructions'> = async (s, p, o) => {
  const m = requireModel(s);
  const { task, items, settings } = instructionsJob(p);
  const r = await compareInstructions({ name: m.name, model: m }, task, items, { ...o, ...settings });
  s.log(`instruction variants of ${r.task} on ${m.name}: ${r.summaries.filter((x) => x.language === 'all').map((x) => `${x.variant} failures ${(x.failureRate * 100).toFixed(0)}%`).join(', ')}`);
  return { title: `Instruction variants: ${task.name} — ${m.name}`, sections: instructionSections(r), summaries: r.summaries };
};

/**
 * What studies/bias runs (job/plan walks the same): the prompt, its ranges and items, and the model
 * entries — the loaded model first, then the other entries (a base checkpoint beside an aligned one,
 * or a variant such as default@lrp2:fr), which load for this job only: the loaded model stays,
 * variants on it are removed.
 */
export function biasJob(s: EngineState, m: LoadedModel, p: StudyBiasParams): { prompt: ReturnType<typeof loadPromptFile>; ranges: ScoreRange[]; items: DatasetItem[]; others: ModelSpec[]; loader: SubjectLoader } {
  const prompt = loadPromptFile(p.file);
  const ranges = p.ranges?.length ? p.ranges : prompt.doc.metadata.polyglot.scores ? [prompt.doc.metadata.polyglot.scores] : [];
  if (ranges.length === 0) throw new UserError(p.file, 'no score range: set polyglot.scores: {min: 1, max: 5}');
  const items = readDataset(p.dataset, p.limit);
  const others = (p.compareWith ?? []).map((entry): ModelSpec => (entry.trim().startsWith('@') ? { spec: `${m.name}${entry.trim()}`, dir: m.ckpt.dir, variant: parseVariantSpec(entry.trim().slice(1), entry) } : parseModelSpec(entry, dirname(p.file))));
  const loader = subjectLoaderFor(s, dirname(p.file));
  return { prompt, ranges, items, others, loader };
}

const bias: Handler<'studies/bias'> = async (s, p, o) => {
  const m = requireModel(s);
  const { prompt, ranges, items, others, loader } = biasJob(s, m, p);
  const runs: BiasRun[] = [];
  const names: string[] = [m.name];
  try {
    const subjects: EvalSubject[] = [{ name: m.name, model: m }];
    for (const spec of others) {
      const subject = await loader.load(spec, { signal: o.signal });
      subjects.push(subject);
      names.push(subject.name);
    }
    const jobs = ranges.length * subjects.length;
    let done = 0;
    for (const range of ranges) {
      for (const subject of subjects) {
        runs.push(await scoreItems(subject, prompt, items, range, {
          signal: o.signal,
          onProgress: (x) => o.onProgress?.({ fraction: (done + x.fraction) / jobs, message: x.message }),
        }));
        done++;
      }
    }
  } finally {
    await loader.dispose();
  }
  return {
    title: `Numeric bias: ${prompt.doc.file.name} — ${names.join(' vs ')}`,
    sections: biasSections(runs, ranges),
    metrics: runs.map((r) => ({ model: r.model, range: rangeLabel(r.range), ...biasMetrics(r.items) })),
  };
};

export const STUDIES_HANDLERS = { 'studies/instructions': instructions, 'studies/bias': bias };
