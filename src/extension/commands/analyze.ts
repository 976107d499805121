import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { App } from '../app';
import { runJob } from '../jobs';
import { showActivationsPanel } from '../panels/activations';
import { planCommand, showPlanError } from './runPlan';
import { ensurePromptVariant } from './variantRun';
import { promptProvenance, promptWatch, runLabel, signatureOf, watchPanel } from './panelState';
import { isPromptDocument } from '../promptDocuments';
import type { ActivationAnalysis } from '../../shared/analysis';
import type { LensPanel } from '../panels/lensPanel';

/**
 * Polyglot Lens: Analyze Activations — render the prompt, run the engine, show the panel, enable
 * hovers. The panel (and the hovers) show the analysis as soon as its forward is done; the
 * continuation is generated after it (the same prefill and steps the engine's combined analyze
 * runs) and fills the panel's Continuation when it arrives.
 */
export async function analyzeActivations(app: App, uri?: unknown, exampleIndex?: unknown): Promise<void> {
  // Wall-clock marks of where Analyze → panel spends its time (log line; e2e metrics).
  const marks: Record<string, number> = { start: Date.now() };
  const planned = await planCommand(app, 'Analyze Activations', uri, { exampleIndex, noDocument: 'open a .prompt file (or any text) to analyze.', useSelection: true });
  if (!planned) return;
  marks.planned = Date.now();
  const { doc, plan: p } = planned;
  const { ctx } = app;
  const version = doc.version;
  let shown: { analysis: ActivationAnalysis; panel?: LensPanel } | undefined;
  const show = async (analysis: ActivationAnalysis): Promise<void> => {
    marks.analyzed = Date.now();
    const provenance = promptProvenance(doc, version, analysis.model.name, runLabel(p.variant, p.deactivate),
      { command: 'polyglotLens.analyzeActivations', uri: doc.uri.toString(), args: [Math.max(0, p.example)] });
    const signature = signatureOf(app, p, { lengths: true });
    ctx.storeAnalysis(doc.uri, { analysis, rendered: p.rendered, example: p.example, run: { deactivate: p.deactivate, variant: p.variant }, provenance, signature });
    shown = { analysis };
    try {
      ctx.shownActivations = doc.uri;
      const panel = await showActivationsPanel(ctx, analysis, basename(doc.fileName), provenance);
      shown.panel = panel;
      marks.posted = Date.now();
      void panel.nextPaint().then((ms) => {
        marks.painted = Date.now();
        ctx.e2e.event('painted', { ms });
        ctx.e2e.event('analyze-phases', { file: doc.fileName, marks });
        ctx.log(`Analyze ${p.fileName} → panel painted in ${marks.painted - marks.start} ms: ${phaseLine(marks)}`);
      });
      // A plain document's run may have been its selection: only a prompt's run is compared with the editor.
      if (isPromptDocument(doc)) watchPanel(panel, promptWatch(app, doc.uri, p.example, signature, { lengths: true }));
    } catch (e) {
      showPlanError(app, 'Show Activations', e);
    }
  };
  const analysis = await runJob(ctx, app.jobs, `Analyze ${p.fileName}`, async (opts) => {
    opts.onProgress?.({ fraction: 0, message: 'loading model…' });
    const { engine } = await app.engine.load(p.modelDir);
    marks.loaded = Date.now();
    await ensurePromptVariant(app, engine, p, opts);
    marks.variant = Date.now();
    const req = { text: p.text, topK: p.topK, deactivate: p.deactivate, variant: p.variant };
    const a = await engine.analyze({ ...req, maxNewTokens: 0 }, opts);
    if (p.maxNewTokens <= 0) return a;
    a.generated = { ids: [], text: '', pending: true };
    await show(a);
    const g = await engine.generate({ ids: a.tokens.map((t) => t.id), maxNewTokens: p.maxNewTokens, deactivate: p.deactivate, variant: p.variant }, opts);
    a.generated = { ids: g.generatedIds, text: g.text, stoppedBy: g.stoppedBy };
    return a;
  });
  // The panel already shows the analysis: only its continuation is posted (it is the same object as `analysis`).
  const finish = (s: NonNullable<typeof shown>, generated: ActivationAnalysis['generated']): void => {
    s.analysis.generated = generated;
    s.panel?.post({ type: 'activations/continuation', text: s.analysis.text, generated });
  };
  if (!analysis) {
    // Cancelled or failed while generating: the panel shows the analysis and says the continuation stopped.
    if (shown) finish(shown, { ids: [], text: '', stopped: true });
    return;
  }
  if (shown) finish(shown, analysis.generated);
  else await show(analysis);
  marks.continued = Date.now();
  ctx.e2e.analysis(analysis, doc.fileName);
  ctx.e2e.event('analyzed', { file: doc.fileName, tokens: analysis.tokens.length, model: analysis.model.dir, variant: p.variant ?? null, continuationMs: marks.continued - marks.analyzed! });
}

/** "plan 2, load 0, engine 140, store 3, post 1, paint 40" from consecutive marks. */
function phaseLine(marks: Record<string, number>): string {
  const names: [string, string][] = [['planned', 'plan'], ['loaded', 'load'], ['variant', 'variant'], ['analyzed', 'engine'], ['posted', 'store+post'], ['painted', 'paint']];
  let prev = marks.start!;
  const parts: string[] = [];
  for (const [mark, label] of names) {
    const t = marks[mark];
    if (t === undefined) continue;
    parts.push(`${label} ${t - prev}`);
    prev = t;
  }
  return parts.join(', ');
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
