/**
 * Neurons you can read: the neuron hover's data (engine `neuron/report` on the analysed prompt,
 * from the analysis's own forward), the Neuron panel (Polyglot Lens: Show Neuron…) and its actions.
 */
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { App } from '../app';
import type { StoredAnalysis } from '../context';
import { neuronKey, parseNeuronKey } from '../../shared/analysis';
import type { NeuronReport } from '../../shared/neuron';
import type { NeuronAction } from '../../shared/protocol';
import { runJob } from '../jobs';
import { LensPanel, showComparePanel } from '../panels';
import { toWire } from '../../shared/wire';
import { showNeuronPanel } from '../panels/neuron';
import { addDeactivateEdit } from '../prompt/deactivateEdit';
import { isPromptDocument } from '../promptDocuments';
import { readSettings } from '../settings';
import { analyzeActivations } from './analyze';
import { showPlanError, workspaceRoot } from './runPlan';
import { promptWatch, runLabel, watchPanel } from './panelState';

/** `polyglotLens.neuronIndex`, relative paths against the first workspace folder. */
function indexDir(): string | undefined {
  const dir = readSettings().neuronIndex;
  if (!dir) return undefined;
  const root = workspaceRoot();
  return isAbsolute(dir) || !root ? dir : join(root, dir);
}

/** The analysis a neuron is shown on: the document's own, else the last one. */
function analysisFor(app: App, uri: vscode.Uri | undefined): { stored: StoredAnalysis; uri: string | undefined } | undefined {
  const own = uri ? app.ctx.analyses.get(uri.toString()) : undefined;
  if (own) return { stored: own, uri: uri!.toString() };
  const last = app.ctx.lastAnalysis;
  if (!last) return undefined;
  return { stored: last, uri: [...app.ctx.analyses.entries()].find(([, v]) => v === last)?.[0] };
}

/**
 * For hovers: the report when the engine already holds the analysed model (a hover never starts
 * the engine or switches models); undefined otherwise, and the hover falls back to the analysis.
 */
export async function hoverNeuronReport(app: App, uri: vscode.Uri | undefined, layer: number, index: number): Promise<NeuronReport | undefined> {
  const found = analysisFor(app, uri);
  if (!found || app.engine.model?.dir !== found.stored.analysis.model.dir) return undefined;
  const { stored } = found;
  if (layer >= stored.analysis.nLayers || index >= stored.analysis.model.dMlp) return undefined;
  const started = performance.now();
  const engine = await app.engine.engine();
  const report = await engine.neuronReport({ text: stored.analysis.text, layer, index, deactivate: stored.run?.deactivate, variant: stored.run?.variant, indexDir: indexDir() });
  app.ctx.e2e.event('neuron-hover', { neuron: neuronKey(layer, index), ms: performance.now() - started, cached: report.cached });
  app.ctx.e2e.neuron(report, 'hover');
  return report;
}

/** The document URI the Neuron panel's actions apply to. */
let panelDocument: string | undefined;

function parseArgs(arg: unknown): { layer: number; index: number; uri?: vscode.Uri } | undefined {
  if (typeof arg === 'string') return parseNeuronKey(arg.trim()) ?? undefined;
  const a = arg as { layer?: unknown; index?: unknown; uri?: unknown } | undefined;
  if (a && Number.isInteger(a.layer) && Number.isInteger(a.index)) {
    return { layer: a.layer as number, index: a.index as number, uri: typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : undefined };
  }
  return undefined;
}

/** Polyglot Lens: Show Neuron… — from the hover's link (args) or the palette (asks for L3.N127). */
export async function showNeuron(app: App, arg?: unknown): Promise<void> {
  let ref = parseArgs(arg);
  if (!ref) {
    const typed = await vscode.window.showInputBox({ prompt: 'Neuron to show', placeHolder: 'L3.N127', validateInput: (v) => (parseNeuronKey(v.trim()) ? undefined : 'write L{layer}.N{index}, e.g. L3.N127') });
    if (!typed) return;
    ref = parseNeuronKey(typed.trim())!;
  }
  const found = analysisFor(app, ref.uri ?? vscode.window.activeTextEditor?.document.uri);
  if (!found) {
    void vscode.window.showInformationMessage('Polyglot Lens: no analysis yet. Run "Polyglot Lens: Analyze Activations" first.');
    return;
  }
  const { stored } = found;
  const { layer, index } = ref;
  const report = await runJob(app.ctx, app.jobs, `Neuron ${neuronKey(layer, index)}`, async (o) => {
    const { engine } = await app.engine.load(stored.analysis.model.dir);
    return engine.neuronReport({ text: stored.analysis.text, layer, index, deactivate: stored.run?.deactivate, variant: stored.run?.variant, indexDir: indexDir() }, o);
  });
  if (!report) return;
  panelDocument = found.uri;
  app.ctx.e2e.neuron(report, 'panel');
  const sp = stored.provenance;
  const panel = await showNeuronPanel(app.ctx, report, {
    source: sp?.source, version: sp?.version, model: report.model.name, variant: runLabel(stored.run?.variant, stored.run?.deactivate), ranAt: new Date().toISOString(),
    rerun: { command: 'polyglotLens.showNeuron', args: [{ layer, index, ...(found.uri ? { uri: found.uri } : {}) }] },
  });
  // The neuron is shown on its analysis's prompt: stale when that prompt would now run something else.
  if (found.uri && stored.signature) watchPanel(panel, promptWatch(app, vscode.Uri.parse(found.uri), stored.example, { ...stored.signature, topK: undefined, maxNewTokens: undefined }));
  app.ctx.e2e.event('neuron-panel', { neuron: neuronKey(layer, index) });
  void panel.nextPaint().then((ms) => app.ctx.e2e.event('painted', { view: 'neuron', ms }));
}

