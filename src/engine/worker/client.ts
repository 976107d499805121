/**
 * The host side of the engine process. Starts it on first use (so activation stays cheap),
 * forwards requests, progress and cancellation, and survives a crash: pending calls fail with
 * EngineCrashedError, and the next call starts a fresh process and reloads the last model.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { GenerateResult, JobOptions, ModelInfo, TensorData, CaptureRequest } from '../api';
import type { ActivationAnalysis } from '../../shared/analysis';
import type { CompareResult } from '../../shared/compare';
import type { FeatureAnalysis } from '../../shared/features';
import type { LatentLanguageResult } from '../../shared/lens';
import { UserError, CancelledError } from '../errors';
import { engineProcessEnv } from './processEnv';
import {
  isEngineToHost,
  type EngineMethod,
  type EngineMethods,
  type FeaturesRunParams,
  type HostToEngine,
  type LapeRunParams,
  type PruneCompareParams,
  type PruneCreateParams,
  type VariantSummary,
} from './protocol';

type Params<M extends EngineMethod> = EngineMethods[M]['params'];
type Result<M extends EngineMethod> = EngineMethods[M]['result'];

export class EngineCrashedError extends Error {
  constructor(reason: string) {
    super(`the engine process stopped (${reason}); it restarts on the next command`);
    this.name = 'EngineCrashedError';
  }
}

export interface EngineClientOptions {
  workerPath: string;
  threads?: number;
  cacheDir?: string;
  executionProvider?: 'cpu' | 'cuda';
  weights?: 'auto' | 'resident' | 'streaming' | 'mapped';
  log: (line: string) => void;
  onCrash?: (reason: string) => void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: JobOptions['onProgress'];
}

/** The model a request is for: the engine loads it first when another one is loaded. */
export interface ModelRef {
  /** Checkpoint folder; undefined = the embedded default model. */
  dir?: string;
}

/** The one engine process and its pending calls, shared by every model-bound view of a client. */
class Connection {
  proc: ChildProcess | undefined;
  nextId = 1;
  readonly pending = new Map<number, Pending>();
  /** The model to reload after a crash; null = the default model was loaded. */
  lastModel: string | undefined | null;

  constructor(readonly opts: EngineClientOptions) {}

  start(): ChildProcess {
    if (this.proc) return this.proc;
    const p = fork(this.opts.workerPath, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: engineProcessEnv(process.env) });
    p.stdout?.on('data', (d: Buffer) => this.opts.log(d.toString().trimEnd()));
    p.stderr?.on('data', (d: Buffer) => this.opts.log(d.toString().trimEnd()));
    p.on('message', (m: unknown) => {
      if (!isEngineToHost(m)) return;
      if (m.kind === 'log') this.opts.log(m.line);
      else if (m.kind === 'progress') this.pending.get(m.id)?.onProgress?.(m.progress);
      else {
        const waiter = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!waiter) return;
        if (m.ok) waiter.resolve(m.result);
        else if (m.error.name === 'CancelledError') waiter.reject(new CancelledError());
        else waiter.reject(m.error.name === 'UserError' ? UserError.fromMessage(m.error.message) : new Error(m.error.message));
      }
    });
    p.on('exit', (code, signal) => {
      if (this.proc !== p) return;
      this.proc = undefined;
      const reason = signal ? `signal ${signal}` : `exit code ${code}`;
      if (this.pending.size > 0 || code !== 0) {
        this.opts.log(`engine process stopped: ${reason}`);
        this.opts.onCrash?.(reason);
      }
      for (const w of this.pending.values()) w.reject(new EngineCrashedError(reason));
      this.pending.clear();
    });
    this.proc = p;
    this.send({ kind: 'init', threads: this.opts.threads ?? 0, cacheDir: this.opts.cacheDir ?? '', executionProvider: this.opts.executionProvider ?? 'cpu', weights: this.opts.weights ?? 'auto' });
    return p;
  }

  send(m: HostToEngine): void {
    this.proc?.send(m);
  }

  async call<M extends EngineMethod>(method: M, params: EngineMethods[M]['params'], o: JobOptions, model: ModelRef | undefined): Promise<EngineMethods[M]['result']> {
    if (o.signal?.aborted) throw new CancelledError();
    const fresh = !this.proc;
    this.start();
    // After a crash the fresh process reloads the last model for requests that name none.
    if (fresh && !model && this.lastModel !== undefined && method !== 'engine/load') {
      await this.call('engine/load', { dir: this.lastModel ?? undefined }, {}, undefined);
    }
    if (o.signal?.aborted) throw new CancelledError();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const signal = o.signal;
      const onAbort = () => {
        // Rejected at once, whether the job runs or still waits in the engine's queue; the engine
        // drops a queued job and aborts a running one, and its late answer finds no waiter.
        if (!this.pending.delete(id)) return;
        this.send({ kind: 'cancel', id });
        reject(new CancelledError());
      };
      const settle = <T>(f: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        f(v);
      };
      this.pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject), onProgress: o.onProgress });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.send({ kind: 'request', id, method, params, ...(model ? { model } : {}) });
    });
  }

  dispose(): void {
    const p = this.proc;
    this.proc = undefined;
    for (const w of this.pending.values()) w.reject(new EngineCrashedError('disposed'));
    this.pending.clear();
    p?.kill();
  }
}

