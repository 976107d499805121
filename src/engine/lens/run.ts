/**
 * The latent-language lens on one prompt (methods.md §8): one forward pass that, with resident
 * weights, ends with the lens head over every layer's rows (GraphPlan.lens, model/lensHead.ts), so
 * only the head's reductions leave it; otherwise (block-by-block weights) and for a linear lens it
 * captures every layer's residual stream ([T, d_model] each) and the stand-alone head graph
 * (graph.ts) reads them in chunks whose [rows, vocab] distribution stays under LENS_CHUNK_BYTES. Returns top-k tokens, entropy, language mass and target probabilities per
 * (layer, position) for the logit lens and, when a fitted one is given, the linear lens.
 */
import { basename } from 'node:path';
import type { JobOptions, NeuronMask, TensorData } from '../api';
import { throwIfAborted, UserError } from '../errors';
import * as ort from '../onnx/ort';
import type { LoadedModel, Variant } from '../model/model';
import type { GraphPlan } from '../model/plan';
import type { FusedLensHead } from '../model/lensHead';
import type { LatentLanguageResult, LensKind, LensTarget, LensView } from '../../shared/lens';
import { buildLensGraph, lensGraphKey, LENS_BIAS, LENS_MAP, LENS_ROWS, type LensGraphSpec } from './graph';
import { LENS_IDS, LENS_LANGUAGES, LENS_OUT } from '../model/lensHead';
import { lensHooks } from '../hooks';
import type { LinearLens } from './linear';
import type { TokenLanguageProfile } from './profile';
import { identityOf, lensRowCache, RowTable, type LensRowResult } from './rowCache';
import { isByteLevel, targetIds, vocabularyBytes } from './vocabulary';

/** Tokens kept per (layer, position): enough for a hover card. */
export const DEFAULT_LENS_TOP_K = 10;
/**
 * Bytes of one chunk's [rows, vocab] lens distribution (the graph holds a few such tensors at once):
 * 256 rows of a 32,000-token vocabulary, 32 of Gemma's 256,000.
 */
export const LENS_CHUNK_BYTES = 32 * 1024 * 1024;

export interface LensOptions extends JobOptions {
  k?: number;
  /** Strings whose probability is reported (every token that starts them, methods.md §8). */
  targets?: string[];
  profile?: TokenLanguageProfile;
  /** A fitted linear lens: its view follows the logit lens's. */
  linear?: LinearLens;
  /** The prompt's tokens with texts and offsets when the caller has them (Analyze did): not decoded again. */
  tokens?: readonly { id: number; text: string; start: number | null; end: number | null }[];
  /** false: the stand-alone head graph even where the head could be fused into the forward (`lens --dataset`, whose row store warms up over many prompts; tests compare the two). */
  fuse?: boolean;
}

export interface LensRequest extends LensOptions {
  text: string;
  deactivate?: NeuronMask;
  variant?: Variant;
}

const vocabBytes = new WeakMap<LoadedModel, (Uint8Array | null)[]>();

/** Each vocabulary id's bytes (vocabulary.ts), computed once per loaded model. */
export function modelVocabularyBytes(model: LoadedModel): (Uint8Array | null)[] {
  let b = vocabBytes.get(model);
  if (!b) vocabBytes.set(model, (b = vocabularyBytes(model.tokenizer, isByteLevel(model.ckpt.dir), model.cfg.vocabSize)));
  return b;
}

export function checkTopK(model: LoadedModel, k: number | undefined): number {
  const v = k ?? DEFAULT_LENS_TOP_K;
  if (!(Number.isInteger(v) && v >= 1 && v <= model.cfg.vocabSize)) throw new UserError('--top', `must be an integer from 1 to the vocabulary size (${model.cfg.vocabSize}), got ${k}`);
  return v;
}

/** The ids each target counts; a target no token starts is an error naming it. */
export function resolveTargets(model: LoadedModel, targets: string[] | undefined): { text: string; ids: number[] }[] {
  const bytes = modelVocabularyBytes(model);
  return (targets ?? []).map((text) => {
    if (text.trim() === '') throw new UserError('--targets', 'an empty target string');
    const ids = targetIds(bytes, text);
    if (ids.length === 0) throw new UserError('--targets', `no token of ${model.name}'s vocabulary starts ${JSON.stringify(text)}`);
    return { text, ids };
  });
}

