import * as vscode from 'vscode';
import { join } from 'node:path';
import type { ModelInfo } from '../engine/api';
import type { EngineClient } from '../engine/worker/client';
import type { PolyglotContext } from './context';
import { EngineSlot } from './engineSlot';
import { ActionableError, MODEL_ACTIONS } from './errors';
import { readSettings, SECTION } from './settings';

/**
 * Owns the engine worker. The client module is imported lazily (esbuild turns the dynamic
 * import into a deferred require), so activation loads neither the worker code nor
 * onnxruntime; the worker process starts on the first model job. When it is restarted is
 * EngineSlot's job (settings apply to the next job, crash-loop guard, Restart Engine).
 */
export class EngineHost implements vscode.Disposable {
  private readonly slot: EngineSlot<EngineClient>;
  private loaded?: { key: string; dir: string | undefined; info: ModelInfo };
  readonly onDidLoadModel = new vscode.EventEmitter<ModelInfo>();
  /** The engine process the next job runs on is not the one before (crash, restart, settings): it holds no model. */
  readonly onDidStop = new vscode.EventEmitter<void>();
  private process?: EngineClient;

  constructor(private readonly ctx: PolyglotContext) {
    this.slot = new EngineSlot(() => this.createClient());
    ctx.own(
      this.onDidLoadModel,
      this.onDidStop,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['threads', 'cacheDir', 'executionProvider', 'weights'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
          const when = this.slot.settingsChanged();
          if (when === 'now') this.loaded = undefined;
          this.ctx.log(when === 'now'
            ? 'engine settings changed; the next job starts a new engine worker'
            : 'engine settings changed; the running job finishes first, then the next job starts a new engine worker');
        }
      }),
    );
  }

  get model(): ModelInfo | undefined {
    return this.loaded?.info;
  }

  /** Whether the engine holds model `dir` (undefined = the embedded default model). */
  isLoaded(dir: string | undefined): boolean {
    return this.loaded?.key === (dir ?? '<default>');
  }

  /** The cache folder: the setting, else POLYGLOT_LENS_CACHE, else the extension's global storage. */
  cacheDir(): string {
    return readSettings().cacheDir ?? process.env.POLYGLOT_LENS_CACHE ?? join(this.ctx.extension.globalStorageUri.fsPath, 'cache');
  }

  private async createClient(): Promise<EngineClient> {
    const { EngineClient: Client } = await import('../engine/worker/client');
    const s = readSettings();
    const cacheDir = this.cacheDir();
    const started = Date.now();
    const client = new Client({
      workerPath: this.ctx.extension.asAbsolutePath('dist/engine-worker.js'),
      threads: s.threads > 0 ? s.threads : undefined,
      cacheDir,
      executionProvider: s.executionProvider,
      weights: s.weights,
      log: (line) => this.ctx.output.info(`[engine] ${line}`),
      onCrash: (reason) => {
        if (this.slot.current !== client) return;
        this.loaded = undefined;
        const looping = this.slot.crashed();
        this.ctx.output.error(`engine worker stopped: ${reason}${looping ? '; crash loop: automatic restarts stopped' : ''}`);
        this.ctx.e2e.event('engine-crash', { reason, looping });
        const text = looping
          ? vscode.l10n.t('Polyglot Lens: the engine keeps stopping ({0}); it is not restarted automatically. Fix the cause (see the log), then restart it.', reason)
          : vscode.l10n.t('Polyglot Lens: the engine stopped ({0}). The next command starts it again.', reason);
        const restart = vscode.l10n.t('Restart Engine'), showLog = vscode.l10n.t('Show Log');
        void vscode.window.showErrorMessage(text, ...(looping ? [restart] : []), showLog).then((p) => {
          if (p === showLog) this.ctx.output.show(true);
          else if (p === restart) void vscode.commands.executeCommand('polyglotLens.restartEngine');
        });
      },
    });
    this.ctx.log(`engine worker created in ${Date.now() - started} ms (threads: ${s.threads > 0 ? s.threads : 'auto'}, cache: ${cacheDir})`);
    this.ctx.e2e.event('engine-start', { cacheDir, threads: s.threads });
    return client;
  }

  /** The engine process (started on first use); CrashLoopError after a crash loop. */
  async engine(): Promise<EngineClient> {
    try {
      const c = await this.slot.get();
      if (c !== this.process) {
        if (this.process) {
          this.loaded = undefined;
          this.onDidStop.fire();
        }
        this.process = c;
      }
      return c;
    } catch (e) {
      if (e instanceof Error && e.name === 'CrashLoopError') throw new ActionableError(e.message, [{ title: 'Restart Engine', command: 'polyglotLens.restartEngine' }]);
      throw e;
    }
  }

  /**
   * Loads `dir` (undefined = the embedded default model) and returns the engine bound to it:
   * every request it sends names that model, so the engine runs it on that model even when
   * another job loaded a different one in between.
   */
  async load(dir: string | undefined): Promise<{ engine: EngineClient; info: ModelInfo }> {
    const engine = (await this.engine()).forModel(dir);
    const key = dir ?? '<default>';
    if (this.loaded?.key !== key) {
      const started = Date.now();
      let info: ModelInfo;
      try {
        info = await engine.loadModel(dir);
      } catch (e) {
        if (e instanceof Error && e.name === 'UserError') throw new ActionableError(e.message, MODEL_ACTIONS);
        throw e;
      }
      this.loaded = { key, dir, info };
      const r = info.runtime;
      this.ctx.log(`loaded ${info.dir} (${info.modelType}, ${info.nLayers} layers, d_mlp ${info.dMlp}) in ${Date.now() - started} ms; weights ${r.weights} (${r.weightsReason}); execution provider ${r.executionProvider}`);
      if (r.executionProviderNote) void vscode.window.showWarningMessage(`Polyglot Lens: ${r.executionProviderNote}`);
      // Problems that do not stop the load (e.g. tensors the architecture ignores) go to the log.
      for (const w of info.warnings) this.ctx.output.warn(w);
      this.onDidLoadModel.fire(info);
    }
    return { engine, info: this.loaded.info };
  }

  /** The engine bound to the model loaded last (Export works on that model's variants). */
  async loadedEngine(): Promise<EngineClient> {
    const engine = await this.engine();
    return this.loaded ? engine.forModel(this.loaded.dir) : engine;
  }

  /** Restart Engine: stops the process (its jobs fail as stopped) and resets the crash-loop guard. */
  restart(): void {
    this.loaded = undefined;
    this.slot.restart();
  }

  reset(): void {
    this.loaded = undefined;
    this.slot.drop();
  }

  dispose(): void {
    this.reset();
  }
}
