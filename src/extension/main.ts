import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { PolyglotContext } from './context';
import { EngineHost } from './engineHost';
import { JobTracker } from './jobs';
import { registerCodeLens } from './language/codeLens';
import { registerCompletion } from './language/completion';
import { registerDiagnostics } from './language/diagnostics';
import { registerHover } from './language/hover';
import { registerQuickFixes } from './language/quickFix';
import { hoverNeuronReport, registerNeuronActions } from './commands/neuron';
import { PromptDocuments } from './promptDocuments';
import { registerStatusBar } from './statusBar';
import type { App } from './app';
import { VariantState } from './variants';
import { registerPanelSerializers } from './panels/serializers';
import { registerLinking } from './linking';
import { registerPanelState } from './commands/panelState';
import { registerSidebar } from './sidebar';
import { registerWarmup } from './engineWarmup';

let current: PolyglotContext | undefined;

/** Wires the features together; no model work happens here (the engine worker starts on first use). */
export function activate(extension: vscode.ExtensionContext): void {
  const started = performance.now();
  const ctx = new PolyglotContext(extension);
  current = ctx;
  const app: App = {
    ctx,
    engine: ctx.own(new EngineHost(ctx)),
    jobs: new JobTracker(),
    prompts: new PromptDocuments(extension.asAbsolutePath('models/default')),
    variants: ctx.own(new VariantState(extension.workspaceState, extension.asAbsolutePath('models/default'))),
  };
  // Variants live on the engine's loaded model: another model unloads them, a restarted engine has none.
  // They stay listed under their model and are re-created when a run names them (variantRun.ts).
  ctx.own(
    app.engine.onDidLoadModel.event((info) => {
      const gone = app.variants.engineLoaded(info.dir);
      if (gone.length) ctx.log(`variants ${gone.join(', ')} were unloaded with their model (${info.dir} was loaded); a run that names one re-creates it`);
    }),
    app.engine.onDidStop.event(() => app.variants.engineStopped()),
  );
  // Each step is timed so a slow activation names its culprit in the log.
  const phases: Record<string, number> = { context: performance.now() - started };
  const step = (name: string, register: () => void) => {
    const t = performance.now();
    register();
    phases[name] = performance.now() - t;
  };
  step('commands', () => registerCommands(app));
  step('diagnostics', () => registerDiagnostics(ctx, app.prompts));
  step('codeLens', () => registerCodeLens(ctx, app.prompts, app.variants));
  step('hover', () => registerHover(ctx, app.prompts, (uri, layer, index) => hoverNeuronReport(app, uri, layer, index)));
  step('neuronActions', () => registerNeuronActions(app));
  step('completion', () => registerCompletion(ctx, app.prompts));
  step('quickFix', () => registerQuickFixes(ctx, app.prompts));
  step('statusBar', () => registerStatusBar(app));
  step('panels', () => registerPanelSerializers(ctx));
  step('linking', () => registerLinking(ctx, app.prompts));
  step('panelState', () => registerPanelState(app));
  step('sidebar', () => registerSidebar(app));
  step('warmUp', () => registerWarmup(app, extension.asAbsolutePath('models/default')));
  const ms = performance.now() - started;
  const breakdown = Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  ctx.log(`activated in ${ms.toFixed(1)} ms (${breakdown})${vscode.workspace.isTrusted ? '' : '; untrusted workspace: model paths from workspace files are not loaded'}`);
  ctx.e2e.event('activated', { ms, phases, extensionPath: extension.extensionPath, trusted: vscode.workspace.isTrusted });
}

export function deactivate(): void {
  current?.dispose();
  current = undefined;
}
