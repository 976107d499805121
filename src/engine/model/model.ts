/**
 * A loaded checkpoint: normalised config, tokenizer, weights (model/weights.ts: F32 resident, or
 * held in the checkpoint's precision / read from the file and widened per block) fed to
 * onnxruntime as graph inputs, and one session per graph plan. Weights as inputs rather than
 * initializers means switching pruning variants or interventions never reloads or copies the base
 * weights: a variant is a set of bool masks. In the resident mode a run is one whole-model graph;
 * otherwise it runs segment by segment (segments.ts), each with only its own weights widened.
 */
import { basename } from 'node:path';
import { openCheckpoint, TensorLookup, type Checkpoint } from '../checkpoint/checkpoint';
import { adapterFor } from '../arch/registry';
import type { ArchAdapter, ArchConfig, WeightSpec } from '../arch/types';
import type { ModelInfo, NeuronMask, TensorData } from '../api';
import { throwIfAborted, UserError } from '../errors';
import { MAX_CHARS_PER_TOKEN, ModelTokenizer, checkFitsEmbedding } from '../tokenizer/tokenizer';
import * as ort from '../onnx/ort';
import { buildGraph, buildSegmentGraph, keepInput, maskInput, planKey, planLastRank, shiftInput, TOPK_INPUT, WINDOW_MASK_INPUT, type ConstantWeight, type GraphPlan } from './plan';
import { RESID_IN, RESID_OUT, segmentsFor, type CanonicalGraph, type Segment } from './segments';
import { availableMemory, chooseWeightsMode, HEADROOM_BYTES, largestSegmentValues, openWeights, weightEntries, WidenBuffers, type WeightsMode, type WeightStore, type WidenLease } from './weights';
import { causalMask, inverseFrequencies, rotaryTables } from './positions';
import { fakeOutputs, type RunRecorder } from './record';
import { LENS_IDS, LENS_LANGUAGES, type FusedLensHead } from './lensHead';
import { GraphCache } from '../cache';
import { checkConfigConsistency } from '../arch/consistency';

/** Buffers HF itself drops on load (recomputed, not learned): rotary tables, GPT-2's causal masks. */
const IGNORED_TENSORS = /(^|\.)(rotary_emb\.inv_freq|attn\.bias|attn\.masked_bias)$/;

/** One warning line naming the tensors the adapter does not read (they are ignored, not fatal). */
function unusedTensorWarnings(ckpt: Checkpoint, lookup: TensorLookup, specs: WeightSpec[], modelType: string): string[] {
  const used = new Set(specs.map((s) => lookup.find(s.source)?.name));
  const unused = [...ckpt.tensors.keys(), ...ckpt.otherTensors].filter((n) => !used.has(n) && !IGNORED_TENSORS.test(n));
  if (unused.length === 0) return [];
  const shown = unused.slice(0, 5).join(', ') + (unused.length > 5 ? `, … (${unused.length - 5} more)` : '');
  return [`${ckpt.weightFiles.origin}: ${unused.length} tensor${unused.length > 1 ? 's' : ''} not used by ${modelType}: ${shown} (ignored)`];
}

/** Plans a session uses at once: analysis, generation, a stats job and a few variants. */
const MAX_SESSIONS = 8;

