/**
 * `sweep --methods … --calibrations … --sparsities … --task … --out DIR`: the pruning study's
 * table from one command (engine/eval/sweep.ts). Resumable: rerun the same command after Ctrl-C
 * or a crash and finished cells are read back, not recomputed.
 */
import { join } from 'node:path';
import { evalOutput, reportScript, resultsFiles } from '../../engine/eval/outputs';
import { parseModelSpec } from '../../engine/eval/subjects';
import { analyseResults, presentation } from '../../engine/eval/session';
import { pinSettings, runSweep, sweepModels, writeSweepFile } from '../../engine/eval/sweep';
import { planOutput } from '../../engine/io/outputs';
import { prepareTask } from '../../engine/eval/tasks';
import type { PruneMethod } from '../../engine/pruning';
import { checkSparsity } from '../../engine/pruning';
import { bootstrapSettings, labelsOption, parseTaskSpecs, significanceOption, prepackSetting, subjectLoader, subjectSettings, tableMetricsOption, taskInputs, TASK_OPTIONS } from './evalOptions';
import { progressLine } from './progress';
import { runEvalShard } from './evalShard';
import { PLAN_OPTIONS, planRequested, printPlan, targetArg } from './plan';
import { planEvaluation } from '../../engine/eval/plan';
import { EVAL_SHARD_OPTION, shardArg, type Command } from './types';

const split = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/** The report's title: the same in one run and after a merge of shards. */
const sweepTitle = (base: string): string => `Sweep — ${base}`;

function eta(seconds: number | null): string {
  if (seconds === null) return '…';
  return seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

export const sweepCommand: Command = {
  name: 'sweep',
  usage: 'sweep [--model DIR] --methods wanda,magnitude,random,prog --calibrations mt:fr-en,mono:fr --sparsities 0.2,0.5 --task … --out DIR [--code-calibration code:GLOB] [--also default@lrp2:fr] [--shard i/N] [--plan [--target 2h]]',
  summary: 'every pruning variant (masks) × task plus dense, one results table (rows θ, θ_Rand, θ_{Fr-En}, …; bold best, † significantly better than dense, ‡ worse); resumable cell by cell',
  options: {
    model: { kind: 'string', help: 'base checkpoint folder (default: the embedded model)' },
    methods: { kind: 'string', help: 'comma-separated: wanda, magnitude, random, prog' },
    calibrations: { kind: 'string', help: 'comma-separated calibration sources for wanda/prog (mt:SRC-TGT, mono:LANG, FILE.jsonl)' },
    'code-calibration': { kind: 'string', help: 'prog: the code calibration source (e.g. code:src/**/*.ts)' },
    sparsities: { kind: 'string', help: 'comma-separated sparsities in (0, 1)' },
    also: { kind: 'string', help: 'comma-separated extra models after the grid, e.g. default@lrp2:fr (the LRP2 baseline row)' },
    ...TASK_OPTIONS,
    out: { kind: 'string', help: 'output folder: created, or resumed when it holds a sweep with the same settings (with --shard: the shard\'s partial folder)' },
    ...EVAL_SHARD_OPTION,
    overwrite: { kind: 'flag', help: 'with --shard: replace an earlier partial of ours that is not this shard\'s finished result' },
    ...PLAN_OPTIONS,
  },
  async run(ctx) {
    const a = ctx.args;
    const sparsities = split(a.required('sparsities')).map((s) => {
      const v = Number(s);
      checkSparsity(v, '--sparsities');
      return v;
    });
    const base = a.string('model') ?? 'default';
    const models = sweepModels({ base, methods: split(a.required('methods')) as PruneMethod[], calibrations: split(a.string('calibrations')), sparsities, codeCalibration: a.string('code-calibration') });
    models.push(...split(a.string('also')).filter((m) => !models.includes(m)));
    models.forEach((m) => parseModelSpec(m));
    const taskSpecs = parseTaskSpecs(ctx);
    const metrics = tableMetricsOption(ctx, taskSpecs);
    const labels = labelsOption(ctx, models);
    const significance = significanceOption(ctx);
    const tasks = await Promise.all(taskSpecs.map((t) => prepareTask(t)));
    const script = reportScript();
    const bootstrap = bootstrapSettings(ctx);
    const subject = subjectSettings(ctx);
    const pinned = { models, tasks: taskSpecs, seed: subject.seed, calibrationSequences: subject.calibrationSequences ?? null };
    const shard = shardArg(a);
    if (planRequested(ctx)) {
      const loader = subjectLoader(ctx, subject);
      try {
        printPlan(ctx, await planEvaluation({ command: 'sweep', specs: models.map((m) => parseModelSpec(m)), tasks, loader, shard, target: targetArg(ctx), startSeconds: ctx.startSeconds }, { signal: ctx.signal }));
      } finally {
        await loader.dispose();
      }
      return;
    }
    const out = a.required('out');
    if (shard) {
      const loader = subjectLoader(ctx, subject);
      const settings = { ...pinned, taskSettings: tasks.map((t) => ({ kind: t.kind, settings: t.settings })), bootstrap, tableMetrics: metrics, labels: labels ?? null, significance: significance ?? null, ...prepackSetting(subject) };
      try {
        await runEvalShard(ctx, { job: { kind: 'sweep', settings, output: { tool: 'polyglot-lens sweep', title: sweepTitle(base) } }, specs: models.map((m) => parseModelSpec(m)), tasks, loader, shard, out, inputs: taskInputs(taskSpecs) });
      } finally {
        await loader.dispose();
      }
      return;
    }
    // New or resumed, the folder passes the output policy (not a model folder, an input, root or
    // home); an existing one must be a resumable sweep folder of ours (its marker says so).
    const target = planOutput(out, { kind: 'folder', resumable: true, model: parseModelSpec(base).dir, inputs: [...models.map((m) => parseModelSpec(m).dir), ...taskInputs(taskSpecs)], tool: 'polyglot-lens sweep' });
    await pinSettings(target, pinned);
    const loader = subjectLoader(ctx, subject);
    const t0 = performance.now();
    let run;
    try {
      run = await runSweep(target, models, tasks, loader, {
        ...ctx.jobOptions(),
        onCell: (p) => progressLine(`sweep: ${p.done}/${p.total} ${p.cell} (${p.seconds.toFixed(1)} s)${p.done < p.total ? `, ETA ${eta(p.eta)}` : ''}`, p.done < p.total),
      });
    } finally {
      await loader.dispose();
    }
    const p = presentation(models, labels, significance);
    const { sig, rows } = analyseResults(run.models, bootstrap, metrics, p);
    const output = evalOutput('polyglot-lens sweep', run.models, tasks.map((t) => ({ kind: t.kind, settings: t.settings })), bootstrap, sig, rows, metrics, p);
    // Each file is renamed into place; the cells stay, so the table can be rebuilt by rerunning.
    for (const [name, text] of Object.entries(resultsFiles(output, script, sweepTitle(base)))) await writeSweepFile(target, name, text);
    ctx.print({ out, models, cells: models.length * tasks.length, computed: run.computed, reused: run.reused, seconds: Math.round((performance.now() - t0) / 10) / 100, table: join(out, 'results.md') });
  },
};
