/**
 * `--plan [--target 2h]` on the corpus, evaluation and sweep commands: the job's plan
 * (engine/plan/estimate.ts) as one JSON line `{"plan": {…}}` on stdout and one human line on
 * stderr; nothing runs (beyond a short calibration) and nothing is written.
 */
import type { OptionSpec } from '../args';
import type { CliContext } from '../context';
import { UserError } from '../../engine/errors';
import type { LoadedModel } from '../../engine/model/model';
import { durationText, parseDuration, type JobPlan } from '../../engine/plan/estimate';
import type { DecodeSample } from '../../engine/plan/decode';
import { planSingleModel, type ModelJob } from '../../engine/plan/singleModel';
import { flopsText } from '../../shared/flops';

export const PLAN_OPTIONS: Record<string, OptionSpec> = {
  plan: { kind: 'flag', help: 'print the job\'s plan — sequences, tokens (real and padded), forward passes, FLOPs, peak memory by weights mode, a wall-time estimate from a short measured calibration — and exit without running it or writing anything' },
  target: { kind: 'string', help: 'with --plan: a wall time per process (2h, 90m, 600s); the plan adds the --shard count N that meets it' },
};

/** --plan alone: the commands that do not shard (a shard count means nothing there; `lens` has its own --target). */
export const PLAN_FLAG: Record<string, OptionSpec> = { plan: PLAN_OPTIONS.plan! };

/** --target's seconds (with --plan only). */
export function targetArg(ctx: CliContext): number | undefined {
  const t = ctx.args.string('target');
  if (t !== undefined && !ctx.args.flag('plan')) throw new UserError('--target', 'goes with --plan (it sizes the shards of a planned job)');
  return t === undefined ? undefined : parseDuration(t);
}

export function printPlan(ctx: CliContext, plan: JobPlan): void {
  const e = plan.estimate;
  const shards = plan.target ? (plan.target.shards === null ? `; ${plan.target.note}` : `; --shard i/${plan.target.shards} meets ${durationText(plan.target.seconds)} (${durationText(plan.target.secondsPerShard!)} a shard)`) : '';
  process.stderr.write(`polyglot-lens: plan: ${plan.sequences} sequences, ${plan.tokens.real} tokens (${plan.tokens.padded} padded), ${plan.forwardPasses} forward passes, ${flopsText(plan.flops)}; about ${e.text}${shards}\n`);
  ctx.print({ plan });
}

/**
 * Prints the plan of a single-model job (engine/plan/singleModel.ts). `shards: false` for a command
 * without --shard (no --target); `decode`: a slice of the job run for real to learn how long
 * generation runs (plan/decode.ts).
 */
export async function planModelJob(ctx: CliContext, command: string, model: LoadedModel, job: ModelJob, o: { shards?: boolean; decode?: () => Promise<DecodeSample | undefined> } = {}): Promise<void> {
  const target = o.shards === false ? undefined : targetArg(ctx);
  printPlan(ctx, await planSingleModel(command, model, job, { loadSeconds: ctx.loadSeconds, startSeconds: ctx.startSeconds, target, decode: o.decode, signal: ctx.signal }));
}

/** Whether --plan was given (and --target only with it). */
export function planRequested(ctx: CliContext): boolean {
  targetArg(ctx);
  return ctx.args.flag('plan');
}
