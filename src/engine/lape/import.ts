/**
 * Imports per-language activation counts computed elsewhere — the LAPE reference repository's
 * activation.py (RUCAIBox/Language-Specific-Neurons) saves, per language, `n` (counted tokens)
 * and `over_zero` (int32 [num_layers, intermediate_size]: positions where the MLP activation is
 * > 0) — and runs our selection on them, so the result opens in the Language neurons panel.
 *
 * The reference writes those dicts with torch.save (a pickle inside a zip); they are read as they
 * are through the engine's restricted unpickler (checkpoint/torchbin.ts: nothing in the file is
 * executed). The same data is also accepted as .safetensors (tensors over_zero and n) or JSON
 * {"n": N, "over_zero": [[…], …]}. Files are `LANG=FILE` or named so the language can be read from
 * the name: `activation.LANG.train.*` (the reference's own names), `LANG.safetensors|json`.
 */
import { basename } from 'node:path';
import { readSafetensorsHeader, readTensorF64 } from '../checkpoint/safetensors';
import { readTorchBinHeader } from '../checkpoint/torchbin';
import { isZip } from '../checkpoint/zip';
import { UserError } from '../errors';
import { readUserText, statUserFile } from '../io/userFile';
import { isLanguageCode } from '../../shared/languages';
import { checkFraction, DEFAULT_ENTROPY_QUANTILE, DEFAULT_PROB_QUANTILE, type LapeCounts } from './lape';

export interface ImportedCounts {
  lang: string;
  file: string;
  n: number;
  /** [nLayers · dMlp], layer-major as over_zero is stored. */
  overZero: Float64Array;
  nLayers: number;
  dMlp: number;
}

export function languageOfFile(arg: string): { lang: string; file: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && !arg.slice(0, eq).includes('/')) return { lang: arg.slice(0, eq), file: arg.slice(eq + 1) };
  const name = basename(arg);
  const m = /^activation\.([^.]+)\./.exec(name) ?? /^([^.]+)\.(safetensors|json)$/.exec(name);
  if (!m || !isLanguageCode(m[1]!)) throw new UserError(arg, 'cannot tell the language from the file name; write LANG=FILE (e.g. fr=activation.fr.train.llama-7b.safetensors)');
  return { lang: m[1]!, file: arg };
}

/**
 * Bounds on over_zero's shape, far past any real model (405B Llama: 126 layers × 53,248): a shape
 * outside them is corrupt, and an empty one ([0, 2^50]) would pass every count check and give an
 * empty result.
 */
const MAX_LAYERS = 4096;
const MAX_D_MLP = 1 << 22;

function checkShape(file: string, shape: readonly number[]): [number, number] {
  const [nLayers, dMlp] = shape as [number, number];
  const ok = (v: number, max: number): boolean => Number.isInteger(v) && v >= 1 && v <= max;
  if (shape.length !== 2 || !ok(nLayers, MAX_LAYERS) || !ok(dMlp, MAX_D_MLP)) {
    throw new UserError(file, `over_zero has shape [${shape.join(', ')}]; expected [num_layers, intermediate_size] with 1-${MAX_LAYERS} layers and 1-${MAX_D_MLP} neurons per layer`);
  }
  return [nLayers, dMlp];
}

function checkCounts(file: string, n: number, over: Float64Array): void {
  if (!(Number.isInteger(n) && n > 0)) throw new UserError(file, `n must be a positive token count, got ${n}`);
  for (let i = 0; i < over.length; i++) {
    const v = over[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v <= n)) throw new UserError(file, `over_zero[${i}] = ${v} is not a count between 0 and n (${n})`);
  }
}

