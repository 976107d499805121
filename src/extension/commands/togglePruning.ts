import * as vscode from 'vscode';
import type { App } from '../app';
import { toggleEnabledEdit } from '../prompt/pruningLens';
import { analyzeActivations } from './analyze';
import { targetDocument } from './runPlan';

/**
 * Toggle (the pruning CodeLens): flips `polyglot.pruning.enabled` with a WorkspaceEdit, so Undo
 * restores it, then reruns the analysis with the new setting (not awaited: the lens returns at once).
 */
export async function togglePruning(app: App, uri?: unknown): Promise<void> {
  const doc = await targetDocument(uri);
  const edit = doc && toggleEnabledEdit(doc.getText());
  if (!doc || !edit) {
    void vscode.window.showInformationMessage('Polyglot Lens: this file has no polyglot.pruning mapping to toggle.');
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
