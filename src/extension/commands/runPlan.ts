import * as vscode from 'vscode';
import { basename, dirname, resolve } from 'node:path';
import { renderPrompt, type RenderedPrompt } from '../../shared/prompt/render';
import { deactivateMask, pruningVariantName } from '../../shared/prompt/runSettings';
import type { PruningSettings } from '../../shared/prompt/types';
import type { Deactivation } from '../../engine/worker/protocol';
import type { App } from '../app';
import { ActionableError, type ErrorAction } from '../errors';
import { chooseModel } from '../prompt/modelChoice';
import { blockingDiagnostic } from '../prompt/ownership';
import { isPromptDocument } from '../promptDocuments';
import { modelChoiceFor } from '../promptModel';
import { modelPathSetting, readSettings } from '../settings';

/** Everything a model job needs from a document, decided before any model work starts. */
export interface RunPlan {
  fileName: string;
  text: string;
  rendered?: RenderedPrompt;
  example: number;
  modelDir: string | undefined;
  topK: number;
  maxNewTokens: number;
  deactivate?: Deactivation;
  /** The variant to run: the prompt's `polyglot.pruning` when it has one, else the one picked with Select Variant… */
  variant?: string;
  /** Set when `variant` comes from the prompt, so the run can create it first (once per name). */
  pruning?: PruningSettings;
  /** Folder relative calibration files and corpora resolve against. */
  cwd?: string;
  /** `polyglot.corpus`, for Find Language Neurons. */
  corpus?: string;
}

/** A problem the user fixes in a file or a setting; `actions` are offered on the notification. */
export class PlanError extends ActionableError {
  constructor(message: string, actions: ErrorAction[] = []) {
    super(message, actions);
    this.name = 'PlanError';
  }
}

/**
 * Reads the prompt (or a plain document's selection/text), renders it with the chosen example,
 * and resolves model, top-k, length, deactivation and pruned variant; throws PlanError naming
 * the file and the problem.
 */
export function planRun(app: App, doc: vscode.TextDocument, exampleIndex = 0, selection?: vscode.Selection): RunPlan {
  const fileName = basename(doc.fileName);
  const settings = readSettings();
  const setting = modelPathSetting();
  const trusted = vscode.workspace.isTrusted;
  if (!isPromptDocument(doc)) {
    const text = selection && !selection.isEmpty ? doc.getText(selection) : doc.getText();
    const choice = chooseModel({ userSetting: setting.user, workspaceSetting: setting.workspace, trusted });
    if (!choice.ok) throw new PlanError(choice.reason);
    return { fileName, text, example: -1, modelDir: choice.dir, topK: settings.topK, maxNewTokens: settings.maxNewTokens, variant: app.variants.active(app.variants.modelKey(choice.dir)), cwd: workspaceFolderOf(doc) };
  }
  const { doc: parsed, partials } = app.prompts.get(doc);
  if (parsed.file.isPartial) throw new PlanError(`${fileName} is a partial (its name starts with _); analyze a prompt that includes it with {{> ${parsed.file.name}}}`);
  const firstError = blockingDiagnostic(parsed);
  if (firstError) {
    const line = doc.positionAt(firstError.start).line + 1;
    throw new PlanError(`${fileName}:${line}: ${firstError.message}`, [{ title: 'Show Problems', command: 'workbench.actions.view.problems' }]);
  }
  const meta = parsed.metadata;
  const examples = meta.polyglot.examples ?? [];
  if (exampleIndex >= Math.max(1, examples.length)) throw new PlanError(`${fileName} has no example ${exampleIndex + 1}`);
  let rendered: RenderedPrompt;
  try {
    rendered = renderPrompt(parsed, partials, examples[exampleIndex] ?? {});
  } catch (e) {
    throw new PlanError(`${fileName}: ${(e as Error).message}`);
  }
  if (rendered.text.trim() === '') throw new PlanError(`${fileName}: the template renders to empty text; nothing to analyze`);
  const frontmatter = meta.model !== undefined && doc.uri.scheme === 'file'
    ? { written: meta.model, resolved: resolve(dirname(doc.uri.fsPath), meta.model), promptName: fileName }
    : undefined;
  const choice = chooseModel({ frontmatter, userSetting: setting.user, workspaceSetting: setting.workspace, trusted });
  if (!choice.ok) throw new PlanError(choice.reason, [{ title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }]);
  if (choice.note) app.ctx.output.warn(choice.note);
  const deactivate = meta.polyglot.deactivate;
  const pruning = meta.polyglot.pruning;
  return {
    fileName,
    text: rendered.text,
    rendered,
    example: examples.length > 0 ? exampleIndex : -1,
    modelDir: choice.dir,
    topK: meta.polyglot.topK ?? settings.topK,
    maxNewTokens: meta.config.maxOutputTokens ?? settings.maxNewTokens,
    // A language is resolved by the engine from its cached LAPE run (it says to run Find Language Neurons when there is none).
    deactivate: deactivate?.kind === 'language' ? { language: deactivate.language } : deactivateMask(deactivate),
    // A prompt that writes polyglot.pruning decides (disabled = dense); otherwise the variant chosen for its model applies.
    variant: pruning ? pruningVariantName(pruning) : app.variants.active(app.variants.modelKey(choice.dir)),
    pruning: pruning?.enabled ? pruning : undefined,
    cwd: doc.uri.scheme === 'file' ? dirname(doc.uri.fsPath) : workspaceFolderOf(doc),
    corpus: meta.polyglot.corpus,
  };
}

