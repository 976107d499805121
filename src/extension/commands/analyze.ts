import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { App } from '../app';
import { runJob } from '../jobs';
import { showActivationsPanel } from '../panels/activations';
import { planCommand, showPlanError } from './runPlan';
import { ensurePromptVariant } from './variantRun';
import { promptProvenance, promptWatch, runLabel, signatureOf, watchPanel } from './panelState';
import { isPromptDocument } from '../promptDocuments';

/** Polyglot Lens: Analyze Activations — render the prompt, run the engine, show the panel, enable hovers. */
export async function analyzeActivations(app: App, uri?: unknown, exampleIndex?: unknown): Promise<void> {
  const planned = await planCommand(app, 'Analyze Activations', uri, { exampleIndex, noDocument: 'open a .prompt file (or any text) to analyze.', useSelection: true });
  if (!planned) return;
  const { doc, plan: p } = planned;
  const { ctx } = app;
  const version = doc.version;
  const analysis = await runJob(ctx, app.jobs, `Analyze ${p.fileName}`, async (opts) => {
    opts.onProgress?.({ fraction: 0, message: 'loading model…' });
    const { engine } = await app.engine.load(p.modelDir);
    await ensurePromptVariant(app, engine, p, opts);
    return engine.analyze({ text: p.text, topK: p.topK, maxNewTokens: p.maxNewTokens, deactivate: p.deactivate, variant: p.variant }, opts);
  });
  if (!analysis) return;
  const provenance = promptProvenance(doc, version, analysis.model.name, runLabel(p.variant, p.deactivate),
    { command: 'polyglotLens.analyzeActivations', uri: doc.uri.toString(), args: [Math.max(0, p.example)] });
  const signature = signatureOf(app, p, { lengths: true });
  ctx.storeAnalysis(doc.uri, { analysis, rendered: p.rendered, example: p.example, run: { deactivate: p.deactivate, variant: p.variant }, provenance, signature });
  ctx.e2e.analysis(analysis, doc.fileName);
  ctx.e2e.event('analyzed', { file: doc.fileName, tokens: analysis.tokens.length, model: analysis.model.dir, variant: p.variant ?? null });
  try {
    ctx.shownActivations = doc.uri;
    const panel = await showActivationsPanel(ctx, analysis, basename(doc.fileName), provenance);
    void panel.nextPaint().then((ms) => ctx.e2e.event('painted', { ms }));
    // A plain document's run may have been its selection: only a prompt's run is compared with the editor.
    if (isPromptDocument(doc)) watchPanel(panel, promptWatch(app, doc.uri, p.example, signature, { lengths: true }));
  } catch (e) {
    showPlanError(app, 'Show Activations', e);
  }
}

/** Polyglot Lens: Show Activations — reopen the panel with a document's last analysis. */
export async function showActivations(app: App, uri?: unknown): Promise<void> {
  const key = uri instanceof vscode.Uri ? uri.toString() : vscode.window.activeTextEditor?.document.uri.toString();
  const stored = (key && app.ctx.analyses.get(key)) || app.ctx.lastAnalysis;
  if (!stored) {
    void vscode.window.showInformationMessage('Polyglot Lens: no analysis yet. Run "Polyglot Lens: Analyze Activations" first.');
    return;
  }
  const shownKey = [...app.ctx.analyses].find(([, v]) => v === stored)?.[0];
  const shown = shownKey ? vscode.Uri.parse(shownKey) : undefined;
  app.ctx.shownActivations = shown;
  const panel = await showActivationsPanel(app.ctx, stored.analysis, shown ? basename(shown.path) : undefined, stored.provenance);
  const doc = shown && vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.toString());
  if (doc && isPromptDocument(doc) && stored.signature) watchPanel(panel, promptWatch(app, doc.uri, stored.example, stored.signature, { lengths: true }));
}
