/**
 * Opens a Hugging Face checkpoint folder as users have it on disk: config.json, the weights
 * (model.safetensors or pytorch_model.bin, single or sharded: see weightfiles.ts), tokenizer files and
 * generation_config.json. Only reads; the engine never writes into a model folder.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors';
import { ConfigReader } from './config';
import { readJson } from './json';
import { readTensorF32, type TensorEntry } from './safetensors';
import { findWeightFiles, readWeightHeaders, type WeightFiles } from './weightfiles';

export interface Checkpoint {
  dir: string;
  config: ConfigReader;
  generationConfig: ConfigReader | undefined;
  tensors: Map<string, TensorEntry>;
  weightFiles: WeightFiles;
  /** Tensors present but not F32/F16/BF16 (integer or bool buffers of .bin checkpoints). */
  otherTensors: string[];
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

  const weightFiles = findWeightFiles(dir);
  const { tensors: entries, others } = readWeightHeaders(weightFiles);
  const tensors = new Map<string, TensorEntry>();
  for (const e of entries) tensors.set(e.name, e);
  return { dir, config, generationConfig, tensors, weightFiles, otherTensors: others };
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
    if (!e) {
      const files = this.ckpt.weightFiles.format === 'pytorch' ? 'pytorch_model.bin' : 'safetensors';
      throw new UserError(this.ckpt.weightFiles.origin, `tensor ${name} not found in the ${files} files (the first missing tensor this architecture needs)`);
    }
    if (shape && (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i]))) {
      throw new UserError(e.file, `tensor ${e.name} has shape [${e.shape.join(', ')}] but config.json implies [${shape.join(', ')}]`);
    }
    return e;
  }

  read(name: string, shape?: number[]): Float32Array {
    return readTensorF32(this.entry(name, shape));
  }
}