/** The Neuron panel's buttons, and neuron hovers in the Activations panel (heatmap, top-neuron table). */
export function registerNeuronActions(app: App): void {
  // Pointer moves send many neuron/hover messages: one request in flight, then only the latest.
  let busy = false;
  let next: { layer: number; index: number } | null = null;
  const answer = async (): Promise<void> => {
    if (busy || !next) return;
    const ref = next;
    next = null;
    busy = true;
    try {
      const report = await hoverNeuronReport(app, undefined, ref.layer, ref.index);
      const panel = LensPanel.get(app.ctx, 'activations');
      if (report && panel) panel.post({ type: 'neuron/report', report: toWire(report) });
    } catch (e) {
      app.ctx.log(`panel neuron hover: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      busy = false;
      void answer();
    }
  };
  app.ctx.own(app.ctx.panelMessages.event(({ kind, msg }) => {
    if (msg.type === 'neuron/action') void act(app, msg).catch((e) => showPlanError(app, 'Neuron action', e));
    else if (msg.type === 'neuron/column' && kind === 'activations') void column(app, msg.neuron.layer, msg.neuron.index);
    else if (msg.type === 'neuron/hover' && kind === 'activations' && msg.neuron) {
      next = msg.neuron;
      void answer();
    }
  }));
}

/**
 * Show L3.N127 in the Activations heatmap: the neuron on every token of the analysis the panel
 * shows (the panel holds only each token's top-k). Loads the analysed model when the engine holds
 * another (an explicit request, unlike a hover); the answer goes to the panel as a neuron/report.
 */
async function column(app: App, layer: number, index: number): Promise<void> {
  const shown = app.ctx.shownActivations;
  const found = analysisFor(app, shown);
  const panel = LensPanel.get(app.ctx, 'activations');
  if (!found || !panel) return;
  const { stored } = found;
  if (layer >= stored.analysis.nLayers || index >= stored.analysis.model.dMlp) return;
  try {
    const { engine } = await app.engine.load(stored.analysis.model.dir);
    const report = await engine.neuronReport({ text: stored.analysis.text, layer, index, deactivate: stored.run?.deactivate, variant: stored.run?.variant, indexDir: indexDir() });
    app.ctx.e2e.neuron(report, 'column');
    panel.post({ type: 'neuron/report', report: toWire(report) });
  } catch (e) {
    app.ctx.log(`heatmap column of ${neuronKey(layer, index)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function act(app: App, m: NeuronAction): Promise<void> {
  const key = neuronKey(m.layer, m.index);
  app.ctx.e2e.event('neuron-action', { action: m.action, neuron: key });
  if (m.action === 'buildIndex') {
    // Build (dialogs as from the palette), then show the neuron again: its top examples come from the new index.
    // The panel's analysis says which model, and its prompt which corpus (polyglot.corpus), if it declares one.
    const shown = analysisFor(app, panelDocument ? vscode.Uri.parse(panelDocument) : undefined);
    const doc = shown?.uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.uri) : undefined;
    const corpus = doc && isPromptDocument(doc) ? app.prompts.get(doc).doc.metadata.polyglot.corpus : undefined;
    await vscode.commands.executeCommand('polyglotLens.buildNeuronIndex', { modelDir: shown?.stored.analysis.model.dir, ...(corpus ? { corpus } : {}) });
    if (readSettings().neuronIndex) await showNeuron(app, { layer: m.layer, index: m.index, ...(panelDocument ? { uri: panelDocument } : {}) });
    return;
  }
  if (m.action === 'copy') {
    await vscode.env.clipboard.writeText(key);
    void vscode.window.setStatusBarMessage(`Polyglot Lens: copied ${key}`, 3000);
    return;
  }
  const found = analysisFor(app, panelDocument ? vscode.Uri.parse(panelDocument) : undefined);
  if (!found) throw new Error('the analysis this panel showed is gone; analyze the prompt again');
  if (m.action === 'compare') {
    const text = found.stored.analysis.text;
    const result = await runJob(app.ctx, app.jobs, `Compare with ${key} off`, async (o) => {
      const { engine } = await app.engine.load(found.stored.analysis.model.dir);
      return engine.pruneCompare({ text, deactivate: { [m.layer]: [m.index] }, maxNewTokens: readSettings().maxNewTokens }, o);
    });
    if (result) await showComparePanel(app.ctx, result, undefined, { source: found.stored.provenance?.source, model: found.stored.analysis.model.name, variant: `dense vs ${key} off`, ranAt: new Date().toISOString() });
    return;
  }
  if (!found.uri) throw new Error('the analysed prompt is not an open document');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(found.uri));
  const edit = addDeactivateEdit(doc.getText(), m.layer, m.index);
  if ('reason' in edit) {
    void vscode.window.showInformationMessage(`Polyglot Lens: ${edit.reason}.`);
    return;
  }
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.text);
  if (!(await vscode.workspace.applyEdit(we))) throw new Error('could not edit the prompt (is it read-only?)');
  app.ctx.e2e.event('neuron-deactivated', { file: doc.fileName, neuron: key });
  // Rerun the analysis with the neuron off, as the pruning toggle does.
  void analyzeActivations(app, doc.uri, Math.max(0, found.stored.example));
}
