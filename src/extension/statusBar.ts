import * as vscode from 'vscode';
import { basename } from 'node:path';
import { pruningVariantName } from '../shared/prompt/runSettings';
import type { App } from './app';
import { isPromptDocument } from './promptDocuments';
import { SECTION } from './settings';
import { modelChoiceFor } from './promptModel';

/** Status bar: the model, the active prompt's pruning variant (or "dense"), and the running job. */
export function registerStatusBar(app: App): void {
  const item = app.ctx.own(vscode.window.createStatusBarItem('polyglotLens.status', vscode.StatusBarAlignment.Left, 10));
  item.name = 'Polyglot Lens';
  item.command = 'polyglotLens.statusMenu';
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const prompt = editor && isPromptDocument(editor.document) ? app.prompts.get(editor.document).doc : undefined;
    // The model this prompt runs on (as a run chooses it); its variants only.
    const choice = modelChoiceFor(editor?.document, prompt?.metadata);
    const model = choice.ok ? choice.dir : prompt?.metadata.model;
    const modelName = model ? basename(model) : 'default model';
    // Same precedence as a run (runPlan.ts): the prompt's polyglot.pruning, else the variant chosen for this model.
    const pruning = prompt?.metadata.polyglot.pruning;
    const variant = (pruning ? pruningVariantName(pruning) : choice.ok ? app.variants.active(app.variants.modelKey(choice.dir)) : undefined) ?? 'dense';
    const job = app.jobs.current;
    // How the loaded model runs, when it is not the plain default (F32 resident on the CPU).
    const rt = app.engine.model?.runtime;
    const how = [rt && rt.weights !== 'resident' ? rt.weights : '', rt?.executionProvider === 'cuda' ? 'cuda' : ''].filter(Boolean).join(', ');
    item.text = job ? `$(sync~spin) ${job}` : `$(pulse) ${modelName} · ${variant}${how ? ` · ${how}` : ''}`;
    item.tooltip = new vscode.MarkdownString(
      `**Polyglot Lens**\n\nModel: \`${model ?? 'default model (models/default)'}\`\n\nVariant: ${variant}${rt ? `\n\nWeights: ${rt.weights} (${rt.weightsReason}); execution provider: ${rt.executionProvider}` : ''}${job ? `\n\nRunning: ${job}` : ''}\n\nClick for the menu: model, variant, jobs, engine.`,
    );
    item.show();
  };
  app.ctx.own(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === vscode.window.activeTextEditor?.document) update(); }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) update(); }),
    app.jobs.onDidChange.event(update),
    app.engine.onDidLoadModel.event(update),
    app.variants.onDidChange.event(update),
    app.jobs.onDidChange,
  );
  // First paint after activation returns: it parses the active prompt.
  const initial = setTimeout(update, 0);
  app.ctx.own({ dispose: () => clearTimeout(initial) });
}
