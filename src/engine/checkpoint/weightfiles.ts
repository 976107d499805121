/**
 * Which files of a checkpoint folder hold the weights, in Hugging Face's order of preference:
 * model.safetensors, its sharded index, pytorch_model.bin, its sharded index. Shards named by an
 * index must be regular files inside the folder, so an index cannot point the reader anywhere
 * else on disk.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors';
import { readJson } from './json';
import { readSafetensorsHeader, type TensorEntry } from './safetensors';
import { readTorchBinHeader } from './torchbin';

export type WeightFormat = 'safetensors' | 'pytorch';

export interface WeightFiles {
  format: WeightFormat;
  files: string[];
  /** The file a user would look at: the single weights file or the index. */
  origin: string;
}

/**
 * A shard named in an index, as a path inside the model folder: a relative name (no `..`, not
 * absolute) naming a regular file. The folder's own entries may be symlinks (the Hugging Face
 * cache links snapshots to blobs), but the index may not point elsewhere, nor at a FIFO or
 * device (which would hang the loader).
 */
function shardPath(index: string, dir: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new UserError(index, `weight_map values must be shard file names, got ${JSON.stringify(name)}`);
  const f = resolve(dir, name);
  const rel = relative(dir, f);
  if (isAbsolute(name) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UserError(index, `shard ${JSON.stringify(name)} is outside the model folder; shards must be files inside it`);
  }
  let st;
  try {
    st = statSync(f);
  } catch {
    throw new UserError(f, `shard listed in ${basename(index)} is missing`);
  }
  if (!st.isFile()) throw new UserError(f, `shard listed in ${basename(index)} is not a plain file`);
  return f;
}

function shardsOf(index: string, dir: string): string[] {
  const map = readJson(index).weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new UserError(index, 'missing weight_map');
  return [...new Set(Object.values(map as Record<string, unknown>))].map((n) => shardPath(index, dir, n));
}

export function findWeightFiles(dir: string): WeightFiles {
  const candidates: [string, WeightFormat, boolean][] = [
    ['model.safetensors', 'safetensors', false],
    ['model.safetensors.index.json', 'safetensors', true],
    ['pytorch_model.bin', 'pytorch', false],
    ['pytorch_model.bin.index.json', 'pytorch', true],
  ];
  for (const [name, format, isIndex] of candidates) {
    const f = join(dir, name);
    if (!existsSync(f)) continue;
    return { format, files: isIndex ? shardsOf(f, dir) : [f], origin: f };
  }
  throw new UserError(dir, 'no model.safetensors or model.safetensors.index.json (nor pytorch_model.bin or pytorch_model.bin.index.json)');
}

/** Tensor entries of every weight file, plus names of tensors that are not F32/F16/BF16. */
export function readWeightHeaders(w: WeightFiles): { tensors: TensorEntry[]; others: string[] } {
  const tensors: TensorEntry[] = [];
  const others: string[] = [];
  for (const f of w.files) {
    if (w.format === 'safetensors') {
      tensors.push(...readSafetensorsHeader(f));
    } else {
      const r = readTorchBinHeader(f);
      tensors.push(...r.tensors);
      others.push(...r.others.map((o) => o.name));
    }
  }
  return { tensors, others };
}
