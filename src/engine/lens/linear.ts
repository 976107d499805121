/**
 * The linear lens (Din et al. 2023, "Jump to Conclusions"; methods.md §8): per layer ℓ < L an
 * affine map h_ℓ ↦ h_ℓ·A_ℓ + b_ℓ fitted by least squares to the last layer's residual stream h_L
 * over the positions of a corpus; the lens then reads the mapped rows through the model's own
 * final norm and unembedding. At ℓ = L the map is the identity, so both lenses end at the logits.
 *
 * The corpus is streamed: per batch the forward captures every layer's residual stream and a small
 * F64 graph adds X̃ᵀX̃ and X̃ᵀY to the normal equations (X̃ = [h_ℓ, 1], Y = h_L), so memory is
 * (D+1)·(2D+1) doubles per layer whatever the corpus size; when all layers' do not fit, the fit
 * takes the layers in groups, one pass over the corpus each (fitGroups). Positions holding a special token (BOS) are
 * left out: their residual norms are orders of magnitude larger (attention sinks) and would decide
 * the fit. Each layer's equations are solved in F64 (leastSquaresSolve).
 */
import type { JobOptions } from '../api';
import { readSafetensorsHeader, readSafetensorsMetadata, readTensorF32, writeSafetensors } from '../checkpoint/safetensors';
import { chooseLanguages } from '../corpus/open';
import { languageSequences } from '../corpus/tokens';
import type { Corpus } from '../corpus/types';
import { throwIfAborted, UserError } from '../errors';
import { modelFingerprint } from '../neuron/fingerprint';
import { GraphBuilder } from '../onnx/graph';
import { DType } from '../onnx/proto';
import * as ort from '../onnx/ort';
import type { LoadedModel } from '../model/model';
import { lengthGroupedBatches } from '../stats/batches';
import { groupBatches } from '../stats/runStats';
import { resolveMaxLength } from '../lape/lape';
import { availableMemory } from '../model/weights';
import { lensHooks } from '../hooks';
import { lensPlan } from './hidden';

export const LINEAR_LENS_FILE = 'linear-lens.safetensors';
const FORMAT = 'polyglot-lens linear lens 1';
/** Tokens per forward run while fitting (each captures L + 1 residual streams). */
const FIT_BATCH_TOKENS = 512;
/** Rows per normal-equations run: a fixed shape (NormalEquations). */
export const FIT_CHUNK_ROWS = 512;

export interface LinearLens {
  /** Per layer ℓ = 0 … L−1: A_ℓ as [d_model (in), d_model (out)], rows · A_ℓ. */
  maps: Float32Array[];
  biases: Float32Array[];
  /** Share of the variance of h_L the map explains over the fit positions, per layer. */
  r2: number[];
  /** Rank of [h_ℓ, 1] over the fit positions per layer (d_model + 1 unless the corpus is too uniform, e.g. few distinct tokens at layer 0). */
  ranks: number[];
  positions: number;
  corpus: string;
  /** The file it was read from (empty when just fitted). */
  source: string;
}

export interface LinearFitOptions extends JobOptions {
  languages?: string[];
  maxLength?: number;
  maxTokensPerLang?: number;
  /** Layers whose normal equations one pass over the corpus accumulates (default: as many as the memory holds, fitGroups). */
  layersPerPass?: number;
}

/**
 * The normal equations of every layer, accumulated chunk by chunk. Rows are copied into one
 * preallocated chunk of FIT_CHUNK_ROWS rows and the F64 graph runs on whole chunks only (the last
 * one padded with zero rows, which add nothing to X̃ᵀX̃ or X̃ᵀY): every run has the same shapes, so
 * onnxruntime's arena reuses the same blocks and nothing is allocated per batch in JS. With a
 * shape per batch instead, `lens fit` grew from 189 to 244 MiB over 64× the corpus (arena and heap
 * fragments); see docs/performance.md.
 */
export class NormalEquations {
  readonly gram: Float64Array[]; // per layer [(D+1), (D+1)]
  readonly cross: Float64Array[]; // per layer [(D+1), D]
  readonly ySum: Float64Array; // [D]
  ySq = 0;
  n = 0;
  /** Graph runs so far (each on one full chunk). */
  runs = 0;
  private readonly x: Float32Array; // [L, R, D+1]: the rows with a 1 appended (the bias)
  private readonly y: Float32Array; // [R, D]
  private pending = 0;

