/**
 * job/plan: the plan of an editor job before it runs (engine/plan/estimate.ts, the same as the
 * CLI's --plan), so the host can show the estimate in a confirmation. Answers null when the job
 * has nothing to run (a LAPE result or a variant already in the engine).
 */
import { dirname } from 'node:path';
import { openCorpus } from '../corpus/open';
import { planEvaluation } from '../eval/plan';
import { promptEvalPlan } from '../eval/promptEval';
import { SubjectLoader } from '../eval/subjects';
import { prepareTask } from '../eval/tasks';
import { collectFeatureStats } from '../features/features';
import { collectLapeCounts } from '../lape/lape';
import { PrunedVariant } from '../pruning';
import { planJob } from '../plan/estimate';
import { recordVariantBuild } from '../plan/variants';
import { WorkRecorder } from '../plan/work';
import type { Handler } from './handlerTypes';
import { lapeCacheKey, requireModel } from './state';

const plan: Handler<'job/plan'> = async (s, p, o) => {
  const m = requireModel(s);
  if (p.job === 'eval/run') {
    const e = promptEvalPlan(p.params.file, p.params.roots);
    const cwd = dirname(e.file);
    const tasks = await Promise.all(e.tasks.map((t) => prepareTask(t, cwd)));
    const loader = new SubjectLoader({ threads: s.threads, cacheDir: s.cacheDir, executionProvider: s.executionProvider, weights: s.weights, cwd, seed: e.seed });
    loader.adopt(m);
    try {
      return await planEvaluation({ command: 'Evaluate', specs: e.specs, tasks, loader }, { signal: o.signal });
    } finally {
      await loader.dispose();
    }
  }
  const work = new WorkRecorder(m);
  const t0 = performance.now();
  let extra: Record<string, number> = {};
  if (p.job === 'lape/run') {
    const q = p.params;
    if (s.lape?.has(lapeCacheKey(m, q))) return null;
    await work.run(() => collectLapeCounts(m, openCorpus(q.corpus, q.cwd), { languages: q.languages, maxTokensPerLang: q.maxTokensPerLang, maxLength: q.maxLength, signal: o.signal }));
  } else if (p.job === 'features/run') {
    const q = p.params;
    await work.run(() => collectFeatureStats(m, q.calibrations.map((c) => ({ name: c.name, source: c.source })), { sequences: q.sequences, length: q.length, shots: q.shots, seed: q.seed, cwd: q.cwd, signal: o.signal }));
  } else {
    if (m.variants.get(p.params.name) instanceof PrunedVariant) return null;
    extra = { masks: await recordVariantBuild(m, work, p.params.settings, { signal: o.signal }) };
  }
  return planJob({ command: p.job, parts: [{ model: m, work, loadSeconds: 0 }], enumerateSeconds: (performance.now() - t0) / 1000, extra, signal: o.signal });
};

export const PLAN_HANDLERS = { 'job/plan': plan };
