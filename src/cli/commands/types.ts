import type { Args, OptionSpec } from '../args';
import { parseShard, type ShardSpec } from '../../engine/shard/shard';
import type { CliContext } from '../context';

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

export function shardArg(a: Args): ShardSpec | undefined {
  const v = a.string('shard');
  return v === undefined ? undefined : parseShard(v);
}
