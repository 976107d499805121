import type { Args, OptionSpec } from '../args';
import { parseShard, type ShardSpec } from '../../engine/shard/shard';
import type { CliContext } from '../context';
import { UserError } from '../../engine/errors';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  run(ctx: CliContext): Promise<void>;
  /** `name SUB …`: a first positional naming one of these runs it instead (e.g. `neurons index`). */
  subcommands?: Command[];
}

export const MODEL_OPTION: Record<string, OptionSpec> = {
  model: { kind: 'string', help: 'Hugging Face checkpoint folder (default: the embedded multilingual model)' },
};

export const SHARD_OPTION: Record<string, OptionSpec> = {
  shard: { kind: 'string', help: 'i/N (0 ≤ i < N): compute only shard i of N of the input and write partial statistics to --out; combine all N with `merge`' },
};

export const EVAL_SHARD_OPTION: Record<string, OptionSpec> = {
  shard: { kind: 'string', help: 'i/N (0 ≤ i < N): score only shard i of N of the cells × items and write per-item scores to --out (a partial folder); combine all N with `merge`. A rerun into a finished shard\'s folder does nothing (prints "reused": true)' },
};

/**
 * `neurons` and `features` read every statistic from the unpruned model in one pass: one-shot is
 * their only mode. `--mode oneshot` is accepted so the three shardable commands take one command
 * line shape (`… --mode oneshot --shard i/N`, docs/cli.md); anything else is refused with why.
 */
export const ONESHOT_MODE_OPTION: Record<string, OptionSpec> = {
  mode: { kind: 'string', help: 'oneshot (the only mode: statistics come from the unpruned model in one pass; accepted so neurons, features and prune --mode oneshot shard alike)' },
};

export function checkOneshotMode(a: Args, command: string): void {
  const mode = a.string('mode');
  if (mode !== undefined && mode !== 'oneshot') throw new UserError('--mode', `${command} has one mode, oneshot (its statistics come from the unpruned model in one pass; sequential applies to prune only), got ${JSON.stringify(mode)}`);
}

export function shardArg(a: Args): ShardSpec | undefined {
  const v = a.string('shard');
  return v === undefined ? undefined : parseShard(v);
}
