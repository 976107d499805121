/**
 * Restores panels after a window reload. The webview keeps its last `show` message and UI state
 * in vscode.setState, so the host only re-attaches HTML, options and message handling.
 * package.json needs `onWebviewPanel:<viewType>` activation events for each of VIEW_TYPES.
 */
import * as vscode from 'vscode';
import { PANEL_KINDS } from '../../shared/protocol';
import { LensPanel, VIEW_TYPES, type PanelHost } from './lensPanel';

export function registerPanelSerializers(ctx: PanelHost): void {
  for (const kind of PANEL_KINDS) {
    ctx.subscriptions.push(vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        LensPanel.restore(ctx, kind, panel);
      },
    }));
  }
}
