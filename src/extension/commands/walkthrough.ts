/**
 * The Get Started walkthrough's buttons (package.json contributes.walkthroughs): each step runs
 * on the default model, offline, on a copy of the shipped examples kept in the extension's global
 * storage (the walkthrough edits them — Toggle, Deactivate — and never touches the installed
 * extension or the user's workspace).
 */
import * as vscode from 'vscode';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app';
import { analyzeActivations } from './analyze';
import { compareDensePruned } from './compare';
import { evaluateCommand } from './evaluate';
import { findLanguageNeurons } from './neurons';

/** The examples folder the walkthrough works in: a copy made on first use (files already there are kept). */
function examplesDir(app: App): string {
  const dir = join(app.ctx.extension.globalStorageUri.fsPath, 'examples');
  if (!existsSync(join(dir, 'hello.en.prompt'))) {
    mkdirSync(dir, { recursive: true });
    cpSync(app.ctx.extension.asAbsolutePath('examples'), dir, { recursive: true, force: false, errorOnExist: false });
  }
  return dir;
}

async function openExample(app: App, file: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.file(join(examplesDir(app), file));
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  app.ctx.e2e.event('walkthrough', { step: file, file: uri.fsPath });
  return editor;
}

/** The walkthrough's own prompt for the hover step: a live neuron written where it can be hovered. */
const NEURON_PROMPT = '---\ndescription: Hover L2.N100 (layer 2, neuron 100) to see its activation on every token of this prompt.\nconfig:\n  maxOutputTokens: 4\npolyglot.topK: 4\n---\nAll human beings are born free and equal in dignity and rights.\n';

/** Analyzes the walkthrough's neuron prompt (once), puts the cursor on L2.N100 and shows its hover: the neuron on every token. */
async function hoverNeuron(app: App): Promise<void> {
  const file = join(examplesDir(app), 'neuron.prompt');
  if (!existsSync(file)) writeFileSync(file, NEURON_PROMPT);
  const editor = await openExample(app, 'neuron.prompt');
  if (!app.ctx.analyses.has(editor.document.uri.toString())) await analyzeActivations(app, editor.document.uri, 0);
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preview: false });
  const m = /L2\.N100/.exec(editor.document.getText());
  if (!m) return;
  const at = editor.document.positionAt(m.index + 1);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at));
  await vscode.commands.executeCommand('editor.action.showHover');
}

/** The walkthrough's steps, in order (commands.ts registers them as polyglotLens.walkthrough<Step>). */
export const walkthrough = {
  openExample: (app: App) => openExample(app, 'hello.en.prompt'),
  analyze: async (app: App) => analyzeActivations(app, (await openExample(app, 'hello.en.prompt')).document.uri, 0),
  hoverNeuron,
  findLanguageNeurons: async (app: App) => {
    await openExample(app, 'hello.en.prompt');
    return findLanguageNeurons(app, { corpus: 'udhr:en,fr' });
  },
  pruneAndCompare: async (app: App) => compareDensePruned(app, (await openExample(app, 'prune-de.prompt')).document.uri),
  evaluate: async (app: App) => evaluateCommand(app, (await openExample(app, join('eval', 'classify.prompt'))).document.uri),
};
