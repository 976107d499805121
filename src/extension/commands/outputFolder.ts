/**
 * The folder an editor command writes into: a parent picked in VS Code's folder dialog, then the
 * new folder's name; an existing folder only after the user agrees (the engine's output policy then
 * replaces only an earlier output of Polyglot Lens and refuses anything else).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export async function pickOutputFolder(o: { title: string; openLabel: string; defaultName: string; what: string }): Promise<{ outDir: string; overwrite: boolean } | undefined> {
  const parent = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: o.openLabel, title: o.title, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!parent?.[0]) return undefined;
  const name = await vscode.window.showInputBox({ title: `${o.title}: folder name`, value: o.defaultName.replace(/[^\w.-]+/g, '_') });
  if (!name) return undefined;
  const outDir = join(parent[0].fsPath, name);
  if (!existsSync(outDir)) return { outDir, overwrite: false };
  const ok = await vscode.window.showWarningMessage(`${outDir} already exists. Replace it with ${o.what}? (Only an earlier output of Polyglot Lens is ever replaced; any other folder is refused.)`, { modal: true }, 'Replace');
  return ok === 'Replace' ? { outDir, overwrite: true } : undefined;
}
