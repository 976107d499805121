/**
 * Writes a pruned variant as a Hugging Face checkpoint folder that any loader (this engine,
 * transformers) reads: config.json, one model.safetensors with the masked weights, the tokenizer
 * files, generation_config.json and pruning.json (how it was made). Built in a temp folder and
 * renamed into place; never over an existing folder unless `overwrite`, never in, inside or
 * above the source model's folder (an overwrite there would delete the source).
 */
import { copyFileSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { writeFolderAtomic } from '../io/atomic';
import { UserError } from '../errors';
import type { LoadedModel, Variant } from '../model/model';
import { TensorLookup } from '../checkpoint/checkpoint';
import { readTensorF32, writeSafetensors, type SafetensorsDType, type TensorToWrite } from '../checkpoint/safetensors';
import { linearWeights, sparsityReport } from './prune';
import { PrunedVariant, type VariantInfo } from './types';

export interface ExportOptions {
  /** `source`: each tensor in the dtype the checkpoint stored it in (default); `F32`: all F32. */
  dtype?: 'source' | 'F32';
  /** Replace an existing output folder (the extension asks the user first). */
  overwrite?: boolean;
}

export interface ExportResult {
  outDir: string;
  files: string[];
  tensors: number;
  pruning: PruningRecord;
}

/** pruning.json: the variant's record plus what was exported from where. */
export interface PruningRecord extends Omit<VariantInfo, 'linears'> {
  sourceModel: string;
  dtype: string;
  perLinear: { layer: number; kind: string; weight: string; zeroed: number; total: number; sparsity: number }[];
  tool: string;
}

/** Tokenizer and model-card side files copied verbatim when the source has them. */
const SIDE_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'tokenizer.model',
  'added_tokens.json',
  'vocab.json',
  'merges.txt',
  'chat_template.jinja',
  'chat_template.json',
];

const TORCH_DTYPE: Record<SafetensorsDType, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64', I32: 'int32', I64: 'int64' };

/** Real path of `p`, or of its nearest existing ancestor joined with the rest (p may not exist yet). */
function realish(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realish(parent), basename(abs));
}

const within = (child: string, parent: string): boolean => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export function checkOutDir(model: LoadedModel, outDir: string, overwrite: boolean): void {
  const out = realish(outDir);
  const src = realpathSync(model.ckpt.dir);
  if (within(out, src)) throw new UserError(outDir, `is the source model's folder or inside it (${src}); choose a folder elsewhere`);
  if (within(src, out)) throw new UserError(outDir, `contains the source model (${src}); choose a folder elsewhere`);
  if (existsSync(out) && !overwrite) throw new UserError(outDir, 'output folder already exists (choose a new --out)');
}

function infoOf(model: LoadedModel, variant: Variant): VariantInfo {
  if (variant instanceof PrunedVariant) return variant.info;
  const name = [...model.variants].find(([, v]) => v === variant)?.[0] ?? 'unnamed';
  return { name, kind: 'pruned', method: 'magnitude', calibration: {}, ...sparsityReport(linearWeights(model), variant), createdAt: new Date().toISOString() };
}

/** The checkpoint's tensors with the variant's masks applied, in the checkpoint's own names. */
function maskedTensors(model: LoadedModel, variant: Variant, dtype: 'source' | 'F32'): TensorToWrite[] {
  const lookup = new TensorLookup(model.ckpt);
  // Checkpoint entry name → the spec that reads it (a tied LM head reads the embedding: one entry).
  const specByEntry = new Map<string, string>();
  for (const s of model.specs) {
    const e = lookup.find(s.source);
    if (e && !specByEntry.has(e.name)) specByEntry.set(e.name, s.name);
  }
  const out: TensorToWrite[] = [];
  for (const e of model.ckpt.tensors.values()) {
    const specName = specByEntry.get(e.name);
    // Values are made as each tensor is written: a model larger than memory (weights mode
    // streaming/mapped) is exported holding one tensor at a time.
    const data = (): Float32Array => {
      const w = specName ? model.weight(specName) : readTensorF32(e);
      const mask = specName ? variant.get(specName) : undefined;
      if (!mask) return w;
      const masked = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) masked[i] = mask[i] ? w[i]! : 0;
      return masked;
    };
    out.push({ name: e.name, dtype: dtype === 'F32' ? 'F32' : e.dtype, shape: e.shape, data });
  }
  return out;
}

export async function exportPrunedCheckpoint(
  model: LoadedModel,
  variantOrName: Variant | string,
  outDir: string,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  const variant = typeof variantOrName === 'string' ? model.variants.get(variantOrName) : variantOrName;
  if (!variant) throw new UserError('variant', `no variant named ${JSON.stringify(variantOrName)} (known: ${[...model.variants.keys()].join(', ') || 'none'})`);
  const dtype = opts.dtype ?? 'source';
  if (dtype !== 'source' && dtype !== 'F32') throw new UserError('dtype', `must be source or F32, got ${JSON.stringify(dtype)}`);
  checkOutDir(model, outDir, opts.overwrite ?? false);
  const info = infoOf(model, variant);
  const tensors = maskedTensors(model, variant, dtype);
  const src = model.ckpt.dir;
  const { linears, ...rest } = info;
  const record: PruningRecord = {
    ...rest,
    sourceModel: src,
    dtype: dtype === 'F32' ? 'F32' : model.info.dtype,
    perLinear: linears.map((l) => ({ layer: l.layer, kind: l.kind, weight: l.weight, zeroed: l.zeroed, total: l.total, sparsity: l.sparsity })),
    tool: 'polyglot-lens',
  };
  const files: string[] = [];
  await writeFolderAtomic(
    outDir,
    (tmp) => {
      const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as Record<string, unknown>;
      // The stored dtype changes only when F32 export widens F16/BF16 weights; say so in config.
      const dtypes = new Set(tensors.map((t) => t.dtype));
      if (dtypes.size === 1) config.torch_dtype = TORCH_DTYPE[[...dtypes][0]!];
      writeFileSync(join(tmp, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
      writeSafetensors(join(tmp, 'model.safetensors'), tensors, { format: 'pt' });
      for (const f of SIDE_FILES) if (existsSync(join(src, f))) copyFileSync(join(src, f), join(tmp, f));
      if (existsSync(join(src, 'generation_config.json'))) copyFileSync(join(src, 'generation_config.json'), join(tmp, 'generation_config.json'));
      else writeFileSync(join(tmp, 'generation_config.json'), `${JSON.stringify({ bos_token_id: model.cfg.bosId, eos_token_id: model.stopIds() }, null, 2)}\n`);
      writeFileSync(join(tmp, 'pruning.json'), `${JSON.stringify(record, null, 2)}\n`);
      files.push('config.json', 'model.safetensors', ...SIDE_FILES.filter((f) => existsSync(join(src, f))), 'generation_config.json', 'pruning.json');
    },
    { overwrite: opts.overwrite },
  );
  return { outDir: resolve(outDir), files, tensors: tensors.length, pruning: record };
}
