import * as vscode from 'vscode';
import type { App } from '../app';
import { isPromptDocument } from '../promptDocuments';
import { modelChoiceFor } from '../promptModel';
import { pruningInsertion, pruningMapping } from '../prompt/pruningInsert';
import { toggleEnabledEdit } from '../prompt/pruningLens';
import { analyzeActivations } from './analyze';
import { targetDocument } from './runPlan';

/**
 * Toggle (the pruning CodeLens): flips `polyglot.pruning.enabled` with a WorkspaceEdit, so Undo
 * restores it, then reruns the analysis with the new setting (not awaited: the lens returns at once).
 * A prompt without a `polyglot.pruning` mapping is offered the variant chosen for its model (one
 * insertion, undoable), or Prune Model… when there is none: no dead end.
 */
export async function togglePruning(app: App, uri?: unknown): Promise<void> {
  const doc = await targetDocument(uri);
  const edit = doc && toggleEnabledEdit(doc.getText());
  if (doc && !edit) return offerInsert(app, doc);
  if (!doc || !edit) {
    void vscode.window.showInformationMessage('Polyglot Lens: open a .prompt file to toggle its pruning.');
    return;
  }
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.text);
  if (!(await vscode.workspace.applyEdit(we))) {
    void vscode.window.showErrorMessage('Polyglot Lens: could not edit the prompt (is it read-only?).');
    return;
  }
  app.ctx.e2e.event('pruning-toggled', { file: doc.fileName, enabled: edit.enabled });
  void analyzeActivations(app, doc.uri, 0);
}

async function offerInsert(app: App, doc: vscode.TextDocument): Promise<void> {
  const meta = isPromptDocument(doc) ? app.prompts.get(doc).doc.metadata : undefined;
  const choice = modelChoiceFor(doc, meta);
  const key = choice.ok ? app.variants.modelKey(choice.dir) : undefined;
  const name = key ? app.variants.active(key) : undefined;
  const record = key && name ? app.variants.get(key, name) : undefined;
  const mapping = record?.settings && pruningMapping(record.settings);
  if (!name || !mapping) {
    const why = !name ? 'no pruning variant is active for its model' : `the active variant ${name} cannot be written as polyglot.pruning (a prompt names one calibration)`;
    const pick = await vscode.window.showInformationMessage(`Polyglot Lens: this prompt has no polyglot.pruning block, and ${why}.`, 'Prune Model…');
    if (pick === 'Prune Model…') await vscode.commands.executeCommand('polyglotLens.pruneModel');
    return;
  }
  const insert = 'Insert polyglot.pruning';
  const pick = await vscode.window.showInformationMessage(`Polyglot Lens: this prompt has no polyglot.pruning block. Insert the active variant ${name}, so the prompt runs it (and Toggle switches it)?`, insert);
  if (pick !== insert) return;
  const at = pruningInsertion(doc.getText(), mapping);
  const we = new vscode.WorkspaceEdit();
  we.insert(doc.uri, doc.positionAt(at.at), at.text);
  if (!(await vscode.workspace.applyEdit(we))) {
    void vscode.window.showErrorMessage('Polyglot Lens: could not edit the prompt (is it read-only?).');
    return;
  }
  app.ctx.e2e.event('pruning-inserted', { file: doc.fileName, variant: name, text: at.text });
  void analyzeActivations(app, doc.uri, 0);
}