  constructor(readonly layers: number, readonly d: number, readonly chunkRows = FIT_CHUNK_ROWS) {
    this.gram = Array.from({ length: layers }, () => new Float64Array((d + 1) * (d + 1)));
    this.cross = Array.from({ length: layers }, () => new Float64Array((d + 1) * d));
    this.ySum = new Float64Array(d);
    this.x = new Float32Array(layers * chunkRows * (d + 1));
    this.y = new Float32Array(chunkRows * d);
  }

  /**
   * Adds the rows `rows` of a forward's residual streams: `hidden[ℓ]` [N, D] for ℓ = 0 … L (the
   * last one is the target h_L). Runs the graph whenever a chunk fills.
   */
  async addRows(model: LoadedModel, hidden: Float32Array[], rows: readonly number[], signal?: AbortSignal): Promise<void> {
    const { layers: L, d: D, chunkRows: R } = this;
    for (const r of rows) {
      const i = this.pending;
      for (let l = 0; l < L; l++) {
        this.x.set(hidden[l]!.subarray(r * D, (r + 1) * D), (l * R + i) * (D + 1));
        this.x[(l * R + i) * (D + 1) + D] = 1;
      }
      this.y.set(hidden[L]!.subarray(r * D, (r + 1) * D), i * D);
      if (++this.pending === R) await this.flush(model, signal);
    }
  }

  /** Runs the graph on the rows added since the last run (the rest of the chunk zeroed). */
  async flush(model: LoadedModel, signal?: AbortSignal): Promise<void> {
    const { layers: L, d: D, chunkRows: R, pending: n } = this;
    if (n === 0) return;
    if (n < R) {
      for (let l = 0; l < L; l++) this.x.fill(0, (l * R + n) * (D + 1), (l + 1) * R * (D + 1));
      this.y.fill(0, n * D);
    }
    // One layer per graph run: onnxruntime's output and its copy in JS then hold one layer's
    // X̃ᵀX̃ and X̃ᵀY, not every layer's, so the fit's memory is the accumulators plus one layer
    // (7B-shaped: 0.27 GiB per layer, not 0.79). Each layer's sums are the same GEMM either way.
    const y = ort.f32(this.y, [R, D]);
    for (let l = 0; l < L; l++) {
      const x = ort.f32(this.x.subarray(l * R * (D + 1), (l + 1) * R * (D + 1)), [R, D + 1]);
      const [out] = await model.runGraph(`normal:${D}:${R}`, () => normalEquationsGraph(D, R), [{ x, y }], signal);
      const gram = out!.gram!.data as Float64Array; // [D+1, D+1]
      const cross = out!.cross!.data as Float64Array; // [D+1, D]
      const g = this.gram[l]!, c = this.cross[l]!;
      for (let i = 0; i < g.length; i++) g[i]! += gram[i]!;
      for (let i = 0; i < c.length; i++) c[i]! += cross[i]!;
    }
    for (let i = 0; i < n * D; i++) {
      const v = this.y[i]!;
      this.ySum[i % D]! += v;
      this.ySq += v * v;
    }
    this.n += n;
    this.pending = 0;
    this.runs++;
  }

  /** Solves every layer: W = (X̃ᵀX̃)⁻¹ X̃ᵀY, split into A (first D rows) and b (last row). */
  solve(corpus: string): LinearLens {
    const { layers: L, d: D } = this;
    if (this.pending) throw new Error('flush() the normal equations before solving');
    if (this.n < D + 1) throw new UserError(corpus, `${this.n} positions fit no linear lens: at least d_model + 1 = ${D + 1} are needed (more is better)`);
    let sst = this.ySq;
    for (let j = 0; j < D; j++) sst -= (this.ySum[j]! * this.ySum[j]!) / this.n;
    const maps: Float32Array[] = [], biases: Float32Array[] = [], r2: number[] = [], ranks: number[] = [];
    for (let l = 0; l < L; l++) {
      const { W: w, rank } = leastSquaresSolve(this.gram[l]!, this.cross[l]!, D + 1, D, this.n);
      ranks.push(rank);
      maps.push(Float32Array.from(w.subarray(0, D * D)));
      biases.push(Float32Array.from(w.subarray(D * D)));
      // SSE = Σ‖y‖² − tr(Wᵀ X̃ᵀY) at the least-squares solution.
      let explained = 0;
      const c = this.cross[l]!;
      for (let i = 0; i < c.length; i++) explained += w[i]! * c[i]!;
      r2.push(sst > 0 ? 1 - (this.ySq - explained) / sst : NaN);
    }
    return { maps, biases, r2, ranks, positions: this.n, corpus, source: '' };
  }
}

