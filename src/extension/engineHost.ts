import * as vscode from 'vscode';
import type { ModelInfo } from '../engine/api';
import type { EngineClient } from '../engine/worker/client';
import type { PolyglotContext } from './context';
import { readSettings, SECTION } from './settings';

/**
 * Owns the engine worker. The client module is imported lazily (esbuild turns the dynamic
 * import into a deferred require), so activation loads neither the worker code nor
 * onnxruntime; the worker thread starts on the first model job. A crash or a change of
 * `threads`/`cacheDir` drops the client; the next job starts a fresh one.
 */
export class EngineHost implements vscode.Disposable {
  private client?: EngineClient;
  private loaded?: { key: string; info: ModelInfo };
  readonly onDidLoadModel = new vscode.EventEmitter<ModelInfo>();

  constructor(private readonly ctx: PolyglotContext) {
    ctx.own(
      this.onDidLoadModel,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['threads', 'cacheDir', 'executionProvider', 'weights'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
          this.ctx.log('engine settings changed; the next job starts a new engine worker');
          this.reset();
        }
      }),
    );
  }

  get model(): ModelInfo | undefined {
    return this.loaded?.info;
  }

  async engine(): Promise<EngineClient> {
    if (this.client) return this.client;
    const { EngineClient: Client } = await import('../engine/worker/client');
    const s = readSettings();
    const started = Date.now();
    this.client = new Client({
      workerPath: this.ctx.extension.asAbsolutePath('dist/engine-worker.js'),
      threads: s.threads > 0 ? s.threads : undefined,
      cacheDir: s.cacheDir,
      executionProvider: s.executionProvider,
      weights: s.weights,
      log: (line) => this.ctx.output.info(`[engine] ${line}`),
      onCrash: (reason) => {
        this.ctx.output.error(`engine worker stopped: ${reason}`);
        this.ctx.e2e.event('engine-crash', { reason });
        void vscode.window.showErrorMessage(`Polyglot Lens: the engine stopped (${reason}). The next command starts it again.`, 'Show Log').then((p) => {
          if (p === 'Show Log') this.ctx.output.show(true);
        });
        this.reset();
      },
    });
    this.ctx.log(`engine worker created in ${Date.now() - started} ms (threads: ${s.threads > 0 ? s.threads : 'auto'}, cache: ${s.cacheDir ?? 'default'})`);
    return this.client;
  }

  /** Loads `dir` (undefined = the embedded default model) unless it is the model already loaded. */
  async load(dir: string | undefined): Promise<{ engine: EngineClient; info: ModelInfo }> {
    const engine = await this.engine();
    const key = dir ?? '<default>';
    if (this.loaded?.key !== key) {
      const started = Date.now();
      const info = await engine.loadModel(dir);
      this.loaded = { key, info };
      const r = info.runtime;
      this.ctx.log(`loaded ${info.dir} (${info.modelType}, ${info.nLayers} layers, d_mlp ${info.dMlp}) in ${Date.now() - started} ms; weights ${r.weights} (${r.weightsReason}); execution provider ${r.executionProvider}`);
      if (r.executionProviderNote) void vscode.window.showWarningMessage(`Polyglot Lens: ${r.executionProviderNote}`);
      this.onDidLoadModel.fire(info);
    }
    return { engine, info: this.loaded.info };
  }

  reset(): void {
    const old = this.client;
    this.client = undefined;
    this.loaded = undefined;
    old?.dispose();
  }

  dispose(): void {
    this.reset();
  }
}
