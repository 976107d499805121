/**
 * Compare Instructions and Measure Numeric Bias (methods.md §6, §7) on the active .prompt file:
 * pick the dataset, run the study in the engine process (progress, Cancel), show the Studies
 * panel — the same sections `compare-instructions` and `bias` write into report.html.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { App } from '../app';
import { runJob } from '../jobs';
import { confirmJob } from '../confirmJob';
import { showStudiesPanel } from '../panels/others';
import { isPromptDocument } from '../promptDocuments';
import { failuresOf } from '../../shared/studies';
import { variantEntriesProblem } from '../../shared/modelSpec';
import { activeModelDir, showPlanError, targetDocument } from './runPlan';
import { versionWatch, watchPanel } from './panelState';
import type { PanelProvenance } from '../../shared/protocol';

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
  const params = { file: ready.doc.uri.fsPath, dataset: ready.dataset, limit: args.limit };
  const title = `Compare instructions (${basename(ready.doc.fileName)})`;
  if (!(await confirmJob(app, title, ready.modelDir, { job: 'studies/instructions', params }))) return;
  const version = ready.doc.version;
  const result = await runJob(app.ctx, app.jobs, title, async (opts) => {
    const { engine } = await app.engine.load(ready.modelDir);
    return engine.studyInstructions(params, opts);
  });
  if (!result) return;
  const outputs = result.sections.flatMap((x) => (x.kind === 'instructionResults' ? x.data.outputs : []));
  app.ctx.e2e.event('studies', { study: 'instructions', summaries: result.summaries, failing: result.summaries.map((x) => ({ variant: x.variant, language: x.language, count: failuresOf(outputs, x.variant, x.language).length })) });
  const panel = await showStudiesPanel(app.ctx, result.title, result.sections, studyProvenance(app, ready, version, 'polyglotLens.compareInstructions', { dataset: ready.dataset, ...(args.limit ? { limit: args.limit } : {}) }));
  watchPanel(panel, versionWatch(ready.doc.uri, version));
}

/** The Studies panel's header: the prompt and dataset, the model; Re-run runs the same study on the same dataset. */
function studyProvenance(app: App, ready: { doc: vscode.TextDocument; modelDir: string | undefined; dataset: string }, version: number, command: string, args: StudyArgs): PanelProvenance {
  return {
    source: `${basename(ready.doc.fileName)} · ${basename(ready.dataset)}`, version, model: basename(app.variants.modelKey(ready.modelDir)), variant: 'dense',
    ranAt: new Date().toISOString(), rerun: { command, uri: ready.doc.uri.toString(), args: [args] },
  };
}

const SWEEP = [{ min: 1, max: 5 }, { min: 0, max: 9 }, { min: 1, max: 100 }];
const rangeName = (r: { min: number; max: number }): string => `${r.min}–${r.max}`;

/** The ranges to sweep: the prompt's polyglot.scores preselected, plus the study's usual 1–5, 0–9, 1–100. */
async function chooseRanges(app: App, doc: vscode.TextDocument): Promise<{ min: number; max: number }[] | undefined> {
  const own = app.prompts.get(doc).doc.metadata.polyglot.scores;
  const all = own && !SWEEP.some((r) => r.min === own.min && r.max === own.max) ? [own, ...SWEEP] : SWEEP;
  const picks = await vscode.window.showQuickPick(
    all.map((r) => ({ label: rangeName(r), description: own && r.min === own.min && r.max === own.max ? 'polyglot.scores' : undefined, picked: own ? r.min === own.min && r.max === own.max : r === SWEEP[0], range: r })),
    { title: 'Score ranges (the template sees scoreMin and scoreMax)', canPickMany: true, placeHolder: 'One or more ranges to compare' },
  );
  if (!picks?.length) return undefined;
  return picks.map((p) => p.range);
}

/** Other models to score side by side (e.g. base vs instruction-tuned, or a variant of this one), or none. */
async function chooseOtherModels(): Promise<string[] | undefined> {
  const only = { label: 'This model only', other: '' };
  const pick = await vscode.window.showQuickPick(
    [only, { label: 'Also score another checkpoint…', description: 'e.g. the base model beside an aligned one', other: 'folder' }, { label: 'Also score a variant…', description: '@lrp2:fr, @wanda:mt:fr-en:0.5, or MODEL@SPEC', other: 'variant' }],
    { title: 'Models (the first is "pre", each other "post" in the table)' },
  );
  if (!pick) return undefined;
  if (!pick.other) return [];
  if (pick.other === 'variant') {
    const text = await vscode.window.showInputBox({
      title: 'Model entries scored beside this model (comma-separated)',
      placeHolder: '@lrp2:fr, @wanda:mt:fr-en:0.5, default@magnitude:0.3',
      validateInput: (v) => variantEntriesProblem(v),
    });
    return text === undefined ? undefined : text.split(',').map((x) => x.trim()).filter(Boolean);
  }
  const dirs = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: true, openLabel: 'Score these checkpoints too' });
  return dirs?.map((d) => d.fsPath);
}

/** Polyglot Lens: Measure Numeric Bias — the score distribution of every item, histograms side by side. */
export async function measureNumericBiasCommand(app: App, uri?: unknown, rawArgs?: unknown): Promise<void> {
  const args = studyArgs(uri instanceof vscode.Uri ? rawArgs : uri);
  const ready = await prepare(app, uri, 'Measure Numeric Bias', args);
  if (!ready) return;
  const ranges = args.ranges ?? (await chooseRanges(app, ready.doc));
  if (!ranges) return;
  const compareWith = args.compareWith ?? (args.dataset ? [] : await chooseOtherModels());
  if (!compareWith) return;
  const params = { file: ready.doc.uri.fsPath, dataset: ready.dataset, limit: args.limit, ranges, compareWith };
  const title = `Measure numeric bias (${basename(ready.doc.fileName)})`;
  if (!(await confirmJob(app, title, ready.modelDir, { job: 'studies/bias', params }))) return;
  const version = ready.doc.version;
  const result = await runJob(app.ctx, app.jobs, title, async (opts) => {
    const { engine } = await app.engine.load(ready.modelDir);
    return engine.studyBias(params, opts);
  });
  if (!result) return;
  app.ctx.e2e.event('studies', { study: 'bias', metrics: result.metrics });
  const panel = await showStudiesPanel(app.ctx, result.title, result.sections, studyProvenance(app, ready, version, 'polyglotLens.measureNumericBias', { dataset: ready.dataset, ranges, compareWith, ...(args.limit ? { limit: args.limit } : {}) }));
  watchPanel(panel, versionWatch(ready.doc.uri, version));
}
