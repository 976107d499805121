/**
 * A partial-statistics folder, what `neurons|features|prune … --shard i/N` writes:
 * - `partial.safetensors`: the shard's sums as F64 tensors (exact for counts far past 2^24);
 * - `partial.json`: the manifest — kind, model and corpus fingerprints, the settings that shape
 *   the numbers, the shard i/N, summed scalars (token and sequence counts), descriptive data the
 *   final step needs (language order, setting labels), and the sha256 of partial.safetensors.
 * The folder is built under a temporary name and renamed into place (io/outputs.ts), and the
 * manifest is written last, so an interrupted shard leaves either nothing or a temporary folder
 * (`.NAME.polyglot-lens-tmp-PID`, or `NAME.tmp-PID` from older builds), which readPartial
 * refuses; a file changed or cut after the fact fails its checksum.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readSafetensorsHeader, readTensorF64, writeSafetensors } from '../checkpoint/safetensors';
import { UserError } from '../errors';
import { readUserText, sha256UserFile } from '../io/userFile';
import type { ShardSpec } from './shard';

export const PARTIAL_FORMAT = 'polyglot-lens-partial';
export const PARTIAL_VERSION = 1;
export const MANIFEST_FILE = 'partial.json';
export const STATS_FILE = 'partial.safetensors';

export type PartialKind = 'neurons' | 'features' | 'wanda';

export interface PartialManifest {
  format: typeof PARTIAL_FORMAT;
  version: number;
  kind: PartialKind;
  model: { name: string; fingerprint: string };
  corpus: { name: string; fingerprint: string };
  /** Every setting that changes the numbers; merge requires them equal. */
  settings: Record<string, unknown>;
  shard: ShardSpec;
  /** Integer counts, summed by merge. */
  scalars: Record<string, number>;
  /** Facts the final step needs that are the same in every shard (checked equal by merge). */
  info: Record<string, unknown>;
  /** Tensor names with their lengths, in file order. */
  tensors: { name: string; length: number }[];
  statsSha256: string;
}

export interface Partial {
  dir: string;
  manifest: PartialManifest;
  tensors: Map<string, Float64Array>;
}

export type PartialContent = Omit<PartialManifest, 'format' | 'version' | 'tensors' | 'statsSha256'>;

/** sha256 of a whole file, read 4 MiB at a time through the checked descriptor (never the whole file in memory). */
const sha256File = (file: string): string => sha256UserFile(file);

export function writePartialInto(dir: string, content: PartialContent, tensors: Map<string, Float64Array>): void {
  const list = [...tensors].map(([name, data]) => ({ name, dtype: 'F64' as const, shape: [data.length], data }));
  const stats = join(dir, STATS_FILE);
  writeSafetensors(stats, list);
  const manifest: PartialManifest = {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    ...content,
    tensors: list.map((t) => ({ name: t.name, length: t.data.length })),
    statsSha256: sha256File(stats),
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readPartial(dirArg: string): Partial {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(dirArg, 'not a folder (expected a partial folder written with --shard)');
  if (/(\.tmp-|\.polyglot-lens-tmp-)\d+$/.test(basename(dir))) throw new UserError(dirArg, 'temporary folder of an interrupted shard, not a finished partial (run that shard again)');
  const mf = join(dir, MANIFEST_FILE);
  if (!existsSync(mf)) throw new UserError(dirArg, `no ${MANIFEST_FILE} (not a partial folder, or its shard did not finish)`);
  let m: PartialManifest;
  try {
    m = JSON.parse(readUserText(mf, 'json')) as PartialManifest;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(mf, `not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObject(m) || m.format !== PARTIAL_FORMAT) throw new UserError(mf, `not a Polyglot Lens partial manifest (format must be ${PARTIAL_FORMAT})`);
  if (m.version !== PARTIAL_VERSION) throw new UserError(mf, `partial format version ${String(m.version)} is not supported (this build reads ${PARTIAL_VERSION})`);
  const ok =
    ['neurons', 'features', 'wanda'].includes(m.kind) &&
    isObject(m.model) && typeof m.model.fingerprint === 'string' &&
    isObject(m.corpus) && typeof m.corpus.fingerprint === 'string' &&
    isObject(m.settings) && isObject(m.info) && isObject(m.scalars) &&
    Object.values(m.scalars).every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    isObject(m.shard) && Number.isInteger(m.shard.index) && Number.isInteger(m.shard.count) && m.shard.index >= 0 && m.shard.index < m.shard.count &&
    Array.isArray(m.tensors) && typeof m.statsSha256 === 'string';
  if (!ok) throw new UserError(mf, 'malformed partial manifest');
  const sf = join(dir, STATS_FILE);
  if (!existsSync(sf)) throw new UserError(dirArg, `${STATS_FILE} is missing`);
  if (sha256File(sf) !== m.statsSha256) throw new UserError(sf, 'checksum does not match partial.json (file changed or cut after the shard finished)');
  const entries = new Map(readSafetensorsHeader(sf).map((e) => [e.name, e]));
  const tensors = new Map<string, Float64Array>();
  for (const t of m.tensors) {
    const e = entries.get(t.name);
    if (!e || e.dtype !== 'F64' || e.shape.length !== 1 || e.shape[0] !== t.length) throw new UserError(sf, `tensor ${t.name} is missing or not F64[${t.length}]`);
    tensors.set(t.name, readTensorF64(e));
  }
  return { dir: dirArg, manifest: m, tensors };
}
