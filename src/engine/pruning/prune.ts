/**
 * createVariant: computes keep masks for every linear layer inside the decoder blocks
 * (methods.md §3) and registers them as a named variant of the loaded model. Weights are never
 * copied or changed: a variant is masks (1 byte per weight) plus its record.
 */
import type { JobOptions } from '../api';
import { UserError, yieldIfAborted } from '../errors';
import type { LoadedModel, Variant } from '../model/model';
import type { WeightSpec } from '../arch/types';
import { calibrationRecord } from './calibrationRecord';
import { weightSeed } from './prng';
import { countZeros, maskLinear, maskMatrixMagnitude, nmRule, randomMask, unstructuredRule, type RowRule } from './select';
import { checkCalibration, inputSumSq } from './stats';
import { PrunedVariant, type CalibrationInput, type LinearSparsity, type PruneCalibration, type PruneSpec, type VariantInfo } from './types';
import { resolveSpec } from './validate';

type Linear = WeightSpec & { linear: NonNullable<WeightSpec['linear']> };

export function linearWeights(model: LoadedModel): Linear[] {
  return model.specs.filter((s): s is Linear => s.linear !== undefined);
}

/**
 * Per-input factor f[j] with score S[r,j] = |W[r,j]|·f[j]:
 * - wanda: f = sqrt(s);
 * - prog: f = sqrt(s_mt² / s_code). A feature never seen in code (s_code = 0) gets +∞ (kept
 *   first) when the translation set uses it, and 0 when neither set does (0/0 taken as 0).
 */
export function wandaFactor(s: Float64Array): Float64Array {
  const f = new Float64Array(s.length);
  for (let j = 0; j < s.length; j++) f[j] = Math.sqrt(s[j]!);
  return f;
}

export function progFactor(sMt: Float64Array, sCode: Float64Array): Float64Array {
  const f = new Float64Array(sMt.length);
  for (let j = 0; j < sMt.length; j++) {
    const num = sMt[j]! * sMt[j]!;
    f[j] = num === 0 ? 0 : Math.sqrt(num / sCode[j]!);
  }
  return f;
}

