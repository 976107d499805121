// PLACEHOLDER written by the editor-experience helper because this file did not exist yet; the
// webview helper owns src/extension/panels/** and replaces it with the real Activations panel.
// It only shows the token count so the e2e harness has a webview to find.
import * as vscode from 'vscode';
import type { ActivationAnalysis } from '../../shared/analysis';

export async function showActivationsPanel(ctx: { subscriptions: vscode.Disposable[] }, analysis: ActivationAnalysis): Promise<void> {
  const panel = vscode.window.createWebviewPanel('polyglotLens.activations', 'Activations', vscode.ViewColumn.Beside, {});
  ctx.subscriptions.push(panel);
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  panel.webview.html = `<!doctype html><body><p data-testid="placeholder-tokens">${analysis.tokens.length}</p><pre>${esc(analysis.text)}</pre></body>`;
}