/**
 * A request's lens, resolved once before the forward: what the forward must add for
 * lensFromCapture to read the lens from it. On a model that runs whole-model graphs the logit lens's
 * head is fused into the forward (GraphPlan.lens: no second session, no residual streams out);
 * otherwise, and for a linear lens, the forward captures every layer's residual stream and the
 * stand-alone head graph (graph.ts) reads them.
 */
export interface PreparedLens {
  k: number;
  targets: { text: string; ids: number[] }[];
  /** Every target's ids, each once: the columns of the head's gathered log-probabilities. */
  allIds: number[];
  /** Hooks the forward captures (lensHooks; none when the head is fused and no linear lens reads them). */
  capture: string[];
  /** The fused head's spec and run inputs (GraphPlan.lens, RunOptions.lens). */
  fused?: FusedLensHead;
}

/**
 * `positions`: the prompt's token count. The fused head computes every (layer, position) row in one
 * run, so it is used only while those rows' [rows, vocab] distribution stays within
 * LENS_CHUNK_BYTES, the bound the stand-alone head's chunks keep (default model: prompts up to 292
 * tokens); longer prompts and larger vocabularies take the chunked stand-alone head.
 */
export function prepareLens(model: LoadedModel, o: LensOptions, positions: number): PreparedLens {
  const k = checkTopK(model, o.k);
  const targets = resolveTargets(model, o.targets);
  const allIds = [...new Set(targets.flatMap((t) => t.ids))];
  const fits = (model.cfg.nLayers + 1) * positions * model.cfg.vocabSize * 4 <= LENS_CHUNK_BYTES;
  const fuse = (o.fuse ?? true) && model.fusesLensHead && fits;
  const C = o.profile ? o.profile.languages.length + 1 : 0;
  return {
    k,
    targets,
    allIds,
    capture: fuse && !o.linear ? [] : lensHooks(model.cfg.nLayers),
    ...(fuse ? { fused: { spec: { k, targets: allIds.length > 0, languages: C }, inputs: { ids: allIds, ...(o.profile ? { languages: o.profile.matrix } : {}) } } } : {}),
  };
}

/** Runs the prompt and reads every layer through the lens. */
export async function runLens(model: LoadedModel, req: LensRequest, o: JobOptions = {}): Promise<LatentLanguageResult> {
  const ids = model.encodeInput(req.text, 'prompt');
  model.checkLength(ids.length, 'prompt');
  const lens = prepareLens(model, req, ids.length);
  o.onProgress?.({ fraction: 0, message: 'running the prompt' });
  const plan: GraphPlan = {
    capture: lens.capture,
    stats: [],
    kvCache: false,
    lastPositionOnly: false,
    ...model.interventionPlan(req.deactivate, req.variant),
    ...(lens.fused ? { lens: lens.fused.spec } : {}),
  };
  const out = await model.run([ids], plan, { deactivate: req.deactivate, variant: req.variant, ...(lens.fused ? { lens: lens.fused.inputs } : {}) });
  throwIfAborted(o.signal);
  return lensFromCapture(model, req.text, ids, out, { ...req, ...o }, lens);
}

/**
 * The lens from a forward that ran `lens` (prepareLens): the fused head's outputs when it carried
 * the head, else the residual streams it captured (lensHooks), read by the stand-alone head.
 */