export interface ModelOptions {
  threads?: number;
  cacheDir?: string;
  /** Where graphs run (default cpu); cuda falls back to the CPU with a notice when it cannot run. */
  executionProvider?: ort.ExecutionProvider;
  /** How weights are held (default auto: from the model's size and the memory available). */
  weights?: WeightsMode | 'auto';
  /** Things a user should know that are not errors (a provider fallback). */
  onNotice?: (message: string) => void;
  /**
   * Resident weights as graph constants (`--prepack`; default: on when the cuda provider runs, off on
   * the CPU): each plan's session takes the unmasked weights as initializers over the held F32
   * arrays, so onnxruntime prepacks Gemm's B once at session creation (a GPU provider uploads
   * them once) instead of taking them as inputs on every run. Costs a packed copy per plan
   * session, within the memory left after the weights; results differ from the inputs path in
   * the last bits (MLAS's packed kernel sums in another order), so the CPU default stays the
   * path that is bit-identical to the streaming and mapped modes.
   */
  constantWeights?: boolean;
  /** Bytes the plan sessions may hold in packed copies (default: the memory available after loading, less 2 GiB of headroom). */
  constantWeightBytes?: number;
  /**
   * Block by block (streaming, mapped): F32 bytes of widened weights kept for later runs once a
   * weight is widened a second time (default: what memory allows, chooseWeightsMode; 0 widens
   * every weight on every run, as before).
   */
  retainBytes?: number;
}

/** A pruning variant: per weight name, a keep mask (1 = keep) of the weight's size. */
export type Variant = Map<string, Uint8Array>;

export interface RunOptions {
  deactivate?: NeuronMask;
  variant?: Variant;
  /** Added to hidden state i at every position (plan.residualShifts), [d_model] each. */
  shifts?: Record<number, Float32Array>;
  /** KV cache inputs (generation): past keys/values per layer and how many positions they hold. */
  past?: { length: number; tensors: Record<string, ort.OrtTensor> };
  /** k of `topK` statistics; capped at the batch's row count B·T. */
  topK?: number;
  /** The fused lens head's inputs (plan.lens): the target ids it gathers and the token-language matrix [vocab, C]. */
  lens?: FusedLensHead['inputs'];
}

export class LoadedModel {
  private readonly sessions = new Map<string, Promise<ort.Session>>();
  /** Segment graphs by plan and segment (names only; sessions are shared by graph bytes). */
  private readonly segmentGraphs = new Map<string, Omit<CanonicalGraph, 'bytes'>>();
  private readonly inv: Float64Array;
  /** Block by block: widened weights go into buffers earlier segments and runs used (weights.ts). */
  private readonly widenBuffers: WidenBuffers;
  readonly variants = new Map<string, Variant>();
  /** Set while a job is planned: runs are recorded, not computed (record.ts). */
  private recorder: RunRecorder | undefined;
  /** Batches run so far (real runs only): job plans count a sample's decoding steps with it. */
  passCount = 0;
  /** Bytes the plan sessions with constant weights may hold in packed copies (see constantWeights). */
  private packBudget = 0;
  /** Whether whole-model sessions take the resident weights as constants (ModelOptions.constantWeights). */
  readonly constantWeights: boolean;
  /** Packed bytes by session key, returned to the budget when the session is released. */
  private readonly packed = new Map<string, number>();

  private constructor(
    readonly ckpt: Checkpoint,
    readonly adapter: ArchAdapter,
    readonly cfg: ArchConfig,
    readonly specs: WeightSpec[],
    readonly weights: WeightStore,
    readonly tokenizer: ModelTokenizer,
    readonly info: ModelInfo,
    private readonly opts: ModelOptions,
    private readonly cache: GraphCache | undefined,
  ) {
    // Only rotary models have (or may have even-sized) frequency tables.
    this.inv = (cfg.positions ?? 'rotary') === 'rotary' ? inverseFrequencies(cfg) : new Float64Array(0);
    this.widenBuffers = new WidenBuffers(weights.mode === 'resident' ? 0 : largestSegmentValues(specs));
    // The weights are already held: what is available beyond them and the headroom may hold packed copies.
    // CUDA, when it really runs, takes constants by default (weights uploaded once); a fallback to the CPU keeps the CPU's default.
    this.constantWeights = weights.mode === 'resident' && (opts.constantWeights ?? info.runtime.executionProvider === 'cuda');
    if (this.constantWeights) this.packBudget = opts.constantWeightBytes ?? Math.max(0, availableMemory() - HEADROOM_BYTES);
  }