/** One layer's gram = X̃ᵀX̃ [D+1, D+1] and cross = X̃ᵀY [D+1, D] in F64, from x [R, D+1] and y [R, D]. */
function normalEquationsGraph(D: number, R: number): Uint8Array {
  const g = new GraphBuilder();
  const x = g.op('Cast', [g.input('x', DType.FLOAT, [R, D + 1])], { to: DType.DOUBLE }); // [R, D+1]
  const y = g.op('Cast', [g.input('y', DType.FLOAT, [R, D])], { to: DType.DOUBLE }); // [R, D]
  const xt = g.transpose(x, [1, 0]); // [D+1, R]
  g.op('MatMul', [xt, x], undefined, 'gram', 'gram');
  g.output('gram', DType.DOUBLE, [D + 1, D + 1]);
  g.op('MatMul', [xt, y], undefined, 'cross', 'cross');
  g.output('cross', DType.DOUBLE, [D + 1, D]);
  return g.encode('linear-lens-normal-equations');
}

/**
 * Solves G·W = R for symmetric positive semi-definite G [n, n] and R [n, m] (row-major, F64): by
 * Cholesky when G is positive definite, else the minimum-norm least-squares solution (what numpy's
 * lstsq returns for a rank-deficient X) through G's eigendecomposition. numpy drops singular values
 * of X at most eps·max(rows, n)·σ_max; G = XᵀX holds σ² with rounding noise near eps·λ_max, so here
 * eigenvalues at most eps·max(rows, n)·λ_max count as zero (on the default model's embeddings the
 * gap is 3e-5 against 3e-17 relative: both rules find the same rank). A layer is rank-deficient when
 * the corpus holds fewer distinct residual vectors than d_model + 1 (the embeddings of a corpus
 * with few distinct tokens). Returns W and the rank used.
 */
export function leastSquaresSolve(G: Float64Array, R: Float64Array, n: number, m: number, rows: number): { W: Float64Array; rank: number } {
  const W = choleskySolve(G, R, n, m);
  if (W) return { W, rank: n };
  if (n > MAX_EIGEN_DIM) throw new UserError('lens fit', `the residual streams are linearly dependent over the corpus (fewer distinct positions than d_model + 1 = ${n}); use a larger, more varied corpus`);
  const { values, vectors } = symmetricEigen(G, n);
  const top = Math.max(0, ...values);
  const cut = Number.EPSILON * Math.max(rows, n) * top;
  const keep = [...values.keys()].filter((i) => values[i]! > cut);
  // W = V_k Λ_k⁻¹ V_kᵀ R
  const out = new Float64Array(n * m);
  const proj = new Float64Array(m);
  for (const k of keep) {
    proj.fill(0);
    for (let i = 0; i < n; i++) {
      const v = vectors[i * n + k]!;
      if (v === 0) continue;
      for (let c = 0; c < m; c++) proj[c]! += v * R[i * m + c]!;
    }
    const inv = 1 / values[k]!;
    for (let i = 0; i < n; i++) {
      const v = vectors[i * n + k]! * inv;
      if (v === 0) continue;
      for (let c = 0; c < m; c++) out[i * m + c]! += v * proj[c]!;
    }
  }
  return { W: out, rank: keep.length };
}

/** Beyond this size the Jacobi eigendecomposition of a rank-deficient layer would take too long in JS. */
const MAX_EIGEN_DIM = 2049;