export async function lensFromCapture(model: LoadedModel, text: string, ids: number[], out: Record<string, TensorData>, o: LensOptions, lens = prepareLens(model, o, ids.length)): Promise<LatentLanguageResult> {
  const { nLayers: L, dModel: D } = model.cfg;
  const T = ids.length;
  const { k, targets } = lens;
  const fused = out[LENS_OUT.topLogp] ? fusedView(model, out, T, lens, o.profile) : undefined;
  const hidden = fused && !o.linear ? [] : lensHooks(L).map((h) => {
    const t = out[h];
    if (!t || t.data.length !== T * D) throw new Error(`the forward did not capture ${h} for ${T} positions`);
    return t.data;
  });
  o.onProgress?.({ fraction: 0.5, message: 'reading every layer through the lens' });
  const views = [fused ?? (await lensView(model, hidden, T, k, targets, o.profile, undefined, o.signal))];
  if (o.linear) views.push(await lensView(model, hidden, T, k, targets, o.profile, o.linear, o.signal));
  return {
    model: { dir: model.ckpt.dir, name: basename(model.ckpt.dir), nLayers: L },
    text,
    tokens: promptTokens(model, text, ids, o.tokens),
    layers: L + 1,
    k,
    languages: o.profile?.languages ?? [],
    profile: o.profile?.origin ?? '',
    vocab: vocabInfo(model, views, o.profile),
    lenses: views,
  };
}

/** The logit lens from the fused head's outputs (GraphPlan.lens), rows layer-major as lensView numbers them. */
function fusedView(model: LoadedModel, out: Record<string, TensorData>, T: number, lens: PreparedLens, profile: TokenLanguageProfile | undefined): LensView {
  const R = (model.cfg.nLayers + 1) * T;
  const C = profile ? profile.languages.length + 1 : 0;
  const N = lens.allIds.length;
  const read = (name: string, width: number): Float32Array => {
    const t = out[name];
    if (!t || t.data.length !== R * width) throw new Error(`the fused lens head gave no ${name} for ${R} rows × ${width}`);
    return t.data;
  };
  const topIds = Int32Array.from(read(LENS_OUT.topId, lens.k));
  const idLogp = N ? read(LENS_OUT.idLogp, N) : new Float32Array(0);
  return {
    kind: 'logit',
    topIds,
    topLogp: read(LENS_OUT.topLogp, lens.k),
    entropy: read(LENS_OUT.entropy, 1),
    mass: C ? read(LENS_OUT.mass, C) : new Float32Array(0),
    targets: lensTargets(lens.targets, lens.allIds, idLogp, R),
  };
}

/** Each target's probability per row: the sum over its ids of exp(log p), from the gathered [rows, ids] log-probabilities. */
function lensTargets(targets: PreparedLens['targets'], allIds: number[], idLogp: Float32Array, rows: number): LensTarget[] {
  const N = allIds.length;
  const column = new Map(allIds.map((id, j) => [id, j]));
  return targets.map((t) => {
    const p = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      // Σ exp(log p) in F64 from the largest term, so a target of many tiny tokens keeps its precision.
      let max = -Infinity;
      for (const id of t.ids) max = Math.max(max, idLogp[r * N + column.get(id)!]!);
      let s = 0;
      for (const id of t.ids) s += Math.exp(idLogp[r * N + column.get(id)!]! - max);
      p[r] = Number.isFinite(max) ? Math.exp(max) * s : 0;
    }
    return { text: t.text, ids: t.ids, p };
  });
}

/** The prompt's tokens: the caller's when they are these ids', else decoded with their offsets. */
function promptTokens(model: LoadedModel, text: string, ids: number[], given: LensOptions['tokens']): LatentLanguageResult['tokens'] {
  if (given && given.length === ids.length && given.every((t, i) => t.id === ids[i])) return given.map(({ id, text: t, start, end }) => ({ id, text: t, start, end }));
  const texts = model.tokenizer.tokenTexts(ids);
  const offsets = model.tokenizer.offsets(text, ids);
  return ids.map((id, i) => ({ id, text: texts[i]!, start: offsets[i]?.[0] ?? null, end: offsets[i]?.[1] ?? null }));
}

const idTexts = new WeakMap<LoadedModel, Map<number, string>>();

/** Each id's text decoded alone, remembered per loaded model: a lens's top lists repeat the same few hundred ids. */
function tokenTextsCached(model: LoadedModel, ids: number[]): string[] {
  let known = idTexts.get(model);
  if (!known) idTexts.set(model, (known = new Map()));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) model.tokenizer.tokenTexts(missing).forEach((t, i) => known.set(missing[i]!, t));
  return ids.map((id) => known.get(id)!);
}