  static load(dir: string, opts: ModelOptions = {}): LoadedModel {
    const ckpt = openCheckpoint(dir);
    const modelType = ckpt.config.string('model_type');
    const adapter = adapterFor(modelType, ckpt.config.file);
    checkConfigConsistency(ckpt.config);
    const lookup = new TensorLookup(ckpt);
    const has = (n: string): boolean => lookup.find(n) !== undefined;
    const cfg = adapter.normalize(ckpt.config, has);
    // Every layer has tensors of its own: a layer count beyond the tensor count is a corrupt config,
    // refused before the weight list (one entry per layer and tensor) is built from it.
    if (cfg.nLayers > ckpt.tensors.size) {
      throw new UserError(ckpt.config.file, `the config implies ${cfg.nLayers} layers but the checkpoint holds only ${ckpt.tensors.size} tensors`);
    }
    const specs = adapter.weights(cfg, has);
    const entries = weightEntries(specs, lookup);
    const unique = new Map([...entries.values()].map(({ entry: e }) => [`${e.file}@${e.offset}`, e]));
    const dtype = [...entries.values()].at(-1)?.entry.dtype ?? 'F32';
    const parameterCount = [...unique.values()].reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
    const storedBytes = [...unique.values()].reduce((n, e) => n + e.byteLength, 0);
    const largestTensor = Math.max(0, ...[...unique.values()].map((e) => e.shape.reduce((a, b) => a * b, 4)));
    const choice = chooseWeightsMode(parameterCount * 4, storedBytes, (parameterCount * 4) / Math.max(1, cfg.nLayers) + largestTensor, opts.weights ?? 'auto');
    const weights = openWeights(choice.mode, entries, opts.retainBytes ?? choice.retainBytes);
    const tokenizer = ModelTokenizer.load(ckpt.dir);
    checkFitsEmbedding(tokenizer, cfg.vocabSize);
    const warnings = unusedTensorWarnings(ckpt, lookup, specs, modelType);
    const langs = ckpt.config.raw.polyglot_languages;
    const info: ModelInfo = {
      dir: ckpt.dir,
      modelType,
      architecture: cfg.architecture,
      dModel: cfg.dModel,
      nLayers: cfg.nLayers,
      nHeads: cfg.nHeads,
      nKvHeads: cfg.nKvHeads,
      dHead: cfg.dHead,
      dMlp: cfg.dMlp,
      vocabSize: cfg.vocabSize,
      maxPositions: cfg.maxPositions,
      dtype,
      parameterCount,
      tiedEmbeddings: cfg.tiedEmbeddings,
      ropeTheta: cfg.ropeTheta,
      ropeScaling: cfg.ropeScaling.type,
      positions: cfg.positions ?? 'rotary',
      tokenizer: {
        vocabSize: tokenizer.vocabSize,
        bosId: tokenizer.bosId,
        eosId: tokenizer.eosId,
        addsBos: tokenizer.addsBos,
        hasChatTemplate: tokenizer.hasChatTemplate(),
      },
      languages: Array.isArray(langs) ? langs.filter((l): l is string => typeof l === 'string') : [],
      runtime: {
        weights: choice.mode,
        weightsReason: choice.reason,
        heldWeightBytes: weights.heldBytes,
        storedWeightBytes: storedBytes,
        executionProvider: ort.activeProvider(opts.executionProvider ?? 'cpu'),
        requestedExecutionProvider: opts.executionProvider ?? 'cpu',
        executionProviderNote: opts.executionProvider === 'cuda' ? ort.cudaNote() : undefined,
      },
      weightFormat: ckpt.weightFiles.format,
      warnings,
    };
    const cache = opts.cacheDir ? new GraphCache(opts.cacheDir, undefined, opts.onNotice) : undefined;
    return new LoadedModel(ckpt, adapter, cfg, specs, weights, tokenizer, info, opts, cache);
  }

  get name(): string {
    return basename(this.ckpt.dir);
  }

