/**
 * `eval|sweep … --shard i/N --out P`: one shard of an evaluation (engine/eval/shard.ts) written as
 * a partial folder. Rerunning a shard whose folder already holds its finished partial — same job,
 * same shard, same models and data — does nothing and prints `"reused": true`, so a scheduler can
 * resubmit a whole array after a failure and only the missing shards compute.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { evalPartial, modelsFingerprint, type EvalShardJob } from '../../engine/eval/shard';
import { scoreEvaluation } from '../../engine/eval/session';
import type { ModelSpec, SubjectLoader } from '../../engine/eval/subjects';
import type { PreparedTask } from '../../engine/eval/tasks';
import { planOutput, writeOutputFolder } from '../../engine/io/outputs';
import { canonicalJson } from '../../engine/shard/merge';
import { MANIFEST_FILE, readPartial, writePartialInto, type PartialManifest } from '../../engine/shard/partial';
import { shardLabel, type ShardSpec } from '../../engine/shard/shard';
import type { CliContext } from '../context';
import { stderrProgress } from './progress';

export interface EvalShardRun {
  job: Omit<EvalShardJob, 'modelFingerprint'>;
  specs: ModelSpec[];
  tasks: PreparedTask[];
  loader: SubjectLoader;
  shard: ShardSpec;
  out: string;
  /** What the command reads besides the models (the output may not be or hold any of it). */
  inputs: string[];
}

/** Why an existing partial is not this shard's finished result (`why` undefined: it is), and the manifest read. */
function mismatch(dir: string, job: EvalShardJob, shard: ShardSpec): { why?: string; manifest?: PartialManifest } {
  let p;
  try {
    p = readPartial(dir);
  } catch (e) {
    return { why: (e as Error).message };
  }
  const m = p.manifest;
  if (m.kind !== job.kind) return { why: `holds a ${m.kind} partial` };
  if (m.shard.index !== shard.index || m.shard.count !== shard.count) return { why: `holds shard ${shardLabel(m.shard)}` };
  if (m.model.fingerprint !== job.modelFingerprint) return { why: 'was computed with other models' };
  if (canonicalJson(m.settings) !== canonicalJson(job.settings)) return { why: 'was computed with other settings' };
  return { manifest: m };
}

export async function runEvalShard(ctx: CliContext, r: EvalShardRun): Promise<void> {
  const { shard, out } = r;
  const dirs = new Map(r.specs.map((s) => [s.spec, s.dir]));
  const tool = `${r.job.output.tool} --shard`;
  const fresh = !existsSync(out);
  // Checked before any work: an existing folder must be an output of ours to be reused or replaced.
  const target = planOutput(out, { kind: 'folder', overwrite: !fresh, inputs: [...r.specs.map((s) => s.dir), ...r.inputs], tool });
  const t0 = performance.now();
  const job: EvalShardJob = { ...r.job, modelFingerprint: modelsFingerprint(r.specs.map((s) => s.spec), (spec) => r.loader.base(dirs.get(spec)!)) };
  if (!fresh) {
    const found = existsSync(join(out, MANIFEST_FILE)) ? mismatch(out, job, shard) : { why: `has no ${MANIFEST_FILE}` };
    let why = found.why;
    if (found.manifest) {
      // Same job and shard: the data (texts, prompts, references) must be the same too.
      const dry = evalPartial(job, await scoreEvaluation(r, { dry: true, signal: ctx.signal }), shard);
      why = dry.content.corpus.fingerprint === found.manifest.corpus.fingerprint ? undefined : 'was computed on other data';
    }
    if (why === undefined) {
      ctx.print({ out, kind: r.job.kind, shard: shardLabel(shard), reused: true, seconds: Math.round(performance.now() - t0) / 1000 });
      return;
    }
    if (!ctx.args.flag('overwrite')) throw new UserError(out, `already exists and is not this shard's finished partial (it ${why}); choose a new --out, or --overwrite to replace it`);
  }
  const scores = await scoreEvaluation(r, { shard, signal: ctx.signal, onProgress: stderrProgress() });
  const { content, records } = evalPartial(job, scores, shard);
  await writeOutputFolder(target, (tmp) => writePartialInto(tmp, content, new Map(), records));
  const items = scores.reduce((n, m) => n + m.groups.reduce((k, g) => k + g.scores.size, 0), 0);
  ctx.print({ out, kind: r.job.kind, shard: shardLabel(shard), items, built: scores.filter((m) => m.groups.some((g) => g.scores.size > 0)).map((m) => m.model), reused: false, seconds: Math.round(performance.now() - t0) / 1000 });
}
