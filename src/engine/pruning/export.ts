/**
 * Writes a pruned variant as a Hugging Face checkpoint folder that any loader (this engine,
 * transformers) reads: config.json, one model.safetensors with the masked weights, the tokenizer
 * files, generation_config.json and pruning.json (how it was made). Built in a temp folder and
 * renamed into place; never over an existing folder unless `overwrite`, never in, inside or
 * above the source model's folder (an overwrite there would delete the source).
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOutput, writeOutputFolder, type OutputTarget } from '../io/outputs';
import { UserError } from '../errors';
import { readUserText, statUserFile } from '../io/userFile';
import type { LoadedModel, Variant } from '../model/model';
import { TensorLookup } from '../checkpoint/checkpoint';
import { transpose2d } from '../checkpoint/transpose';
import type { WeightSpec } from '../arch/types';
import { isFloatDType, readTensorF32, readTensorRaw, writeSafetensors, type RawTensorToWrite, type SafetensorsDType, type TensorToWrite } from '../checkpoint/safetensors';
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

const TORCH_DTYPE: Record<SafetensorsDType, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/**
 * The output target of an export: the output policy (../io/outputs) with the source model as an
 * input, so the export is never in, inside or above the source model's folder.
 */
export function checkOutDir(model: LoadedModel, outDir: string, overwrite: boolean): OutputTarget {
  return planOutput(outDir, { kind: 'folder', overwrite, model: model.ckpt.dir, tool: 'polyglot-lens prune' });
}

function infoOf(model: LoadedModel, variant: Variant): VariantInfo {
  if (variant instanceof PrunedVariant) return variant.info;
  const name = [...model.variants].find(([, v]) => v === variant)?.[0] ?? 'unnamed';
  return { name, kind: 'pruned', method: 'magnitude', calibration: {}, ...sparsityReport(linearWeights(model), variant), createdAt: new Date().toISOString() };
}

/** The checkpoint's tensors with the variant's masks applied, in the checkpoint's own names. */
function maskedTensors(model: LoadedModel, variant: Variant, dtype: 'source' | 'F32'): (TensorToWrite | RawTensorToWrite)[] {
  const lookup = new TensorLookup(model.ckpt);
  // Checkpoint entry name → the spec that reads it (a tied LM head reads the embedding: one entry).
  const specByEntry = new Map<string, WeightSpec>();
  for (const s of model.specs) {
    const e = lookup.find(s.source);
    if (e && !specByEntry.has(e.name)) specByEntry.set(e.name, s);
  }
  const out: (TensorToWrite | RawTensorToWrite)[] = [];
  for (const e of model.ckpt.tensors.values()) {
    if (!isFloatDType(e.dtype)) {
      out.push({ name: e.name, dtype: e.dtype, shape: e.shape, raw: readTensorRaw(e) });
      continue;
    }
    const spec = specByEntry.get(e.name);
    // Values are made as each tensor is written: a model larger than memory (weights mode
    // streaming/mapped) is exported holding one tensor at a time.
    const data = (): Float32Array => {
      let w = spec ? model.weight(spec.name) : readTensorF32(e);
      const mask = spec ? variant.get(spec.name) : undefined;
      if (mask) {
        const masked = new Float32Array(w.length);
        for (let i = 0; i < w.length; i++) masked[i] = mask[i] ? w[i]! : 0;
        w = masked;
      }
      // Held as [out, in]; written back in the checkpoint's own [in, out] layout.
      return spec?.transposed ? transpose2d(w, spec.shape[0]!, spec.shape[1]!) : w;
    };
    out.push({ name: e.name, dtype: dtype === 'F32' ? 'F32' : e.dtype, shape: e.shape, data });
  }
  return out;
}

export async function exportPrunedCheckpoint(
  model: LoadedModel,
  variantOrName: Variant | string,
  out: string | OutputTarget,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  const variant = typeof variantOrName === 'string' ? model.variants.get(variantOrName) : variantOrName;
  if (!variant) throw new UserError('variant', `no variant named ${JSON.stringify(variantOrName)} (known: ${[...model.variants.keys()].join(', ') || 'none'})`);
  const dtype = opts.dtype ?? 'source';
  if (dtype !== 'source' && dtype !== 'F32') throw new UserError('dtype', `must be source or F32, got ${JSON.stringify(dtype)}`);
  const target = typeof out === 'string' ? checkOutDir(model, out, opts.overwrite ?? false) : out;
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
  await writeOutputFolder(target, (tmp) => {
    const config = JSON.parse(readUserText(join(src, 'config.json'), 'json')) as Record<string, unknown>;
    // The stored dtype changes only when F32 export widens F16/BF16 weights; say so in config.
    const dtypes = new Set(tensors.map((t) => t.dtype).filter(isFloatDType));
    if (dtypes.size === 1) config.torch_dtype = TORCH_DTYPE[[...dtypes][0]!];
    writeFileSync(join(tmp, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    writeSafetensors(join(tmp, 'model.safetensors'), tensors, { format: 'pt' });
    // Side files are stat'ed before they are copied: copying a FIFO would wait forever.
    const copy = (f: string): void => {
      statUserFile(join(src, f), 'tokenizer');
      copyFileSync(join(src, f), join(tmp, f));
    };
    for (const f of SIDE_FILES) if (existsSync(join(src, f))) copy(f);
    if (existsSync(join(src, 'generation_config.json'))) copy('generation_config.json');
    else writeFileSync(join(tmp, 'generation_config.json'), `${JSON.stringify({ bos_token_id: model.cfg.bosId, eos_token_id: model.stopIds() }, null, 2)}\n`);
    writeFileSync(join(tmp, 'pruning.json'), `${JSON.stringify(record, null, 2)}\n`);
    files.push('config.json', 'model.safetensors', ...SIDE_FILES.filter((f) => existsSync(join(src, f))), 'generation_config.json', 'pruning.json');
  });
  return { outDir: target.path, files, tensors: tensors.length, pruning: record };
}