/** Cholesky solve of G·W = R; undefined when G is not (numerically) positive definite. */
export function choleskySolve(G: Float64Array, R: Float64Array, n: number, m: number): Float64Array | undefined {
  const Lm = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, G[i * n + i]!);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G[i * n + j]!;
      for (let k = 0; k < j; k++) s -= Lm[i * n + k]! * Lm[j * n + k]!;
      if (i === j) {
        // A pivot at rounding level of the largest diagonal: G is singular to working precision.
        if (!(s > 1e-13 * maxDiag)) return undefined;
        Lm[i * n + i] = Math.sqrt(s);
      } else {
        Lm[i * n + j] = s / Lm[j * n + j]!;
      }
    }
  }
  const W = Float64Array.from(R);
  // Forward then back substitution, all m columns at once (row-major: inner loops run over columns).
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const f = Lm[i * n + k]!;
      if (f === 0) continue;
      for (let c = 0; c < m; c++) W[i * m + c]! -= f * W[k * m + c]!;
    }
    const d = Lm[i * n + i]!;
    for (let c = 0; c < m; c++) W[i * m + c]! /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const f = Lm[k * n + i]!;
      if (f === 0) continue;
      for (let c = 0; c < m; c++) W[i * m + c]! -= f * W[k * m + c]!;
    }
    const d = Lm[i * n + i]!;
    for (let c = 0; c < m; c++) W[i * m + c]! /= d;
  }
  return W;
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(S: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(S);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i]! * A[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += A[i * n + j]! * A[i * n + j]!;
    }
    if (off <= 1e-30 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!, akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!, aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!, vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => A[i * n + i]!), vectors: V };
}

/**
 * Bytes one layer's fit holds: its accumulators X̃ᵀX̃ and X̃ᵀY ((D+1)·(2D+1) doubles) and its rows
 * of the chunk (F32). On top of all layers' comes one layer's graph run (FIT_RUN_BYTES).
 */
export function fitBytesPerLayer(D: number, R = FIT_CHUNK_ROWS): number {
  return (D + 1) * (2 * D + 1) * 8 + R * (D + 1) * 4;
}

/** One layer's graph run: onnxruntime's X̃ᵀX̃ and X̃ᵀY and their copy in JS, and the chunk cast and transposed to F64. */
export function fitRunBytes(D: number, R = FIT_CHUNK_ROWS): number {
  return 2 * (D + 1) * (2 * D + 1) * 8 + 2 * R * (D + 1) * 8;
}

/**
 * The layers fitted per pass over the corpus: all of them when their normal equations fit in
 * `budget` bytes, else groups of as many consecutive layers as fit (each group one more pass: the
 * forward runs again, only the memory is split). A 7B-shaped model (32 layers, d_model 4096) holds
 * 0.26 GiB per layer and 0.54 GiB for the run, 8.9 GiB for all at once. `layersPerPass` forces the group size.
 */
export function fitGroups(L: number, D: number, budget: number, layersPerPass?: number): number[][] {
  const perLayer = fitBytesPerLayer(D);
  const g = layersPerPass ?? Math.min(L, Math.floor((budget - fitRunBytes(D)) / perLayer));
  if (g < 1) {
    const need = perLayer + fitRunBytes(D);
    throw new UserError('lens fit', `the normal equations of one layer of d_model ${D} need ${(need / 1024 ** 3).toFixed(2)} GiB; ${(budget / 1024 ** 3).toFixed(2)} GiB are available`);
  }
  return Array.from({ length: Math.ceil(L / g) }, (_, i) => Array.from({ length: Math.min(g, L - i * g) }, (_, j) => i * g + j));
}

/** Half the memory available when the fit starts: the forward's own buffers and the solve need the rest. */
const fitBudget = (): number => availableMemory() / 2;

/**
 * Fits the linear lens of every layer over the corpus (all of its languages, or `languages`),
 * in as few passes over the corpus as the memory allows (fitGroups): each pass runs the same
 * forward and accumulates the normal equations of its group of layers only, then solves them and
 * frees them. Every layer's equations are the same sums in the same order whatever the grouping,
 * so the maps do not depend on it (test/lens/linear-groups.test.ts).
 */