/** Text and language of every id in a top list. */
function vocabInfo(model: LoadedModel, views: LensView[], profile: TokenLanguageProfile | undefined): LatentLanguageResult['vocab'] {
  const seen = new Set<number>();
  for (const v of views) for (const id of v.topIds) seen.add(id);
  const sorted = [...seen].sort((a, b) => a - b);
  const texts = tokenTextsCached(model, sorted);
  const out: LatentLanguageResult['vocab'] = {};
  sorted.forEach((id, i) => (out[String(id)] = { text: texts[i]!, lang: profile ? tokenLanguage(profile, id) : -1 }));
  return out;
}

/** The language (index) holding ≥ 0.5 of a token's profile, or -1 (unknown or mixed). */
export function tokenLanguage(p: TokenLanguageProfile, id: number): number {
  const C = p.languages.length + 1;
  for (let l = 0; l < p.languages.length; l++) if (p.matrix[id * C + l]! >= 0.5) return l;
  return -1;
}

/** One lens (logit, or linear with `linear`) over every layer's rows, in chunks. */
async function lensView(
  model: LoadedModel,
  hidden: Float32Array[],
  T: number,
  k: number,
  targets: { text: string; ids: number[] }[],
  profile: TokenLanguageProfile | undefined,
  linear: LinearLens | undefined,
  signal?: AbortSignal,
): Promise<LensView> {
  const { nLayers: L, dModel: D, vocabSize: V } = model.cfg;
  const layers = L + 1;
  const allIds = [...new Set(targets.flatMap((t) => t.ids))];
  const C = profile ? profile.languages.length + 1 : 0;
  const perRun = Math.max(1, Math.floor(LENS_CHUNK_BYTES / (4 * V)));
  const common: Record<string, ort.OrtTensor> = {};
  if (allIds.length) common[LENS_IDS] = ort.i64(BigInt64Array.from(allIds, (i) => BigInt(i)), [allIds.length]);
  if (profile) common[LENS_LANGUAGES] = ort.f32(profile.matrix, [V, C]);
  const spec = (lin: boolean): LensGraphSpec => ({ k, targets: allIds.length > 0, languages: C, linear: lin });

  // Rows that recur across prompts (layer 0, position 0: rowCache.ts) come from the model's store or,
  // repeated within this prompt, are computed once; every other row goes to the head.
  const cache = lensRowCache(model);
  const specKey = `${k}|${allIds.join(',')}|${identityOf(profile)}|${identityOf(linear)}`;
  const rowOf = (r: number): Float32Array => hidden[Math.floor(r / T)]!.subarray((r % T) * D, (r % T + 1) * D);
  // The linear lens maps layer ℓ < L by its own A_ℓ: the same row at another layer is another result.
  const layerKey = (r: number): number => (linear && r < L * T ? Math.floor(r / T) : -1);
  const recurring = (r: number): boolean => r < T || r % T === 0;
  const compute: number[] = [];
  const cached: { r: number; hit: LensRowResult }[] = [];
  const copies: { r: number; of: number }[] = [];
  const firsts = new RowTable<{ bits: Int32Array; layerKey: number; r: number }>();
  for (let r = 0; r < layers * T; r++) {
    if (!recurring(r)) {
      compute.push(r);
      continue;
    }
    const row = rowOf(r);
    const hit = cache.get(specKey, row, layerKey(r));
    if (hit) {
      cached.push({ r, hit });
      continue;
    }
    const first = firsts.find(row, layerKey(r));
    if (first) copies.push({ r, of: first.r });
    else {
      firsts.add({ bits: new Int32Array(row.buffer, row.byteOffset, D), layerKey: layerKey(r), r });
      compute.push(r);
    }
  }

  // Chunks of rows to compute; with a linear lens every layer < L is mapped by its own A_ℓ, b_ℓ.
  interface Chunk { rows: number[]; layer?: number }
  const chunks: Chunk[] = [];
  for (const r of compute) {
    const layer = linear && r < L * T ? Math.floor(r / T) : undefined;
    const c = chunks[chunks.length - 1];
    if (c && c.layer === layer && c.rows.length < perRun) c.rows.push(r);
    else chunks.push({ rows: [r], ...(layer !== undefined ? { layer } : {}) });
  }
  const rowsOf = (c: Chunk): Float32Array => {
    const x = new Float32Array(c.rows.length * D);
    c.rows.forEach((r, i) => x.set(rowOf(r), i * D));
    return x;
  };
  const feeds = (c: Chunk): Record<string, ort.OrtTensor> => {
    const f: Record<string, ort.OrtTensor> = { ...common, [LENS_ROWS]: ort.f32(rowsOf(c), [c.rows.length, D]) };
    if (c.layer !== undefined) {
      f[LENS_MAP] = ort.f32(linear!.maps[c.layer]!, [D, D]);
      f[LENS_BIAS] = ort.f32(linear!.biases[c.layer]!, [D]);
    }
    return f;
  };
  const mapped = chunks.filter((c) => c.layer !== undefined);
  const plain = chunks.filter((c) => c.layer === undefined);
  const run = async (cs: Chunk[], lin: boolean): Promise<Record<string, ort.OrtTensor>[]> =>
    cs.length ? model.runGraph(lensGraphKey(spec(lin)), () => buildLensGraph(model.adapter, model.cfg, model.specs, spec(lin)), cs.map(feeds), signal) : [];
  const results = [...(await run(mapped, true)), ...(await run(plain, false))];

  const N = allIds.length;
  const topIds = new Int32Array(layers * T * k);
  const topLogp = new Float32Array(layers * T * k);
  const entropy = new Float32Array(layers * T);
  const mass = new Float32Array(profile ? layers * T * C : 0);
  const idLogp = new Float32Array(layers * T * N);
  const put = (r: number, x: LensRowResult): void => {
    topIds.set(x.topIds, r * k);
    topLogp.set(x.topLogp, r * k);
    entropy[r] = x.entropy;
    mass.set(x.mass, r * C);
    idLogp.set(x.idLogp, r * N);
  };
  const rowResult = (r: number): LensRowResult => ({
    topIds: topIds.slice(r * k, (r + 1) * k),
    topLogp: topLogp.slice(r * k, (r + 1) * k),
    entropy: entropy[r]!,
    mass: mass.slice(r * C, (r + 1) * C),
    idLogp: idLogp.slice(r * N, (r + 1) * N),
  });
  [...mapped, ...plain].forEach((c, i) => {
    const out = results[i]!;
    const ti = out[LENS_OUT.topId]!.data as Int32Array;
    const tl = out[LENS_OUT.topLogp]!.data as Float32Array;
    const en = out[LENS_OUT.entropy]!.data as Float32Array;
    const ms = profile ? (out[LENS_OUT.mass]!.data as Float32Array) : undefined;
    const il = N ? (out[LENS_OUT.idLogp]!.data as Float32Array) : undefined;
    // Runs of consecutive rows (most of a chunk) are copied at once.
    for (let j = 0; j < c.rows.length; ) {
      const r = c.rows[j]!;
      let n = 1;
      while (j + n < c.rows.length && c.rows[j + n] === r + n) n++;
      topIds.set(ti.subarray(j * k, (j + n) * k), r * k);
      topLogp.set(tl.subarray(j * k, (j + n) * k), r * k);
      entropy.set(en.subarray(j, j + n), r);
      if (ms) mass.set(ms.subarray(j * C, (j + n) * C), r * C);
      if (il) idLogp.set(il.subarray(j * N, (j + n) * N), r * N);
      j += n;
    }
  });
  // The recurring rows the head computed, filed in one block.
  cache.setRows(specKey, compute.filter(recurring).map((r) => ({ row: rowOf(r), layerKey: layerKey(r), at: r })), { topIds, topLogp, entropy, mass, idLogp });
  for (const { r, hit } of cached) put(r, hit);
  for (const { r, of } of copies) put(r, rowResult(of));
  const kind: LensKind = linear ? 'linear' : 'logit';
  return { kind, topIds, topLogp, entropy, mass, targets: lensTargets(targets, allIds, idLogp, layers * T), ...(linear ? { source: linear.source || linear.corpus } : {}) };
}