export async function createVariant(
  model: LoadedModel,
  name: string,
  spec: PruneSpec,
  calibration: PruneCalibration = {},
  o: JobOptions = {},
): Promise<PrunedVariant> {
  const r = resolveSpec(model, spec, calibration);
  for (const [role, set] of Object.entries(calibration)) {
    if (!set) continue;
    if (set.precomputed && r.mode !== 'oneshot') throw new UserError('--calibration-stats', 'precomputed statistics serve one-shot pruning only (sequential pruning recalibrates after each block); add --mode oneshot');
    if (!set.precomputed) checkCalibration(model, set.sequences, role === 'code' ? 'code-calibration' : 'calibration');
  }
  const linears = linearWeights(model);
  const ruleFor = (l: Linear): RowRule => (r.nm ? nmRule(r.nm) : unstructuredRule(l.shape[1]!, r.sparsity));
  const masks = new Map<string, Uint8Array>();
  const maskOne = (l: Linear, factor: Float64Array | undefined): void => {
    masks.set(l.name, maskLinear(model.weight(l.name), l.shape[0]!, l.shape[1]!, factor, ruleFor(l)));
  };

  if (r.method === 'magnitude' || r.method === 'random') {
    for (const [i, l] of linears.entries()) {
      await yieldIfAborted(o.signal);
      if (r.method === 'magnitude' && r.magnitudeScope === 'matrix') masks.set(l.name, maskMatrixMagnitude(model.weights.get(l.name)!, r.sparsity, r.referenceCompatible));
      else if (r.method === 'magnitude') maskOne(l, undefined);
      else masks.set(l.name, randomMask(l.shape[0]! * l.shape[1]!, r.sparsity, weightSeed(r.seed, l.name)));
      o.onProgress?.({ fraction: (i + 1) / linears.length, message: `masked ${l.name}` });
    }
  } else {
    // referenceCompatible: padding counted as the reference counts it (sequences padded to the longest).
    const seqs = (c: CalibrationInput): number[][] => (r.referenceCompatible ? padToLongest(c.sequences, padId(model)) : c.sequences);
    const sums = async (c: CalibrationInput, hooks: string[], partial: Variant | undefined): Promise<Map<string, Float64Array>> =>
      c.precomputed ? c.precomputed.sumsq : inputSumSq(model, seqs(c), hooks, partial, o);
    const factors = async (hooks: string[], partial: Variant | undefined): Promise<Map<string, Float64Array>> => {
      if (r.method === 'wanda') {
        const s = await sums(calibration.calibration!, hooks, partial);
        return new Map([...s].map(([h, v]) => [h, wandaFactor(v)]));
      }
      const mt = await sums(calibration.translation!, hooks, partial);
      const code = await sums(calibration.code!, hooks, partial);
      return new Map([...mt].map(([h, v]) => [h, progFactor(v, code.get(h)!)]));
    };
    if (r.mode === 'oneshot') {
      const f = await factors(linears.map((l) => l.linear.inputHook), undefined);
      for (const l of linears) maskOne(l, f.get(l.linear.inputHook));
      o.onProgress?.({ fraction: 1, message: 'masked every linear layer' });
    } else {
      // Sequential: block i is calibrated with blocks 0..i-1 already masked; its own linears are
      // all scored from that one (dense-for-block-i) pass, then masked together.
      for (let layer = 0; layer < model.cfg.nLayers; layer++) {
        const inBlock = linears.filter((l) => l.linear.layer === layer);
        if (inBlock.length === 0) continue;
        const partial: Variant | undefined = masks.size ? new Map(masks) : undefined;
        const f = await factors(inBlock.map((l) => l.linear.inputHook), partial);
        for (const l of inBlock) maskOne(l, f.get(l.linear.inputHook));
        o.onProgress?.({ fraction: (layer + 1) / model.cfg.nLayers, message: `pruned block ${layer + 1}/${model.cfg.nLayers}` });
      }
    }
  }

  const info: VariantInfo = {
    name,
    kind: 'pruned',
    method: r.method,
    ...(r.mode ? { mode: r.mode } : {}),
    ...(r.nm ? { nm: r.nm } : {}),
    seed: r.seed,
    ...(r.magnitudeScope ? { magnitudeScope: r.magnitudeScope } : {}),
    ...(r.referenceCompatible ? { referenceCompatible: true } : {}),
    targetSparsity: r.sparsity,
    calibration: Object.fromEntries(Object.entries(calibration).filter(([, c]) => c).map(([role, c]) => [role, calibrationRecord(c!)])),
    ...sparsityReport(linears, masks),
    createdAt: new Date().toISOString(),
  };
  const variant = new PrunedVariant(info, masks);
  model.variants.set(name, variant);
  return variant;
}

/**
 * referenceCompatible calibration: every sequence right-padded to the longest of its set, and the
 * padding fed as ordinary positions so it is counted, as the reference code counts the padding of
 * its fixed-length batches. (Its padded positions also attend only to real tokens; here they attend
 * to earlier padding as well — documented in methods.md.)
 */
export function padToLongest(sequences: number[][], pad: number): number[][] {
  const longest = Math.max(...sequences.map((s) => s.length));
  return sequences.map((s) => (s.length === longest ? s : [...s, ...new Array<number>(longest - s.length).fill(pad)]));
}

/** The padding token: the tokenizer's pad token, else EOS (as HF tokenizers are usually set up for causal LMs), else 0. */
export function padId(model: LoadedModel): number {
  return model.tokenizer.padId ?? model.tokenizer.eosId ?? 0;
}

/** Achieved sparsity per masked linear and overall. */
export function sparsityReport(linears: Linear[], masks: Map<string, Uint8Array>): Pick<VariantInfo, 'achievedSparsity' | 'linears'> {
  let zeroed = 0;
  let total = 0;
  const rows: LinearSparsity[] = [];
  for (const l of linears) {
    const m = masks.get(l.name);
    if (!m) continue;
    const z = countZeros(m);
    zeroed += z;
    total += m.length;
    rows.push({ weight: l.name, layer: l.linear.layer, kind: l.linear.kind, zeroed: z, total: m.length, sparsity: z / m.length });
  }
  return { achievedSparsity: total ? zeroed / total : 0, linears: rows };
}