export function readActivationCounts(arg: string): ImportedCounts {
  const { lang, file } = languageOfFile(arg);
  if (file.endsWith('.safetensors')) {
    const entries = new Map(readSafetensorsHeader(file).map((e) => [e.name, e]));
    const oz = entries.get('over_zero');
    const ne = entries.get('n');
    if (!oz || oz.shape.length !== 2) throw new UserError(file, 'needs a 2-D tensor over_zero [num_layers, intermediate_size]');
    const [nLayers, dMlp] = checkShape(file, oz.shape);
    if (!ne || ne.shape.reduce((a, b) => a * b, 1) !== 1) throw new UserError(file, 'needs a one-element tensor n (the token count)');
    const over = oz.dtype === 'F64' || oz.dtype === 'I32' || oz.dtype === 'I64' ? readTensorF64(oz) : null;
    if (!over) throw new UserError(file, `over_zero is ${oz.dtype}; save it as the reference does (int32) or as int64/float64`);
    const n = ne.dtype === 'F64' || ne.dtype === 'I32' || ne.dtype === 'I64' ? readTensorF64(ne)[0]! : NaN;
    checkCounts(file, n, over);
    return { lang, file, n, overZero: over, nLayers, dMlp };
  }
  if (file.endsWith('.json')) {
    let v: { n?: unknown; over_zero?: unknown };
    try {
      v = JSON.parse(readUserText(file, 'table')) as typeof v;
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(file, `cannot read JSON counts (${(e as Error).message.split('\n')[0]})`);
    }
    const rows = v?.over_zero;
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === (rows[0] as unknown[]).length)) {
      throw new UserError(file, 'over_zero must be a non-empty array of equal-length rows [num_layers][intermediate_size]');
    }
    const [nLayers, dMlp] = checkShape(file, [rows.length, (rows[0] as unknown[]).length]);
    const over = Float64Array.from((rows as unknown[][]).flat(), (x) => (typeof x === 'number' ? x : NaN));
    const n = typeof v.n === 'number' ? v.n : NaN;
    checkCounts(file, n, over);
    return { lang, file, n, overZero: over, nLayers, dMlp };
  }
  // Stat'ed before isZip opens it: a FIFO or device is refused here, not waited on.
  statUserFile(file, 'data');
  if (isZip(file)) {
    const { numeric, scalars } = readTorchBinHeader(file);
    const oz = numeric.find((e) => e.name === 'over_zero');
    if (!oz || oz.shape.length !== 2) throw new UserError(file, 'needs an integer tensor over_zero [num_layers, intermediate_size] (the dict activation.py saves)');
    const [nLayers, dMlp] = checkShape(file, oz.shape);
    const n = scalars.get('n') ?? NaN;
    const over = readTensorF64(oz);
    checkCounts(file, n, over);
    return { lang, file, n, overZero: over, nLayers, dMlp };
  }
  throw new UserError(file, 'unsupported counts file: give the torch.save file activation.py wrote, .safetensors (over_zero, n) or .json {"n", "over_zero"}');
}

export function importedLapeCounts(files: string[], o: { probQuantile?: number; entropyQuantile?: number } = {}): LapeCounts {
  if (files.length < 2) throw new UserError('import-lape', 'give the counts of at least two languages');
  const all = files.map(readActivationCounts);
  const dup = all.find((c, i) => all.findIndex((x) => x.lang === c.lang) !== i);
  if (dup) throw new UserError(dup.file, `language ${dup.lang} is given twice`);
  const a = all[0]!;
  const bad = all.find((c) => c.nLayers !== a.nLayers || c.dMlp !== a.dMlp);
  if (bad) throw new UserError(bad.file, `over_zero is [${bad.nLayers}, ${bad.dMlp}] but ${a.file} has [${a.nLayers}, ${a.dMlp}] (different models?)`);
  return {
    languages: all.map((c) => c.lang),
    counts: all.map((c) => c.overZero),
    tokenCounts: all.map((c) => c.n),
    nLayers: a.nLayers,
    dMlp: a.dMlp,
    maxLength: 0,
    maxTokensPerLang: null,
    probQuantile: checkFraction(o.probQuantile ?? DEFAULT_PROB_QUANTILE, '--prob-quantile', false),
    entropyQuantile: checkFraction(o.entropyQuantile ?? DEFAULT_ENTROPY_QUANTILE, '--top-rate', true),
    corpus: `imported: ${all.map((c) => basename(c.file)).join(', ')}`,
    corpusFingerprint: '',
  };
}
