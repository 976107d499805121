/**
 * Opens a Hugging Face checkpoint folder as users have it on disk: config.json, one
 * model.safetensors or shards listed in model.safetensors.index.json, tokenizer files and
 * generation_config.json. Only reads; the engine never writes into a model folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors';
import { ConfigReader } from './config';
import { readSafetensorsHeader, readTensorF32, type TensorEntry } from './safetensors';

export interface Checkpoint {
  dir: string;
  config: ConfigReader;
  generationConfig: ConfigReader | undefined;
  tensors: Map<string, TensorEntry>;
}

/** config.json, generation_config.json and the shard index stay far below this. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    // statSync first: reading a FIFO would block forever, and a JSON side file is never huge.
    const st = statSync(file);
    if (!st.isFile()) throw new UserError(file, 'is not a plain file');
    if (st.size > MAX_JSON_BYTES) throw new UserError(file, `${st.size} bytes is implausibly large for this file`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UserError(file, `not a JSON object (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * A shard named in the index, as a path inside the model folder: a bare relative name (no `..`,
 * not absolute) naming a regular file. The folder's own entries may be symlinks (the Hugging Face
 * cache links snapshots to blobs), but the index may not point elsewhere, nor at a FIFO or device
 * (which would hang the loader).
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
    throw new UserError(f, 'shard listed in model.safetensors.index.json is missing');
  }
  if (!st.isFile()) throw new UserError(f, 'shard listed in model.safetensors.index.json is not a plain file');
  return f;
}

export function openCheckpoint(dirArg: string): Checkpoint {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new UserError(dirArg, 'model folder does not exist');
  if (!statSync(dir).isDirectory()) throw new UserError(dirArg, 'is not a folder (expected a Hugging Face checkpoint folder)');
  const configFile = join(dir, 'config.json');
  if (!existsSync(configFile)) throw new UserError(configFile, 'missing (not a Hugging Face checkpoint folder?)');
  const config = new ConfigReader(configFile, readJson(configFile));
  const genFile = join(dir, 'generation_config.json');
  const generationConfig = existsSync(genFile) ? new ConfigReader(genFile, readJson(genFile)) : undefined;

  const tensors = new Map<string, TensorEntry>();
  const single = join(dir, 'model.safetensors');
  const index = join(dir, 'model.safetensors.index.json');
  let files: string[];
  if (existsSync(single)) {
    files = [single];
  } else if (existsSync(index)) {
    const map = readJson(index).weight_map;
    if (typeof map !== 'object' || map === null) throw new UserError(index, 'missing weight_map');
    files = [...new Set(Object.values(map as Record<string, unknown>))].map((f) => shardPath(index, dir, f));
  } else {
    throw new UserError(dir, 'no model.safetensors or model.safetensors.index.json');
  }
  for (const f of files) {
    for (const e of readSafetensorsHeader(f)) tensors.set(e.name, e);
  }
  return { dir, config, generationConfig, tensors };
}

/**
 * Tensor lookup tolerant of the two naming schemes real checkpoints use: with the base-model
 * prefix (`model.layers.0…`) and without it (`layers.0…`, as base-model-only exports have).
 */
export class TensorLookup {
  constructor(private readonly ckpt: Checkpoint) {}

  find(name: string): TensorEntry | undefined {
    const t = this.ckpt.tensors;
    return t.get(name) ?? t.get(name.replace(/^model\./, '')) ?? t.get(`model.${name}`);
  }

  entry(name: string, shape?: number[]): TensorEntry {
    const e = this.find(name);
    if (!e) throw new UserError(this.ckpt.dir, `tensor ${name} not found in the safetensors files`);
    if (shape && (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i]))) {
      throw new UserError(e.file, `tensor ${e.name} has shape [${e.shape.join(', ')}] but config.json implies [${shape.join(', ')}]`);
    }
    return e;
  }

  read(name: string, shape?: number[]): Float32Array {
    return readTensorF32(this.entry(name, shape));
  }
}
