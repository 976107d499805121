/**
 * Warm-up on the editor side: when a .prompt becomes the active editor (or is saved), the engine
 * starts, loads the prompt's model and prepares the sessions its Analyze runs, for its
 * deactivation and (when the engine holds it) its pruned variant (warmup.ts says when;
 * engine/warm.ts what). Silent: no progress, no notification; a failure is left to the
 * command that needs the model, which reports it. Off with `polyglotLens.warmUp: false`.
 */
import * as vscode from 'vscode';
import type { App } from './app';
import { planRun } from './commands/runPlan';
import { isPromptDocument } from './promptDocuments';
import { readSettings } from './settings';
import { Warmup } from './warmup';
import { WeightBytes } from './weightBytes';

export function registerWarmup(app: App, defaultModelDir: string): Warmup {
  const { ctx } = app;
  const weightBytes = new WeightBytes();
  const warmup = new Warmup({
    loaded: () => ({ any: app.engine.model !== undefined, is: (dir) => app.engine.isLoaded(dir) }),
    modelBytes: (dir) => weightBytes.of(dir ?? defaultModelDir),
    warm: async (t, signal) => {
      const started = Date.now();
      const { engine, info } = await app.engine.load(t.modelDir);
      const r = await engine.warm({ deactivate: t.deactivate, variant: t.variant }, { signal });
      if (!r.warmed) return false;
      ctx.log(`warm-up: ${info.dir}${t.variant ? ` (${t.variant})` : ''} ready for Analyze in ${Date.now() - started} ms (sessions ${r.ms.toFixed(0)} ms)`);
      ctx.e2e.event('warmed', { model: info.dir, variant: t.variant ?? null, ms: Date.now() - started });
      return true;
    },
    log: (line) => ctx.log(line),
  });
  let disposed = false;
  const consider = (doc: vscode.TextDocument | undefined): void => {
    if (disposed || !doc || !isPromptDocument(doc) || !readSettings().warmUp) return;
    let plan;
    try {
      plan = planRun(app, doc);
    } catch {
      return; // a prompt that cannot run yet: its diagnostics say why, Analyze will too
    }
    // A language's neurons need a LAPE run first; a pruned variant is warmed only if the engine holds it.
    if (plan.deactivate && 'language' in plan.deactivate) return;
    const decision = warmup.request({ modelDir: plan.modelDir, deactivate: plan.deactivate as Record<number, number[]> | undefined, variant: plan.variant });
    if (decision === 'started') ctx.e2e.event('warm-start', { file: doc.fileName });
  };
  ctx.own(
    vscode.window.onDidChangeActiveTextEditor((e) => consider(e?.document)),
    vscode.workspace.onDidSaveTextDocument((doc) => { if (doc === vscode.window.activeTextEditor?.document) consider(doc); }),
    app.engine.onDidStop.event(() => warmup.engineStopped()),
    { dispose: () => { disposed = true; warmup.dispose(); } },
  );
  // The prompt that activated the extension: after activate() returns, so activation stays cheap.
  setTimeout(() => consider(vscode.window.activeTextEditor?.document), 0);
  return warmup;
}
