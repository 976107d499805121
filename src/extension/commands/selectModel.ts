import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { App } from '../app';
import { modelPathSetting, SECTION } from '../settings';

const RECENT_KEY = 'polyglotLens.recentModels';
const MAX_RECENT = 8;

/**
 * Polyglot Lens: Select Model… — recent folders, the default model, or a folder picker. The
 * choice goes to the user setting (never the workspace's: a model path in workspace settings is
 * only honoured in trusted workspaces, see modelChoice.ts).
 */
export async function selectModel(app: App): Promise<void> {
  const recent = app.ctx.extension.globalState.get<string[]>(RECENT_KEY, []);
  type Item = vscode.QuickPickItem & { dir?: string | null };
  const items: Item[] = [
    { label: '$(folder-opened) Browse…', description: 'a Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json or vocab.json + merges.txt)' },
    { label: '$(home) Default model', description: 'the small UDHR model shipped with Polyglot Lens', dir: null },
    ...recent.map((dir) => ({ label: basename(dir), description: dir, dir })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Polyglot Lens: Select Model', placeHolder: 'Model for analyses without a model: line' });
  if (!pick) return;
  let dir = pick.dir;
  if (dir === undefined) {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use this model' });
    if (!chosen?.[0]) return;
    dir = chosen[0].fsPath;
  }
  if (dir !== null && !existsSync(join(dir, 'config.json'))) {
    void vscode.window.showErrorMessage(`Polyglot Lens: ${dir} has no config.json; pick a Hugging Face checkpoint folder.`);
    return;
  }
  await vscode.workspace.getConfiguration(SECTION).update('modelPath', dir ?? '', vscode.ConfigurationTarget.Global);
  if (dir !== null) await app.ctx.extension.globalState.update(RECENT_KEY, [dir, ...recent.filter((r) => r !== dir)].slice(0, MAX_RECENT));
  app.ctx.log(`model set to ${dir ?? 'the default model'} (user setting)`);
  if (modelPathSetting().workspace && vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Polyglot Lens: this workspace sets polyglotLens.modelPath too; the workspace value takes precedence here.');
  }
}
