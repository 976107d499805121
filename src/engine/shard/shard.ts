/**
 * `--shard i/N`: a deterministic split of a corpus or calibration set for running one statistics
 * job as N independent processes (cluster array jobs). Every shard reads the same ordered stream
 * of sequences (same corpus, same tokenizer, same truncation and token limits, so the stream is
 * identical in every process) and keeps sequence k when k mod N = i. Because the split is taken
 * after truncation and limits, the union of the shards is exactly the set one run would see.
 * Indices are 0-based, as Slurm's `--array=0-(N-1)` and Kubernetes' JOB_COMPLETION_INDEX are.
 */
import { UserError } from '../errors';

export interface ShardSpec {
  index: number;
  count: number;
}

/** The whole input as one shard (a single run). */
export const WHOLE: ShardSpec = { index: 0, count: 1 };

export function parseShard(text: string, subject = '--shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(subject, `expected i/N with 0 ≤ i < N (e.g. 0/4), got ${JSON.stringify(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index < count && Number.isSafeInteger(count))) throw new UserError(subject, `expected i/N with 0 ≤ i < N, got ${index}/${count}`);
  return { index, count };
}

export function inShard(k: number, s: ShardSpec): boolean {
  return k % s.count === s.index;
}

export function shardLabel(s: ShardSpec): string {
  return `${s.index}/${s.count}`;
}

/** The sequences of `all` that belong to shard `s` (order kept). */
export function shardOf<T>(all: readonly T[], s: ShardSpec): T[] {
  return all.filter((_, k) => inShard(k, s));
}
