/**
 * `eval --models A,B,… --task T … --out DIR`: every model (checkpoint folder, pruned export, or
 * variant MODEL@method:calibration:sparsity, MODEL@lrp2:T) on every task, paired bootstrap
 * p-values against the first model, and DIR/results.{json,csv,md,tex} + DIR/report.html
 * (docs/cli.md). The run itself is engine/eval/session.ts, shared with the editor's Evaluate.
 */
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { reportScript, tableOptions } from '../../engine/eval/outputs';
import { RESULT_FILES, runEvaluation, writeEvaluation } from '../../engine/eval/session';
import { parseModelSpec, type ModelSpec } from '../../engine/eval/subjects';
import { prepareTask } from '../../engine/eval/tasks';
import { planOutput } from '../../engine/io/outputs';
import { buildResultsTable } from '../../shared/results/table';
import { bootstrapSettings, labelsOption, parseTaskSpecs, significanceOption, prepackSetting, subjectLoader, subjectSettings, tableMetricsOption, taskInputs, TASK_OPTIONS } from './evalOptions';
import { runEvalShard } from './evalShard';
import { PLAN_OPTIONS, planRequested, printPlan, targetArg } from './plan';
import { planEvaluation } from '../../engine/eval/plan';
import { EVAL_SHARD_OPTION, shardArg, type Command } from './types';

/** The report's title: the same in one run and after a merge of shards. */
const evalTitle = (specs: ModelSpec[]): string => `Evaluation — ${specs.map((s) => s.spec).join(', ')}`;

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval --models A,B,… --task perplexity|translate|classify … --out DIR [--corpus C] [--pairs fr-en] [--classify-prompt P --data D] [--resamples 1000] [--metric M] [--labels θ,θ_{Fr-En}] [--significance one-sided|two-sided] [--shard i/N] [--plan [--target 2h]]',
  summary: 'per-language perplexity, translation chrF/BLEU, zero-shot classification; paired bootstrap vs the first model; writes results.json/.csv/.md/.tex and report.html',
  options: {
    models: { kind: 'string', help: 'comma-separated: checkpoint folders, `default`, or variants MODEL@wanda:mt:fr-en:0.5, MODEL@magnitude:0.5, MODEL@random:0.5, MODEL@prog:mt:fr-en+code:GLOB:0.5, MODEL@lrp2:fr[:A-B], MODEL@lrp2 (each evaluated language its own LRP2)' },
    ...TASK_OPTIONS,
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours' },
    ...EVAL_SHARD_OPTION,
    ...PLAN_OPTIONS,
  },
  async run(ctx) {
    const a = ctx.args;
    const specs = a.required('models').split(',').map((s) => s.trim()).filter(Boolean).map((s) => parseModelSpec(s));
    if (specs.length === 0) throw new UserError('--models', 'name at least one model');
    const dup = specs.find((s, i) => specs.findIndex((x) => x.spec === s.spec) !== i);
    if (dup) throw new UserError('--models', `${dup.spec} is listed twice`);
    const taskSpecs = parseTaskSpecs(ctx);
    const tableMetrics = tableMetricsOption(ctx, taskSpecs);
    const labels = labelsOption(ctx, specs.map((s) => s.spec));
    const significance = significanceOption(ctx);
    const shard = shardArg(a);
    if (planRequested(ctx)) {
      const tasks = await Promise.all(taskSpecs.map((t) => prepareTask(t)));
      const loader = subjectLoader(ctx);
      try {
        printPlan(ctx, await planEvaluation({ command: 'eval', specs, tasks, loader, shard, target: targetArg(ctx), startSeconds: ctx.startSeconds }, { signal: ctx.signal }));
      } finally {
        await loader.dispose();
      }
      return;
    }
    const out = a.required('out');
    if (shard) {
      const tasks = await Promise.all(taskSpecs.map((t) => prepareTask(t)));
      const subject = subjectSettings(ctx);
      const loader = subjectLoader(ctx, subject);
      const settings = { models: specs.map((s) => s.spec), tasks: tasks.map((t) => ({ kind: t.kind, settings: t.settings })), bootstrap: bootstrapSettings(ctx), tableMetrics, labels: labels ?? null, significance: significance ?? null, seed: subject.seed, calibrationSequences: subject.calibrationSequences ?? null, ...prepackSetting(subject) };
      const output = { tool: 'polyglot-lens eval', title: evalTitle(specs) };
      try {
        await runEvalShard(ctx, { job: { kind: 'eval', settings, output }, specs, tasks, loader, shard, out, inputs: taskInputs(taskSpecs) });
      } finally {
        await loader.dispose();
      }
      return;
    }
    // The output is checked before any work: not a model folder or input, not existing unless --overwrite.
    const target = planOutput(out, { kind: 'folder', overwrite: a.flag('overwrite'), inputs: [...specs.map((s) => s.dir), ...taskInputs(taskSpecs)], tool: 'polyglot-lens eval' });
    const tasks = await Promise.all(taskSpecs.map((t) => prepareTask(t)));
    const script = reportScript();
    const bootstrap = bootstrapSettings(ctx);
    const loader = subjectLoader(ctx);
    const t0 = performance.now();
    let run;
    try {
      run = await runEvaluation({ specs, tasks, bootstrap, tableMetrics, loader, tool: 'polyglot-lens eval', labels, significance }, ctx.jobOptions());
    } finally {
      await loader.dispose();
    }
    await writeEvaluation(target, run, script, evalTitle(specs));
    const table = buildResultsTable(run.rows, tableMetrics, tableOptions(run.output));
    ctx.print({
      out,
      files: RESULT_FILES.map((f) => join(out, f)),
      models: specs.map((s) => s.spec),
      table: table.models.map((m, i) => ({ model: m, label: table.labels[i], ...Object.fromEntries(table.columns.map((c, j) => [`${c.task}:${c.language}:${c.metric}`, table.cells[i]![j]?.value ?? null])) })),
      itemsPerSecond: Object.fromEntries(run.all[0]!.results.map((r) => [`${r.task}:${r.language}`, Math.round(r.itemsPerSecond * 100) / 100])),
      seconds: Math.round((performance.now() - t0) / 10) / 100,
    });
  },
};
