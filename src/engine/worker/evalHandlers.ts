/**
 * eval/run and eval/compare: the editor's Evaluate (a prompt's polyglot.eval, the same run as
 * `polyglot-lens eval`: engine/eval/session.ts) and Compare against an evaluation variant
 * (pruning masks or LRP2 shifts built by the same SubjectLoader). The loaded model is lent to the
 * loader, so evaluating the model the editor already holds does not load it twice.
 */
import { dirname } from 'node:path';
import type { JobOptions } from '../api';
import { UserError } from '../errors';
import { detectLanguage } from '../intervene/langid';
import { planOutput } from '../io/outputs';
import { compareVariants } from '../pruning';
import { reportScript, resultsSections, tableOptions } from '../eval/outputs';
import { promptEvalPlan } from '../eval/promptEval';
import { runEvaluation, writeEvaluation } from '../eval/session';
import { subjectFor } from '../eval/run';
import { parseModelSpec } from '../eval/subjects';
import { prepareTask } from '../eval/tasks';
import type { Handler } from './handlerTypes';
import { subjectLoaderFor } from './state';

const run: Handler<'eval/run'> = async (s, p, o) => {
  const t0 = performance.now();
  const plan = promptEvalPlan(p.file, p.roots);
  // Checked before any work; an earlier output of ours is replaced, anything else is refused.
  const target = planOutput(plan.out, { kind: 'folder', overwrite: true, inputs: plan.inputs, tool: 'Polyglot Lens: Evaluate' });
  const cwd = dirname(plan.file);
  const tasks = await Promise.all(plan.tasks.map((t) => prepareTask(t, cwd)));
  const script = reportScript();
  const loader = subjectLoaderFor(s, cwd, plan.seed);
  let e;
  try {
    e = await runEvaluation({ specs: plan.specs, tasks, bootstrap: plan.bootstrap, tableMetrics: plan.tableMetrics, loader, tool: 'Polyglot Lens: Evaluate', labels: plan.labels, significance: plan.significance }, o);
  } finally {
    await loader.dispose();
  }
  const models = plan.specs.map((x) => x.spec);
  const title = `Evaluation: ${plan.file.split(/[\\/]/).pop()} — ${models.join(', ')}`;
  const files = await writeEvaluation(target, e, script, title);
  s.log(`evaluated ${models.length} model(s) on ${plan.settings.tasks.join(', ')}; wrote ${target.path}`);
  return { title, sections: resultsSections(e.rows, 'Results', e.output.tableMetrics, tableOptions(e.output)), rows: e.rows, tableMetrics: e.output.tableMetrics, models, out: target.path, files, seconds: Math.round(performance.now() - t0) / 1000 };
};

const compare: Handler<'eval/compare'> = async (s, p, o) => {
  const cwd = dirname(p.file);
  const spec = parseModelSpec(p.model, cwd, p.roots);
  if (!spec.variant) throw new UserError(p.model, 'is not a variant (write MODEL@wanda:…, MODEL@lrp2:fr, …)');
  const loader = subjectLoaderFor(s, cwd, p.seed);
  try {
    const progress: JobOptions = { signal: o.signal, onProgress: (x) => o.onProgress?.({ fraction: 0.5 * x.fraction, message: x.message }) };
    const loaded = await loader.load(spec, progress);
    // A per-language variant (MODEL@lrp2) runs as it would on the prompt's language.
    const subject = loaded.perLanguage ? await subjectFor(loaded, (await detectLanguage(p.text)).code, progress) : loaded;
    const ids = subject.model.encodeInput(p.text, 'prompt');
    subject.model.checkLength(ids.length, 'prompt');
    const r = await compareVariants(subject.model, ids, undefined, { label: p.model, variant: subject.variant, deactivate: subject.deactivate, shifts: subject.shifts }, {
      signal: o.signal,
      maxNewTokens: p.maxNewTokens,
      prompt: p.text,
      onProgress: (x) => o.onProgress?.({ fraction: 0.5 + 0.5 * x.fraction, message: x.message }),
    });
    r.a.language = await detectLanguage(r.a.text);
    r.b.language = await detectLanguage(r.b.text);
    return r;
  } finally {
    await loader.dispose();
  }
};

export const EVAL_HANDLERS = { 'eval/run': run, 'eval/compare': compare };
