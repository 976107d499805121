/**
 * The status bar item's menu (as rust-analyzer's): the model and variant the active prompt runs
 * on, the jobs, and the engine, each one pick away.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { App } from '../app';
import { isPromptDocument } from '../promptDocuments';
import { modelChoiceFor } from '../promptModel';
import { pruningVariantName } from '../../shared/prompt/runSettings';

interface Entry extends vscode.QuickPickItem {
  command?: string;
  args?: unknown[];
}

export async function statusMenu(app: App): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const prompt = editor && isPromptDocument(editor.document) ? app.prompts.get(editor.document).doc : undefined;
  const choice = modelChoiceFor(editor?.document, prompt?.metadata);
  const key = choice.ok ? app.variants.modelKey(choice.dir) : undefined;
  const pruning = prompt?.metadata.polyglot.pruning;
  const variant = (pruning ? pruningVariantName(pruning) : key ? app.variants.active(key) : undefined) ?? 'dense';
  const jobs = app.jobs.list();
  const items: Entry[] = [
    { label: '$(database) Select Model…', description: key ? basename(key) : choice.ok ? '' : 'not usable here', detail: choice.ok ? undefined : choice.reason, command: 'polyglotLens.selectModel' },
    { label: '$(layers) Select Variant…', description: pruning ? `${variant} (the prompt's polyglot.pruning)` : variant, command: 'polyglotLens.selectVariant' },
    { label: '$(scissors) Prune Model…', command: 'polyglotLens.pruneModel' },
    { label: jobs.length ? '$(sync~spin) Jobs' : '$(check) Jobs', description: jobs.length ? jobs.map((j) => (j.state === 'running' ? `${j.title} (running)` : `${j.title} (waiting)`)).join(', ') : 'none running', command: 'polyglotLens.overview.focus' },
    { label: '$(debug-restart) Restart Engine', description: app.engine.model ? `holds ${basename(app.engine.model.dir)}` : 'not started', command: 'polyglotLens.restartEngine' },
    { label: '$(output) Show Log', command: 'polyglotLens.showLog' },
    { label: '$(book) Get Started', description: 'the walkthrough', command: 'workbench.action.openWalkthrough', args: ['polyglot-lens.polyglot-lens#polyglotLens.getStarted', false] },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Polyglot Lens', placeHolder: 'Model, variant, jobs and the engine' });
  app.ctx.e2e.event('status-menu', { picked: pick?.command ?? null });
  if (pick?.command) await vscode.commands.executeCommand(pick.command, ...(pick.args ?? []));
}