export async function fitLinearLens(model: LoadedModel, corpus: Corpus, o: LinearFitOptions = {}): Promise<LinearLens & { passes: number }> {
  const { nLayers: L, dModel: D } = model.cfg;
  if (o.layersPerPass !== undefined && !(Number.isInteger(o.layersPerPass) && o.layersPerPass >= 1)) throw new UserError('--layers-per-pass', `must be an integer ≥ 1, got ${o.layersPerPass}`);
  const groups = fitGroups(L, D, fitBudget(), o.layersPerPass);
  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  const maxLength = resolveMaxLength(model, o.maxLength);
  const hooks = lensHooks(L);
  // One plan for every pass (all residual streams captured): the forward is the same session and the same numbers each time.
  const plan = lensPlan(L);
  const lens: LinearLens = { maps: [], biases: [], r2: [], ranks: [], positions: 0, corpus: corpus.name, source: '' };
  for (const [gi, group] of groups.entries()) {
    const eq = new NormalEquations(group.length, D);
    for (const [li, lang] of languages.entries()) {
      const pass = groups.length > 1 ? ` (layers ${group[0]}–${group[group.length - 1]}, pass ${gi + 1}/${groups.length})` : '';
      o.onProgress?.({ fraction: (gi + li / languages.length) / groups.length, message: `fitting the linear lens: ${lang}${pass}` });
      const batches = lengthGroupedBatches(languageSequences(corpus, lang, model.tokenizer, { maxLength, maxTokens: o.maxTokensPerLang }, o.signal), FIT_BATCH_TOKENS);
      for await (const batchGroup of groupBatches(model, batches, (b) => b)) {
        throwIfAborted(o.signal);
        const outs = await model.runMany(batchGroup, plan, {}, o.signal);
        for (const [bi, seqs] of batchGroup.entries()) {
          const out = outs[bi]!;
          const T = Math.max(...seqs.map((s) => s.length));
          // Rows that count: real (not padding) positions whose token is not special.
          const rows: number[] = [];
          seqs.forEach((s, b) => s.forEach((id, t) => {
            if (!model.tokenizer.isSpecial(id)) rows.push(b * T + t);
          }));
          // This group's layers, then the target h_L: [B·T, D] each.
          await eq.addRows(model, [...group.map((l) => out[hooks[l]!]!.data), out[hooks[L]!]!.data], rows, o.signal);
        }
      }
    }
    await eq.flush(model, o.signal);
    o.onProgress?.({ fraction: (gi + 1) / groups.length, message: `solving ${group.length} least-squares problems over ${eq.n} positions` });
    const part = eq.solve(corpus.name);
    lens.maps.push(...part.maps);
    lens.biases.push(...part.biases);
    lens.r2.push(...part.r2);
    lens.ranks.push(...part.ranks);
    lens.positions = part.positions;
  }
  return { ...lens, passes: groups.length };
}

export function writeLinearLens(file: string, model: LoadedModel, lens: LinearLens): void {
  const D = model.cfg.dModel;
  writeSafetensors(
    file,
    lens.maps.flatMap((a, l) => [
      { name: `layer.${l}.map`, dtype: 'F32' as const, shape: [D, D], data: a },
      { name: `layer.${l}.bias`, dtype: 'F32' as const, shape: [D], data: lens.biases[l]! },
    ]),
    {
      format: FORMAT,
      model: model.name,
      model_fingerprint: modelFingerprint(model),
      n_layers: String(model.cfg.nLayers),
      d_model: String(D),
      corpus: lens.corpus,
      positions: String(lens.positions),
      r2: JSON.stringify(lens.r2),
      ranks: JSON.stringify(lens.ranks),
    },
  );
}

/** Reads a `lens fit` file; one fitted for another model (or another version of it) is refused. */
export function readLinearLens(file: string, model: LoadedModel): LinearLens {
  const meta = readSafetensorsMetadata(file) ?? {};
  if (meta.format !== FORMAT) throw new UserError(file, 'is not a linear lens of polyglot-lens (make one with `polyglot-lens lens fit --corpus … --out DIR`)');
  if (meta.model_fingerprint !== modelFingerprint(model)) throw new UserError(file, `was fitted for ${meta.model ?? 'another model'}, not this version of ${model.name}; fit it again for this model`);
  const { nLayers: L, dModel: D } = model.cfg;
  const entries = new Map(readSafetensorsHeader(file).map((e) => [e.name, e]));
  const tensor = (name: string, shape: number[]): Float32Array => {
    const e = entries.get(name);
    if (!e || e.shape.join(',') !== shape.join(',')) throw new UserError(file, `tensor ${name} must have shape [${shape.join(', ')}]`);
    return readTensorF32(e);
  };
  return {
    maps: Array.from({ length: L }, (_, l) => tensor(`layer.${l}.map`, [D, D])),
    biases: Array.from({ length: L }, (_, l) => tensor(`layer.${l}.bias`, [D])),
    r2: JSON.parse(meta.r2 ?? '[]') as number[],
    ranks: JSON.parse(meta.ranks ?? '[]') as number[],
    positions: Number(meta.positions),
    corpus: meta.corpus ?? '',
    source: file,
  };
}
