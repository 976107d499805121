/**
 * Which files of a checkpoint folder hold the weights, in Hugging Face's order of preference:
 * model.safetensors, its sharded index, pytorch_model.bin, its sharded index. Shards named by an
 * index must be plain file names inside the folder (no directories, no `..`, no absolute paths),
 * so an index cannot point the reader anywhere else on disk.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors';
import { readSafetensorsHeader, type TensorEntry } from './safetensors';
import { readTorchBinHeader } from './torchbin';

export type WeightFormat = 'safetensors' | 'pytorch';

export interface WeightFiles {
  format: WeightFormat;
  files: string[];
  /** The file a user would look at: the single weights file or the index. */
  origin: string;
}

function shardsOf(index: string, dir: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(index, 'utf8'));
  } catch (e) {
    throw new UserError(index, `not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new UserError(index, 'missing weight_map');
  const names = [...new Set(Object.values(map as Record<string, unknown>))];
  return names.map((n) => {
    if (typeof n !== 'string' || n === '' || n !== basename(n) || n.includes('\\') || n === '.' || n === '..') {
      throw new UserError(index, `shard ${JSON.stringify(n)} is not a plain file name inside the model folder`);
    }
    const f = join(dir, n);
    if (!existsSync(f)) throw new UserError(f, `shard listed in ${basename(index)} is missing`);
    if (!statSync(f).isFile()) throw new UserError(f, `shard listed in ${basename(index)} is not a regular file`);
    return f;
  });
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
