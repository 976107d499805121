/**
 * `--plan [--target 2h]` on the corpus, evaluation and sweep commands: the job's plan
 * (engine/plan/estimate.ts) as one JSON line `{"plan": {…}}` on stdout and one human line on
 * stderr; nothing runs (beyond a short calibration) and nothing is written.
 */
import type { OptionSpec } from '../args';
import type { CliContext } from '../context';
import { UserError } from '../../engine/errors';
import type { LoadedModel } from '../../engine/model/model';
import { durationText, parseDuration, planJob, type JobPlan } from '../../engine/plan/estimate';
import { WorkRecorder } from '../../engine/plan/work';

export const PLAN_OPTIONS: Record<string, OptionSpec> = {
  plan: { kind: 'flag', help: 'print the job\'s plan — sequences, tokens (real and padded), forward passes, FLOPs, peak memory by weights mode, a wall-time estimate from a short measured calibration — and exit without running it or writing anything' },
  target: { kind: 'string', help: 'with --plan: a wall time per process (2h, 90m, 600s); the plan adds the --shard count N that meets it' },
};

/** --target's seconds (with --plan only). */
export function targetArg(ctx: CliContext): number | undefined {
  const t = ctx.args.string('target');
  if (t !== undefined && !ctx.args.flag('plan')) throw new UserError('--target', 'goes with --plan (it sizes the shards of a planned job)');
  return t === undefined ? undefined : parseDuration(t);
}

export function printPlan(ctx: CliContext, plan: JobPlan): void {
  const e = plan.estimate;
  const gflop = plan.flops / 1e9;
  const shards = plan.target ? (plan.target.shards === null ? `; ${plan.target.note}` : `; --shard i/${plan.target.shards} meets ${durationText(plan.target.seconds)} (${durationText(plan.target.secondsPerShard!)} a shard)`) : '';
  process.stderr.write(`polyglot-lens: plan: ${plan.sequences} sequences, ${plan.tokens.real} tokens (${plan.tokens.padded} padded), ${plan.forwardPasses} forward passes, ${gflop >= 1000 ? `${(gflop / 1000).toFixed(1)} TFLOP` : `${gflop.toFixed(1)} GFLOP`}; about ${e.text}${shards}\n`);
  ctx.print({ plan });
}

/**
 * Plans a single-model job: `job` is the job's own work function, run on the model with its runs
 * recorded; or a function that records into the recorder itself and returns model-free work
 * (seconds by name, e.g. pruning masks).
 */
export async function planModelJob(ctx: CliContext, command: string, model: LoadedModel, job: (() => Promise<unknown>) | { record: (work: WorkRecorder) => Promise<Record<string, number>> }): Promise<void> {
  const target = targetArg(ctx);
  const work = new WorkRecorder(model);
  const t0 = performance.now();
  const extra = typeof job === 'function' ? (await work.run(job), {}) : await job.record(work);
  const enumerateSeconds = (performance.now() - t0) / 1000;
  printPlan(ctx, await planJob({ command, parts: [{ model, work, loadSeconds: ctx.loadSeconds }], enumerateSeconds, startSeconds: ctx.startSeconds, extra, target, signal: ctx.signal }));
}

/** Whether --plan was given (and --target only with it). */
export function planRequested(ctx: CliContext): boolean {
  targetArg(ctx);
  return ctx.args.flag('plan');
}
