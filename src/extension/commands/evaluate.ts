/**
 * Polyglot Lens: Evaluate — the active prompt's `polyglot.eval` run in the engine process
 * (eval/run: the same code as `polyglot-lens eval`), with progress and Cancel; the results land in
 * NAME.eval/ beside the prompt (or polyglot.eval.out: results.{json,csv,md,tex} + report.html,
 * written atomically; only an earlier output of ours is replaced) and in the Results panel.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { readUserText } from '../../engine/io/userFile';
import { basename, dirname, join, resolve } from 'node:path';
import { defaultEvalFolderName } from '../../shared/prompt/evalSettings';
import type { EvalSettings, PromptMetadata } from '../../shared/prompt/types';
import { taskDeltas, type TaskDeltas } from '../../shared/results/deltas';
import { parseResultsCsv, tableMetrics } from '../../shared/results/rows';
import type { App } from '../app';
import { runJob } from '../jobs';
import { confirmJob } from '../confirmJob';
import { showResultsPanel } from '../panels/others';
import { planCommand } from './runPlan';
import { versionWatch, watchPanel } from './panelState';

/** The workspace folders: model entries are looked up in them after the prompt's own folder. */
export function workspaceRoots(): string[] {
  return vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
}

/** Model entries other than `default` name folders from a workspace file: followed only when the workspace is trusted. */
function untrustedModels(e: EvalSettings): string[] {
  return vscode.workspace.isTrusted ? [] : (e.models ?? []).filter((m) => m.split('@')[0] !== 'default');
}

export async function evaluateCommand(app: App, uri?: unknown): Promise<void> {
  const planned = await planCommand(app, 'Evaluate', uri, { noDocument: 'open a .prompt file that declares polyglot.eval to evaluate.' });
  if (!planned) return;
  const { doc, plan } = planned;
  const meta = app.prompts.get(doc).doc.metadata;
  const e = meta.polyglot.eval;
  if (!e || doc.uri.scheme !== 'file') {
    const declared = meta.ext.polyglot?.eval !== undefined;
    void vscode.window.showWarningMessage(doc.uri.scheme !== 'file'
      ? 'Polyglot Lens: Evaluate needs a .prompt file saved on disk.'
      : declared
        ? `Polyglot Lens: ${plan.fileName}: polyglot.eval has problems; see the Problems view.`
        : `Polyglot Lens: ${plan.fileName} declares no polyglot.eval. Add e.g. polyglot.eval: {task: classify, dataset: items.jsonl, models: [default, default@lrp2:fr]}.`);
    return;
  }
  const refused = untrustedModels(e);
  if (refused.length) {
    void vscode.window.showErrorMessage(`Polyglot Lens: ${plan.fileName} names model folders (${refused.join(', ')}), but this workspace is not trusted; trust it to evaluate them.`, 'Manage Workspace Trust').then((p) => {
      if (p) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return;
  }
  if (doc.isDirty && !(await doc.save())) return;
  const title = `Evaluate ${plan.fileName}`;
  const params = { file: doc.uri.fsPath, roots: workspaceRoots() };
  if (!(await confirmJob(app, title, plan.modelDir, { job: 'eval/run', params }))) return;
  const version = doc.version;
  const result = await runJob(app.ctx, app.jobs, title, async (opts) => {
    const { engine } = await app.engine.load(plan.modelDir);
    return engine.evalRun(params, opts);
  });
  if (!result) return;
  app.ctx.e2e.event('evaluated', { file: doc.fileName, out: result.out, files: result.files, models: result.models, rows: result.rows, tableMetrics: result.tableMetrics, seconds: result.seconds });
  const panel = await showResultsPanel(app.ctx, result.title, result.sections, plan.fileName, result.models.join(' vs '), {
    source: plan.fileName, version, model: basename(app.variants.modelKey(plan.modelDir)), variant: result.models.join(' vs '),
    ranAt: new Date().toISOString(), rerun: { command: 'polyglotLens.evaluate', uri: doc.uri.toString(), args: [] },
  });
  watchPanel(panel, versionWatch(doc.uri, version));
  void vscode.window.showInformationMessage(`Polyglot Lens: results written to ${result.out}`, 'Reveal').then((p) => {
    if (p === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(join(result.out, 'results.csv')));
  });
}

/** The variants polyglot.eval lists (entries with @), for Compare. */
export function evalVariants(meta: PromptMetadata): string[] {
  return (meta.polyglot.eval?.models ?? []).filter((m) => m.includes('@'));
}

/**
 * Per-task deltas of `model` against the first evaluated model, from the prompt's last Evaluate
 * (results.csv in its output folder); undefined when there is none or it does not list `model`.
 */
export function deltasFromLastEvaluate(file: string, meta: PromptMetadata, model: string | ((name: string) => boolean)): TaskDeltas | undefined {
  const e = meta.polyglot.eval;
  if (!e) return undefined;
  const csv = join(resolve(dirname(file), e.out ?? defaultEvalFolderName(basename(file))), 'results.csv');
  if (!existsSync(csv)) return undefined;
  let rows;
  try {
    rows = parseResultsCsv(readUserText(csv, 'table'), csv);
  } catch {
    return undefined; // not ours to judge here; Evaluate rewrites it
  }
  const name = typeof model === 'string' ? model : [...new Set(rows.map((r) => r.model))].slice(1).find(model);
  return name === undefined ? undefined : taskDeltas(rows, name, csv, tableMetrics(e.metrics));
}