function workspaceFolderOf(doc: vscode.TextDocument): string | undefined {
  return (vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath;
}

/**
 * The shared start of every prompt command: the target document (or a warning when there is
 * none), then its RunPlan (or the plan error shown to the user). `undefined` means the command
 * has already told the user why it stops.
 */
export async function planCommand(
  app: App,
  what: string,
  uri: unknown,
  opts: { exampleIndex?: unknown; noDocument: string; useSelection?: boolean },
): Promise<{ doc: vscode.TextDocument; plan: RunPlan } | undefined> {
  const doc = await targetDocument(uri);
  if (!doc) {
    void vscode.window.showWarningMessage(`Polyglot Lens: ${opts.noDocument}`);
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const selection = opts.useSelection && editor?.document === doc ? editor.selection : undefined;
  try {
    return { doc, plan: planRun(app, doc, typeof opts.exampleIndex === 'number' ? opts.exampleIndex : 0, selection) };
  } catch (e) {
    showPlanError(app, what, e);
    return undefined;
  }
}

/** The document a command acts on: the URI it was given (CodeLens, editor title) or the active editor's. */
export async function targetDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

/** Shows a PlanError (with its actions) or any other failure as one notification. */
export function showPlanError(app: App, what: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  const actions = e instanceof ActionableError ? e.actions : [];
  app.ctx.output.error(`${what}: ${message}`);
  app.ctx.e2e.event('error', { what, reason: message });
  void vscode.window.showErrorMessage(`Polyglot Lens: ${message}`, ...actions.map((a) => a.title), 'Show Log').then((pick) => {
    const action = actions.find((a) => a.title === pick);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
    else if (pick === 'Show Log') app.ctx.output.show(true);
  });
}

/**
 * The model a palette command (Prune Model…, Find Language Neurons…) works on: the active
 * prompt's `model:` when it names one and may be used, else the settings' or the default model.
 */
export function activeModelDir(app: App): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  const meta = doc && isPromptDocument(doc) ? app.prompts.get(doc).doc.metadata : undefined;
  const choice = modelChoiceFor(doc, meta);
  if (!choice.ok) throw new PlanError(choice.reason, [{ title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }]);
  return choice.dir;
}

/** The folder relative calibration files and globs resolve against when no prompt is involved. */
export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** Languages to offer in pickers: the loaded model's declared ones, else a common set the default model knows. */
export function offeredLanguages(app: App): string[] {
  const declared = app.engine.model?.languages ?? [];
  return declared.length > 0 ? declared : ['en', 'fr', 'de', 'es', 'ja', 'zh'];
}
