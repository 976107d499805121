/**
 * Compare Instructions and Measure Numeric Bias (methods.md §6, §7) on the active .prompt file:
 * pick the dataset, run the study in the engine process (progress, Cancel), show the Studies
 * panel — the same sections `compare-instructions` and `bias` write into report.html.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { App } from '../app';
import { runJob } from '../jobs';
import { showStudiesPanel } from '../panels/others';
import { isPromptDocument } from '../promptDocuments';
import { activeModelDir, showPlanError, targetDocument } from './runPlan';

/** What a caller (a test, a CodeLens) may pass instead of picking. */
interface StudyArgs {
  dataset?: string;
  limit?: number;
  /** bias: ranges to sweep instead of polyglot.scores. */
  ranges?: { min: number; max: number }[];
  /** bias: other checkpoint folders scored side by side with the current model. */
  compareWith?: string[];
}

const BROWSE = 'Browse…';

function studyArgs(x: unknown): StudyArgs {
  return typeof x === 'object' && x !== null && !(x instanceof vscode.Uri) ? (x as StudyArgs) : {};
}

/** A saved .prompt file on disk: the engine reads the task and its variants from the file system. */
async function promptOnDisk(uri: unknown, what: string): Promise<vscode.TextDocument | undefined> {
  const doc = await targetDocument(uri instanceof vscode.Uri ? uri : undefined);
  if (!doc || !isPromptDocument(doc) || doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(`Polyglot Lens: ${what} needs a .prompt file saved on disk; open one first.`);
    return undefined;
  }
  if (doc.isDirty && !(await doc.save())) return undefined;
  return doc;
}

/** The dataset: the argument, else a JSONL file beside the prompt, or one the user browses to. */
async function chooseDataset(doc: vscode.TextDocument, given: string | undefined): Promise<string | undefined> {
  if (given) return given;
  const folder = vscode.Uri.joinPath(doc.uri, '..');
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '*.jsonl'), undefined, 200);
  const picks = [...found.map((u) => ({ label: basename(u.fsPath), description: 'beside the prompt', uri: u })), { label: BROWSE, description: 'a JSONL file elsewhere', uri: undefined }];
  const pick = await vscode.window.showQuickPick(picks, { title: 'Dataset (JSONL: fields fill the template)', placeHolder: 'Items to run the study on' });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri.fsPath;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: folder, filters: { JSONL: ['jsonl'] }, openLabel: 'Use as dataset' });
  return chosen?.[0]?.fsPath;
}

async function prepare(app: App, uri: unknown, what: string, args: StudyArgs): Promise<{ doc: vscode.TextDocument; modelDir: string | undefined; dataset: string } | undefined> {
  const doc = await promptOnDisk(uri, what);
  if (!doc) return undefined;
  let modelDir: string | undefined;
  try {
    modelDir = activeModelDir(app);
  } catch (e) {
    showPlanError(app, what, e);
    return undefined;
  }
  const dataset = await chooseDataset(doc, args.dataset);
  return dataset ? { doc, modelDir, dataset } : undefined;
}

/** Polyglot Lens: Compare Instructions — every item through every instruction variant of the task. */
export async function compareInstructionsCommand(app: App, uri?: unknown, rawArgs?: unknown): Promise<void> {
  const args = studyArgs(uri instanceof vscode.Uri ? rawArgs : uri);
  const ready = await prepare(app, uri, 'Compare Instructions', args);
  if (!ready) return;
  const result = await runJob(app.ctx, app.jobs, `Compare instructions (${basename(ready.doc.fileName)})`, async (opts) => {
    const { engine } = await app.engine.load(ready.modelDir);
    return engine.studyInstructions({ file: ready.doc.uri.fsPath, dataset: ready.dataset, limit: args.limit }, opts);
  });
  if (!result) return;
  app.ctx.e2e.event('studies', { kind: 'instructions', summaries: result.summaries });
  await showStudiesPanel(app.ctx, result.title, result.sections);
}

/** Polyglot Lens: Measure Numeric Bias — the score distribution of every item, histograms side by side. */
export async function measureNumericBiasCommand(app: App, uri?: unknown, rawArgs?: unknown): Promise<void> {
  const args = studyArgs(uri instanceof vscode.Uri ? rawArgs : uri);
  const ready = await prepare(app, uri, 'Measure Numeric Bias', args);
  if (!ready) return;
  const result = await runJob(app.ctx, app.jobs, `Measure numeric bias (${basename(ready.doc.fileName)})`, async (opts) => {
    const { engine } = await app.engine.load(ready.modelDir);
    return engine.studyBias({ file: ready.doc.uri.fsPath, dataset: ready.dataset, limit: args.limit, ranges: args.ranges, compareWith: args.compareWith }, opts);
  });
  if (!result) return;
  app.ctx.e2e.event('studies', { kind: 'bias', metrics: result.metrics });
  await showStudiesPanel(app.ctx, result.title, result.sections);
}
