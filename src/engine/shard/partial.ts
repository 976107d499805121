/**
 * A partial-statistics folder, what `neurons|features|prune … --shard i/N` writes:
 * - `partial.safetensors`: the shard's sums as F64 tensors (exact for counts far past 2^24);
 * - `partial-records.json` (evaluation shards): the per-item scores, checksummed like the statistics;
 * - `partial.json`: the manifest — kind, model and corpus fingerprints, the settings that shape
 *   the numbers, the shard i/N, summed scalars (token and sequence counts), descriptive data the
 *   final step needs (language order, setting labels), and the sha256 of partial.safetensors.
 * The folder is built under a temporary name and renamed into place (io/outputs.ts), and the
 * manifest is written last, so an interrupted shard leaves either nothing or a temporary folder
 * (`.NAME.polyglot-lens-tmp-PID`, or `NAME.tmp-PID` from older builds), which readPartial
 * refuses; a file changed or cut after the fact fails its checksum.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readSafetensorsHeader, readTensorF64, writeSafetensors } from '../checkpoint/safetensors';
import { UserError } from '../errors';
import { readUserBytes, readUserText, sha256UserFile } from '../io/userFile';
import type { ShardSpec } from './shard';

export const PARTIAL_FORMAT = 'polyglot-lens-partial';
export const PARTIAL_VERSION = 1;
export const MANIFEST_FILE = 'partial.json';
export const STATS_FILE = 'partial.safetensors';
/** Per-item records (evaluation scores), JSON; only partials that have them. */
export const RECORDS_FILE = 'partial-records.json';

export type PartialKind = 'neurons' | 'features' | 'wanda' | 'eval' | 'sweep';
const KINDS: readonly PartialKind[] = ['neurons', 'features', 'wanda', 'eval', 'sweep'];

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
  /** sha256 of partial-records.json, where the partial has per-item records. */
  recordsSha256?: string;
}

export interface Partial {
  dir: string;
  manifest: PartialManifest;
  tensors: Map<string, Float64Array>;
  /** The records file's content (undefined when the partial has none). */
  records?: unknown;
}

export type PartialContent = Omit<PartialManifest, 'format' | 'version' | 'tensors' | 'statsSha256' | 'recordsSha256'>;

/**
 * Records as JSON that gives back the same numbers: NaN, ±Infinity and −0 (which JSON has no
 * words for) are written as {"nonFinite": "NaN"} etc. and read back as the numbers.
 */
export function recordsJson(records: unknown): string {
  return JSON.stringify(records, (_k, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? { nonFinite: Object.is(v, -0) ? '-0' : String(v) } : v));
}

export function parseRecords(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === 'nonFinite' && typeof o.nonFinite === 'string') return Number(o.nonFinite);
    }
    return v;
  });
}

/** sha256 of a whole file, read 4 MiB at a time through the checked descriptor (never the whole file in memory). */
const sha256File = (file: string): string => sha256UserFile(file);

export function writePartialInto(dir: string, content: PartialContent, tensors: Map<string, Float64Array>, records?: unknown): void {
  const list = [...tensors].map(([name, data]) => ({ name, dtype: 'F64' as const, shape: [data.length], data }));
  const stats = join(dir, STATS_FILE);
  writeSafetensors(stats, list);
  let recordsSha256: string | undefined;
  if (records !== undefined) {
    writeFileSync(join(dir, RECORDS_FILE), recordsJson(records));
    recordsSha256 = sha256File(join(dir, RECORDS_FILE));
  }
  const manifest: PartialManifest = {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    ...content,
    tensors: list.map((t) => ({ name: t.name, length: t.data.length })),
    statsSha256: sha256File(stats),
    ...(recordsSha256 ? { recordsSha256 } : {}),
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
    KINDS.includes(m.kind) &&
    isObject(m.model) && typeof m.model.fingerprint === 'string' &&
    isObject(m.corpus) && typeof m.corpus.fingerprint === 'string' &&
    isObject(m.settings) && isObject(m.info) && isObject(m.scalars) &&
    Object.values(m.scalars).every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    isObject(m.shard) && Number.isInteger(m.shard.index) && Number.isInteger(m.shard.count) && m.shard.index >= 0 && m.shard.index < m.shard.count &&
    Array.isArray(m.tensors) && typeof m.statsSha256 === 'string' && (m.recordsSha256 === undefined || typeof m.recordsSha256 === 'string');
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
  if (m.recordsSha256 === undefined) return { dir: dirArg, manifest: m, tensors };
  const rf = join(dir, RECORDS_FILE);
  if (!existsSync(rf)) throw new UserError(dirArg, `${RECORDS_FILE} is missing`);
  // Per-item scores of one shard: a table (tens of MB for 210k XNLI items), through the one door for user files.
  const text = readUserBytes(rf, 'table');
  if (createHash('sha256').update(text).digest('hex') !== m.recordsSha256) throw new UserError(rf, 'checksum does not match partial.json (file changed or cut after the shard finished)');
  return { dir: dirArg, manifest: m, tensors, records: parseRecords(text.toString('utf8')) };
}