export class EngineClient {
  private readonly conn: Connection;

  /** `model` set: a view whose every request names that model (see forModel). */
  constructor(opts: EngineClientOptions, conn?: Connection, private readonly model?: ModelRef) {
    this.conn = conn ?? new Connection(opts);
  }

  /**
   * The same engine process, with every request naming model `dir`. Requests run in order in the
   * engine, each on the model it names, so a job never runs on a model another job loaded.
   */
  forModel(dir: string | undefined): EngineClient {
    return new EngineClient(this.conn.opts, this.conn, { dir });
  }

  /** The model this view's requests name (undefined on an unbound client). */
  get boundModel(): ModelRef | undefined {
    return this.model;
  }

  private call<M extends EngineMethod>(method: M, params: EngineMethods[M]['params'], o: JobOptions = {}): Promise<EngineMethods[M]['result']> {
    return this.conn.call(method, params, o, this.model);
  }

  async loadModel(dir: string | undefined, o?: JobOptions): Promise<ModelInfo> {
    const info = await this.call('engine/load', { dir }, o);
    this.conn.lastModel = dir ?? null;
    return info;
  }

  tokenize(text: string): Promise<{ ids: number[]; offsets: ([number, number] | null)[] }> {
    return this.call('engine/tokenize', { text });
  }

  generate(req: Params<'engine/generate'>, o?: JobOptions): Promise<GenerateResult> {
    return this.call('engine/generate', req, o);
  }

  analyze(req: Params<'engine/analyze'>, o?: JobOptions): Promise<ActivationAnalysis> {
    return this.call('engine/analyze', req, o);
  }

  /** Prepares the sessions an Analyze with `deactivate` runs on this view's model (see engine/warm.ts). */
  warm(req: Params<'engine/warm'>, o?: JobOptions): Promise<Result<'engine/warm'>> {
    return this.call('engine/warm', req, o);
  }

  /** The latent-language lens of a rendered prompt (Latent language panel). */
  lens(req: Params<'lens/run'>, o?: JobOptions): Promise<LatentLanguageResult> {
    return this.call('lens/run', req, o);
  }

  /** Creates (or returns the existing) variant `req.name` on the loaded model. */
  pruneCreate(req: PruneCreateParams, o?: JobOptions): Promise<Result<'prune/create'>> {
    return this.call('prune/create', req, o);
  }

  pruneList(): Promise<VariantSummary[]> {
    return this.call('prune/list', {});
  }

  pruneExport(req: Params<'prune/export'>, o?: JobOptions): Promise<Result<'prune/export'>> {
    return this.call('prune/export', req, o);
  }

  pruneCompare(req: PruneCompareParams, o?: JobOptions): Promise<CompareResult> {
    return this.call('prune/compare', req, o);
  }

  lapeRun(req: LapeRunParams, o?: JobOptions): Promise<Result<'lape/run'>> {
    return this.call('lape/run', req, o);
  }

  lapeOpen(req: Params<'lape/open'>, o?: JobOptions): Promise<Result<'lape/open'>> {
    return this.call('lape/open', req, o);
  }

  lapeSave(req: Params<'lape/save'>, o?: JobOptions): Promise<Result<'lape/save'>> {
    return this.call('lape/save', req, o);
  }

  neuronIndex(req: Params<'neuron/index'>, o?: JobOptions): Promise<Result<'neuron/index'>> {
    return this.call('neuron/index', req, o);
  }

  featuresRun(req: FeaturesRunParams, o?: JobOptions): Promise<FeatureAnalysis> {
    return this.call('features/run', req, o);
  }

  neuronReport(req: Params<'neuron/report'>, o?: JobOptions): Promise<Result<'neuron/report'>> {
    return this.call('neuron/report', req, o);
  }

  studyInstructions(req: Params<'studies/instructions'>, o?: JobOptions): Promise<Result<'studies/instructions'>> {
    return this.call('studies/instructions', req, o);
  }

  evalRun(req: Params<'eval/run'>, o?: JobOptions): Promise<Result<'eval/run'>> {
    return this.call('eval/run', req, o);
  }

  evalCompare(req: Params<'eval/compare'>, o?: JobOptions): Promise<Result<'eval/compare'>> {
    return this.call('eval/compare', req, o);
  }

  /** The plan of a job before it runs (null: nothing to run). */
  jobPlan(req: Params<'job/plan'>, o?: JobOptions): Promise<Result<'job/plan'>> {
    return this.call('job/plan', req, o);
  }

  studyBias(req: Params<'studies/bias'>, o?: JobOptions): Promise<Result<'studies/bias'>> {
    return this.call('studies/bias', req, o);
  }

  capture(req: CaptureRequest, o?: JobOptions): Promise<Record<string, TensorData>> {
    return this.call('engine/capture', req, o);
  }

  async clearCache(): Promise<void> {
    await this.call('engine/clearCache', {});
  }

  /** Kills the process (tests use it to simulate a crash). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.conn.proc?.kill(signal);
  }

  /** Jobs sent and not yet answered (running or queued in the engine). */
  get pendingCount(): number {
    return this.conn.pending.size;
  }

  dispose(): void {
    this.conn.dispose();
  }
}