  /** Token ids that end generation: generation_config, then config, then the tokenizer's EOS. */
  stopIds(): number[] {
    const fromGen = this.ckpt.generationConfig?.ids('eos_token_id') ?? [];
    if (fromGen.length) return fromGen;
    if (this.cfg.eosIds.length) return this.cfg.eosIds;
    return this.tokenizer.eosId !== null ? [this.tokenizer.eosId] : [];
  }

  checkIds(ids: number[], subject: string): void {
    const bad = ids.find((i) => !Number.isInteger(i) || i < 0 || i >= this.cfg.vocabSize);
    if (bad !== undefined) throw new UserError(subject, `token id ${bad} is outside the vocabulary (0-${this.cfg.vocabSize - 1})`);
  }

  /**
   * Tokenizes one input that must fit the context; text too long to fit is refused before the
   * tokenizer sees it (a 10 MB prompt fails in milliseconds, not minutes).
   */
  encodeInput(text: string, subject: string): number[] {
    const maxChars = this.cfg.maxPositions * MAX_CHARS_PER_TOKEN;
    if (text.length > maxChars) {
      throw new UserError(subject, `${text.length} characters cannot fit in the model's max_position_embeddings (${this.cfg.maxPositions} tokens); shorten the input`);
    }
    return this.tokenizer.encode(text);
  }

  checkLength(n: number, subject: string): void {
    if (n > this.cfg.maxPositions) {
      throw new UserError(subject, `${n} tokens exceed the model's max_position_embeddings (${this.cfg.maxPositions}); shorten the input`);
    }
    if (n === 0) throw new UserError(subject, 'no tokens to run');
  }

  /** A weight's F32 values (widened from the checkpoint's precision unless resident). */
  weight(name: string): Float32Array {
    const w = this.weights.get(name);
    if (!w) throw new Error(`no weight ${name}`);
    return w;
  }

