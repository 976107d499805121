/**
 * job/plan: the plan of an editor job before it runs (engine/plan/estimate.ts, the same as the
 * CLI's --plan), so the host can show the estimate in a confirmation. Answers null when the job
 * has nothing to run (a LAPE result or a variant already in the engine).
 */
import { dirname } from 'node:path';
import { openCorpus } from '../corpus/open';
import { planEvaluation, planSubjects } from '../eval/plan';
import { promptEvalPlan } from '../eval/promptEval';
import { prepareTask } from '../eval/tasks';
import { collectFeatureStats } from '../features/features';
import { collectLapeCounts } from '../lape/lape';
import { PrunedVariant } from '../pruning';
import { planSingleModel } from '../plan/singleModel';
import { recordVariantBuild } from '../plan/variants';
import type { Handler } from './handlerTypes';
import { lapeCacheKey, requireModel, subjectLoaderFor } from './state';
import { biasJob, instructionsJob } from './studiesHandlers';
import { compareInstructions } from '../studies/instructions';
import { scoreItems } from '../studies/bias';
import { DECODE_SAMPLE_ITEMS, sampleDecodeSteps } from '../plan/decode';

const plan: Handler<'job/plan'> = async (s, p, o) => {
  const m = requireModel(s);
  if (p.job === 'eval/run') {
    const e = promptEvalPlan(p.params.file, p.params.roots);
    const cwd = dirname(e.file);
    const tasks = await Promise.all(e.tasks.map((t) => prepareTask(t, cwd)));
    const loader = subjectLoaderFor(s, cwd, e.seed);
    try {
      return await planEvaluation({ command: 'Evaluate', specs: e.specs, tasks, loader }, { signal: o.signal });
    } finally {
      await loader.dispose();
    }
  }
  if (p.job === 'studies/instructions') {
    const { task, items, settings } = instructionsJob(p.params);
    const loader = subjectLoaderFor(s, dirname(p.params.file));
    try {
      return await planSubjects({
        command: 'Compare Instructions',
        specs: [{ spec: m.name, dir: m.ckpt.dir }],
        loader,
        work: (subject) => compareInstructions(subject, task, items, { ...settings, signal: o.signal }),
        // Answers stop at a stop token: the first items answered for real under every variant (as the CLI's --plan).
        decode: (first) => sampleDecodeSteps(first.model, `the first ${DECODE_SAMPLE_ITEMS} items' answers under every variant`, () => compareInstructions(first, task, items.slice(0, DECODE_SAMPLE_ITEMS), { ...settings, skipNeurons: true, signal: o.signal })),
      }, { signal: o.signal });
    } finally {
      await loader.dispose();
    }
  }
  if (p.job === 'studies/bias') {
    const { prompt, ranges, items, others, loader } = biasJob(s, m, p.params);
    try {
      return await planSubjects({
        command: 'Measure Numeric Bias',
        specs: [{ spec: m.name, dir: m.ckpt.dir }, ...others],
        loader,
        work: async (subject) => {
          for (const range of ranges) await scoreItems(subject, prompt, items, range, { signal: o.signal });
        },
      }, { signal: o.signal });
    } finally {
      await loader.dispose();
    }
  }
  if (p.job === 'lape/run') {
    const q = p.params;
    if (s.lape?.has(lapeCacheKey(m, q))) return null;
    return planSingleModel(p.job, m, () => collectLapeCounts(m, openCorpus(q.corpus, q.cwd), { languages: q.languages, maxTokensPerLang: q.maxTokensPerLang, maxLength: q.maxLength, signal: o.signal }), { signal: o.signal });
  }
  if (p.job === 'features/run') {
    const q = p.params;
    return planSingleModel(p.job, m, () => collectFeatureStats(m, q.calibrations.map((c) => ({ name: c.name, source: c.source })), { sequences: q.sequences, length: q.length, shots: q.shots, seed: q.seed, cwd: q.cwd, signal: o.signal }), { signal: o.signal });
  }
  if (m.variants.get(p.params.name) instanceof PrunedVariant) return null;
  const settings = p.params.settings;
  return planSingleModel(p.job, m, { record: async (work) => ({ masks: await recordVariantBuild(m, work, settings, { signal: o.signal }) }) }, { signal: o.signal });
};

export const PLAN_HANDLERS = { 'job/plan': plan };