  /**
   * The plan's whole-model session. With resident weights and room in the packing budget, the
   * unmasked weights are constants of the graph, handed to onnxruntime as in-memory external data
   * over the held F32 arrays (no copy in JS; onnxruntime packs Gemm's B for its kernels once);
   * otherwise every weight is an input, fed on each run.
   */
  session(plan: GraphPlan): Promise<ort.Session> {
    const key = planKey(plan);
    return this.sessionFor(key, () => {
      if (this.packBudget <= 0 || this.weights.mode !== 'resident') return { bytes: buildGraph(this.adapter, this.cfg, this.specs, plan) };
      const data = new Map<string, Uint8Array>();
      const constant = (name: string): ConstantWeight | undefined => {
        const w = this.weights.get(name);
        if (!w) return undefined;
        const location = `w${this.specIndex(name)}.bin`;
        data.set(location, new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
        return { location, byteLength: w.byteLength };
      };
      const bytes = buildGraph(this.adapter, this.cfg, this.specs, plan, constant);
      const cost = [...data.values()].reduce((n, d) => n + d.byteLength, 0);
      if (cost > this.packBudget) return { bytes: buildGraph(this.adapter, this.cfg, this.specs, plan) };
      this.packBudget -= cost;
      this.packed.set(key, cost);
      return { bytes, externalData: [...data].map(([path, d]) => ({ path, data: d })) };
    });
  }

  private specIndex(name: string): number {
    return this.specs.findIndex((s) => s.name === name);
  }

  /** A segment's session and its name maps; blocks of one structure share the session. */
  private segmentSession(plan: GraphPlan, seg: Segment): { session: Promise<ort.Session>; graph: Omit<CanonicalGraph, 'bytes'> } {
    const k = planKey(plan, seg);
    let graph = this.segmentGraphs.get(k);
    let bytes: Uint8Array | undefined;
    if (!graph) {
      const built = buildSegmentGraph(this.adapter, this.cfg, this.specs, plan, seg);
      bytes = built.bytes;
      graph = { key: built.key, inputs: built.inputs, outputs: built.outputs };
      this.segmentGraphs.set(k, graph);
    }
    const g = graph;
    return { session: this.sessionFor(`segment:${g.key}`, () => ({ bytes: bytes ?? buildSegmentGraph(this.adapter, this.cfg, this.specs, plan, seg).bytes })), graph: g };
  }

  private sessionFor(key: string, build: () => { bytes: Uint8Array; externalData?: { path: string; data: Uint8Array }[] }): Promise<ort.Session> {
    let s = this.sessions.get(key);
    if (s) {
      // Map order is insertion order: re-inserting marks the plan as most recently used.
      this.sessions.delete(key);
      this.sessions.set(key, s);
    } else {
      this.evictSessions();
      const { bytes, externalData } = build();
      this.cache?.remember(bytes);
      s = ort.createSession(bytes, { threads: this.opts.threads ?? 0, provider: this.opts.executionProvider, onFallback: this.opts.onNotice, ...(externalData ? { externalData } : {}) });
      s.catch(() => this.forget(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  /**
   * Frees the whole-model session of `plan` and its arena, for a plan no later run uses: each
   * block of sequential pruning calibrates with its own plan (the blocks before it masked), and
   * kept in the LRU those sessions held ~100 MB of arena each on the default model (two Wanda
   * variants: 174 → 990 MB RSS, docs/performance.md). Segment sessions are shared between plans
   * and stay with the LRU.
   */
  async releasePlan(plan: GraphPlan): Promise<void> {
    const key = planKey(plan);
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    await (await s.catch(() => undefined))?.release();
  }

  /**
   * Sessions are cheap to rebuild (milliseconds for these graphs) but each holds an arena;
   * sequential pruning alone asks for one plan per block. Keep the most recent few.
   */
  private evictSessions(): void {
    while (this.sessions.size >= MAX_SESSIONS) {
      const [oldest, s] = this.sessions.entries().next().value as [string, Promise<ort.Session>];
      this.forget(oldest);
      void s.then((x) => x.release()).catch(() => undefined);
    }
  }

  /** Drops a session from the map and returns its packed bytes to the budget. */
  private forget(key: string): void {
    this.sessions.delete(key);
    this.packBudget += this.packed.get(key) ?? 0;
    this.packed.delete(key);
  }

  /**
   * Runs sequences (right-padded to the longest) through the plan's graph. Padding rows have
   * valid = 0, so statistics never count them, and causal attention keeps real tokens from
   * seeing them. Returns every graph output as F32 data.
   */
  async run(seqs: number[][], plan: GraphPlan, opts: RunOptions = {}): Promise<Record<string, TensorData>> {
    return (await this.runMany([seqs], plan, opts))[0]!;
  }

  /**
   * Runs several batches with one plan and the same options; the results equal one run() per
   * batch, bit for bit. Block by block (streaming/mapped), every batch passes a segment before the
   * next segment starts, so each block's weights are widened once for all the batches instead of
   * once per batch; the residual streams of all the batches are held meanwhile (4·d_model bytes a
   * token). A KV cache (opts.past) belongs to one batch: give one batch with it.
   */
  async runMany(batches: number[][][], plan: GraphPlan, opts: RunOptions = {}, signal?: AbortSignal): Promise<Record<string, TensorData>[]> {
    if (opts.past && batches.length !== 1) throw new Error('a KV cache belongs to one batch');
    if (this.recorder) {
      const past = opts.past?.length ?? 0;
      for (const seqs of batches) this.checkLength(past + Math.max(...seqs.map((s) => s.length)), 'input');
      this.recorder.record({ plan, batches: batches.map((seqs) => ({ lengths: seqs.map((s) => s.length), past })), masked: plan.maskedWeights.length > 0, topK: opts.topK });
      return batches.map((seqs) => fakeOutputs(this.cfg, plan, seqs, past, opts.topK, this.recorder!.goOnToken));
    }
    const inputs = batches.map((seqs) => this.batchInputs(seqs, plan, opts));
    this.passCount += batches.length;
    const results = batches.map((): Record<string, TensorData> => ({}));
    const collect = (out: Record<string, ort.OrtTensor>, into: Record<string, TensorData>): void => {
      for (const [name, t] of Object.entries(out)) into[name] = { dims: [...t.dims], data: t.data as Float32Array };
    };
    const buffers = this.widenBuffers.lease();
    // Only the weights a graph takes: in a segment, one block's, widened once for every batch.
    const weightFeeds = (wanted: Set<string>): Record<string, ort.OrtTensor> => this.weightFeeds(wanted, buffers);
    if (this.weights.mode === 'resident') {
      const session = await this.session(plan);
      const wanted = new Set(session.inputNames);
      const weights = weightFeeds(wanted);
      for (const [b, input] of inputs.entries()) {
        throwIfAborted(signal);
        collect(await ort.run(session, { ...input.feeds(wanted), ...weights }, [...session.outputNames]), results[b]!);
      }
      return results;
    }
    // Block by block: the residual stream of each batch passes from segment to segment.
    const resid: (TensorData | undefined)[] = batches.map(() => undefined);
    try {
      for (const seg of segmentsFor(this.cfg.nLayers, planLastRank(plan, this.cfg.nLayers))) {
        const { session: pending, graph } = this.segmentSession(plan, seg);
        const session = await pending;
        const wanted = new Set(graph.inputs.values());
        const weights = weightFeeds(wanted);
        for (const [b, input] of inputs.entries()) {
          throwIfAborted(signal);
          const real = { ...input.feeds(wanted), ...weights };
          const r = resid[b];
          if (r) real[RESID_IN] = ort.f32(r.data, r.dims);
          const feeds: Record<string, ort.OrtTensor> = {};
          for (const [c, name] of graph.inputs) feeds[c] = real[name]!;
          const out = await ort.run(session, feeds, [...session.outputNames]);
          const named: Record<string, ort.OrtTensor> = {};
          for (const [c, t] of Object.entries(out)) named[graph.outputs.get(c) ?? c] = t;
          const result = results[b]!;
          collect(named, result);
          resid[b] = result[RESID_OUT];
          delete result[RESID_OUT];
        }
        // The next segment reuses this one's buffers: its runs are done with them.
        buffers.release();
      }
    } finally {
      buffers.release();
      this.weights.endRun();
    }
    return results;
  }

  /**
   * Runs `job` with every model run recorded instead of computed (record.ts): the job's own code
   * enumerates its work. Not reentrant: one recorded job at a time per model.
   */
  async recording<T>(recorder: RunRecorder, job: () => Promise<T>): Promise<T> {
    if (this.recorder) throw new Error('a recorded job is already running on this model');
    this.recorder = recorder;
    try {
      return await job();
    } finally {
      this.recorder = undefined;
    }
  }

  /**
   * Whether a forward plan may carry the lens head (GraphPlan.lens): only a whole-model graph holds
   * every layer at once (resident weights), and a recorded job keeps the stand-alone head graph,
   * which it times once per shape (plan/estimate.ts).
   */
  get fusesLensHead(): boolean {
    // The fused head's top ids leave as F32, exact below 2^24 (model/lensHead.ts).
    return this.weights.mode === 'resident' && !this.recorder && this.cfg.vocabSize <= 2 ** 24;
  }

  /** A token id that is not a stop token (what recorded generation keeps choosing). */
  goOnToken(): number {
    const stop = new Set(this.stopIds());
    let id = 0;
    while (stop.has(id) && id + 1 < this.cfg.vocabSize) id++;
    return id;
  }

  /**
   * Runs a graph that is not a forward plan (the lens head, lens/graph.ts) once per feed set. The
   * checkpoint weights among its inputs are widened once for all the runs (in the block-by-block
   * modes the head matrix is widened once per call, not once per chunk).
   */
  async runGraph(key: string, build: () => Uint8Array, feedSets: Record<string, ort.OrtTensor>[], signal?: AbortSignal): Promise<Record<string, ort.OrtTensor>[]> {
    const session = await this.sessionFor(`graph:${key}`, () => ({ bytes: build() }));
    const buffers = this.widenBuffers.lease();
    try {
      const weights = this.weightFeeds(new Set(session.inputNames), buffers);
      const out: Record<string, ort.OrtTensor>[] = [];
      const memo = this.recorder?.graphRuns;
      for (const feeds of feedSets) {
        throwIfAborted(signal);
        // A recorded job (record.ts) runs each graph once per feed shape, timed, and repeats that result.
        const sig = memo && `${key}|${Object.entries(feeds).map(([n, t]) => `${n}:${t.dims.join('x')}`).join(',')}`;
        const seen = sig ? memo!.get(sig) : undefined;
        if (seen) {
          seen.count++;
          out.push(seen.outputs);
          continue;
        }
        const t0 = performance.now();
        const r = await ort.run(session, { ...feeds, ...weights }, [...session.outputNames]);
        if (sig) memo!.set(sig, { outputs: r, seconds: (performance.now() - t0) / 1000, count: 1 });
        out.push(r);
      }
      return out;
    } finally {
      buffers.release();
      this.weights.endRun();
    }
  }

  /** The checkpoint weights among a graph's inputs, as F32 (widened into `buffers` unless resident). */
  private weightFeeds(wanted: Set<string>, buffers: WidenLease): Record<string, ort.OrtTensor> {
    const feeds: Record<string, ort.OrtTensor> = {};
    for (const s of this.specs) {
      if (!wanted.has(s.name)) continue;
      const w = this.weights.widen(s.name, buffers);
      if (!w) throw new Error(`no weight ${s.name}`);
      feeds[s.name] = ort.f32(w, s.shape);
    }
    return feeds;
  }

  /** One batch's own feeds (token ids, positions, masks, interventions), made only when a graph takes them. */
  private batchInputs(seqs: number[][], plan: GraphPlan, opts: RunOptions): { feeds: (wanted: Set<string>) => Record<string, ort.OrtTensor> } {
    const B = seqs.length;
    const T = Math.max(...seqs.map((s) => s.length));
    const past = opts.past?.length ?? 0;
    this.checkLength(past + T, 'input');
    const ids = new BigInt64Array(B * T);
    const valid = new Float32Array(B * T);
    seqs.forEach((s, b) =>
      s.forEach((id, t) => {
        ids[b * T + t] = BigInt(id);
        valid[b * T + t] = 1;
      }),
    );
    // Rotary tables only for graphs that read them (learned, sinusoidal and ALiBi positions never do).
    let rotary: { cos: Float32Array; sin: Float32Array } | undefined;
    const tables = (): { cos: Float32Array; sin: Float32Array } => (rotary ??= rotaryTables(this.cfg, past, T, this.inv));
    const feeds = (wanted: Set<string>): Record<string, ort.OrtTensor> => {
      const feeds: Record<string, ort.OrtTensor> = {};
      const put = (name: string, make: () => ort.OrtTensor): void => {
        if (wanted.has(name)) feeds[name] = make();
      };
      put('input_ids', () => ort.i64(ids, [B, T]));
      put('cos', () => ort.f32(tables().cos, [T, this.cfg.dHead]));
      put('sin', () => ort.f32(tables().sin, [T, this.cfg.dHead]));
      const everyLayerWindow = this.cfg.slidingWindowLayers ? undefined : this.cfg.slidingWindow;
      put('attn_mask', () => ort.f32(causalMask(T, past, everyLayerWindow), [T, past + T]));
      put(WINDOW_MASK_INPUT, () => ort.f32(causalMask(T, past, this.cfg.slidingWindow), [T, past + T]));
      put('valid', () => ort.f32(valid, [1, B * T]));
      put(TOPK_INPUT, () => {
        if (!(opts.topK && opts.topK >= 1)) throw new Error('a topK statistic needs RunOptions.topK ≥ 1');
        return ort.i64(BigInt64Array.of(BigInt(Math.min(opts.topK, B * T))), [1]);
      });
      for (const layer of plan.deactivateLayers) {
        put(keepInput(layer), () => {
          const keep = new Float32Array(this.cfg.dMlp).fill(1);
          for (const j of opts.deactivate?.[layer] ?? []) keep[j] = 0;
          return ort.f32(keep, [this.cfg.dMlp]);
        });
      }
      for (const i of plan.residualShifts ?? []) {
        const v = opts.shifts?.[i];
        if (!v) throw new Error(`no residual shift for hidden state ${i}`);
        put(shiftInput(i), () => ort.f32(v, [this.cfg.dModel]));
      }
      for (const name of plan.maskedWeights) {
        const m = opts.variant?.get(name);
        const spec = this.specs.find((s) => s.name === name)!;
        if (!m) throw new Error(`variant has no mask for ${name}`);
        put(maskInput(name), () => ort.bool(m, spec.shape));
      }
      if (plan.lens) {
        const head = plan.lens;
        const lens = opts.lens;
        put(LENS_IDS, () => {
          if (!lens?.ids.length) throw new Error('the fused lens head gathers target ids, RunOptions.lens has none');
          return ort.i64(BigInt64Array.from(lens.ids, (i) => BigInt(i)), [lens.ids.length]);
        });
        put(LENS_LANGUAGES, () => {
          if (lens?.languages?.length !== this.cfg.vocabSize * head.languages) throw new Error(`the fused lens head needs a [${this.cfg.vocabSize}, ${head.languages}] token-language matrix`);
          return ort.f32(lens.languages, [this.cfg.vocabSize, head.languages]);
        });
      }
      for (const [name, t] of Object.entries(opts.past?.tensors ?? {})) if (wanted.has(name)) feeds[name] = t;
      return feeds;
    };
    return { feeds };
  }

  /** Plan fields for an optional intervention and variant. */
  interventionPlan(deactivate?: NeuronMask, variant?: Variant, shifts?: Record<number, Float32Array>): Pick<GraphPlan, 'deactivateLayers' | 'maskedWeights' | 'residualShifts'> {
    const layers = Object.entries(deactivate ?? {})
      .filter(([, js]) => js.length > 0)
      .map(([l]) => Number(l));
    for (const l of layers) {
      if (!(l >= 0 && l < this.cfg.nLayers)) throw new UserError('deactivate', `layer ${l} does not exist`);
      for (const j of deactivate![l]!) if (!(j >= 0 && j < this.cfg.dMlp)) throw new UserError('deactivate', `neuron L${l}.N${j} does not exist (d_mlp ${this.cfg.dMlp})`);
    }
    const hidden = Object.keys(shifts ?? {}).map(Number).sort((a, b) => a - b);
    for (const i of hidden) {
      if (!(Number.isInteger(i) && i >= 0 && i <= this.cfg.nLayers)) throw new UserError('shift', `hidden state ${i} does not exist (0-${this.cfg.nLayers})`);
      if (shifts![i]!.length !== this.cfg.dModel) throw new UserError('shift', `hidden state ${i}: vector of ${shifts![i]!.length}, d_model is ${this.cfg.dModel}`);
    }
    return { deactivateLayers: layers.sort((a, b) => a - b), maskedWeights: variant ? [...variant.keys()].sort() : [], ...(hidden.length ? { residualShifts: hidden } : {}) };
  }

  async dispose(): Promise<void> {
    for (const s of this.sessions.values()) await (await s.catch(() => undefined))?.release();
    for (const k of [...this.sessions.keys()]) this.forget(k);
    this.widenBuffers.clear();
  }
}
