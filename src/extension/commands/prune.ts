import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PruneSettings } from '../../engine/pruning/fromSources';
import { languageName } from '../../shared/languages';
import { pruningVariantName } from '../../shared/prompt/runSettings';
import type { PruningMethod, PruningMode } from '../../shared/prompt/types';
import type { App } from '../app';
import { runJob } from '../jobs';
import { confirmJob } from '../confirmJob';
import { calibrationDisplayName, methodDisplayName, percent, pruningSummary } from '../prompt/pruningLens';
import { readSettings } from '../settings';
import { activeModelDir, offeredLanguages, showPlanError, workspaceRoot } from './runPlan';
import { ensureVariant } from './variantRun';
import type { VariantSummary } from '../../engine/worker/protocol';

type Pick<T> = vscode.QuickPickItem & { value: T };

const METHODS: Pick<PruningMethod>[] = [
  { label: 'Wanda', description: '|W|·‖X‖ per output row, from a calibration set', value: 'wanda' },
  { label: 'Magnitude', description: '|W|, one threshold per weight matrix; no calibration', value: 'magnitude' },
  { label: 'Random', description: 'each weight zeroed with probability = sparsity (seed 0)', value: 'random' },
  { label: 'Prog', description: 'keeps translation features, suppresses code features (translation + code calibration)', value: 'prog' },
];

/** Calibration sources offered: a translation pair, each language alone, a JSONL file, code files. */
async function pickCalibration(app: App, title: string): Promise<string | undefined> {
  const langs = offeredLanguages(app);
  const items: Pick<string>[] = [
    ...langs.filter((l) => l !== 'en').map((l) => ({ label: `mt:${l}-en`, description: calibrationDisplayName(`mt:${l}-en`), value: `mt:${l}-en` })),
    ...langs.map((l) => ({ label: `mono:${l}`, description: languageName(l) ?? l, value: `mono:${l}` })),
    { label: '$(file) JSONL or text file…', description: 'one {"text"} record (or line) per sequence', value: 'file' },
    { label: '$(code) Code files…', description: 'code:GLOB, e.g. code:**/*.py', value: 'code' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Calibration set' });
  if (!pick) return undefined;
  if (pick.value === 'file') {
    const f = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, filters: { 'Calibration text': ['jsonl', 'txt'] }, openLabel: 'Calibrate on this file' });
    return f?.[0]?.fsPath;
  }
  if (pick.value === 'code') return codeGlob(title);
  return pick.value;
}

async function codeGlob(title: string): Promise<string | undefined> {
  const glob = await vscode.window.showInputBox({ title, prompt: 'Source files under the workspace folder', value: '**/*.py' });
  return glob ? `code:${glob}` : undefined;
}

async function pickSparsity(): Promise<{ sparsity?: number; nm?: { n: number; m: number } } | undefined> {
  const items: Pick<string>[] = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9].map((s) => ({ label: percent(s), value: String(s) }));
  items.push({ label: '2:4', description: 'N:M semi-structured (50%)', value: '2:4' }, { label: 'Other…', value: 'other' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Prune Model: sparsity', placeHolder: 'Fraction of weights to zero' });
  if (!pick) return undefined;
  let v = pick.value;
  if (v === 'other') {
    const typed = await vscode.window.showInputBox({
      title: 'Prune Model: sparsity', prompt: 'A fraction in (0, 1), or N:M', value: '0.4',
      validateInput: (x) => (/^\d+:\d+$/.test(x.trim()) || (Number(x) > 0 && Number(x) < 1) ? undefined : 'a number strictly between 0 and 1, or N:M such as 2:4'),
    });
    if (!typed) return undefined;
    v = typed.trim();
  }
  const nm = /^(\d+):(\d+)$/.exec(v);
  return nm ? { nm: { n: Number(nm[1]), m: Number(nm[2]) } } : { sparsity: Number(v) };
}

/** Polyglot Lens: Prune Model… — method → calibration → sparsity → mode; registers the variant and makes it active. */
export async function pruneModel(app: App): Promise<void> {
  const method = await vscode.window.showQuickPick(METHODS, { title: 'Prune Model: method' });
  if (!method) return;
  const needsCalibration = method.value === 'wanda' || method.value === 'prog';
  let calibration: string | undefined;
  let codeCalibration: string | undefined;
  if (needsCalibration) {
    calibration = await pickCalibration(app, method.value === 'prog' ? 'Prune Model: translation calibration' : 'Prune Model: calibration');
    if (!calibration) return;
    if (method.value === 'prog') {
      codeCalibration = await codeGlob('Prune Model: code calibration (suppressed)');
      if (!codeCalibration) return;
    }
  }
  const amount = await pickSparsity();
  if (!amount) return;
  let mode: PruningMode = 'sequential';
  if (needsCalibration) {
    const m = await vscode.window.showQuickPick<Pick<PruningMode>>([
      { label: 'sequential', description: 'each block calibrated on the already-pruned blocks before it (as the reference)', value: 'sequential' },
      { label: 'oneshot', description: 'all blocks scored on the dense model', value: 'oneshot' },
    ], { title: 'Prune Model: mode' });
    if (!m) return;
    mode = m.value;
  }
  let modelDir: string | undefined;
  try {
    modelDir = activeModelDir(app);
  } catch (e) {
    showPlanError(app, 'Prune Model', e);
    return;
  }
  const nameCalibration = codeCalibration ? `${calibration}+${codeCalibration}` : calibration;
  const name = pruningVariantName({ enabled: true, method: method.value, sparsity: amount.sparsity ?? 0, nm: amount.nm, mode, seed: 0, calibration: nameCalibration })!;
  const sequences = readSettings().calibrationSequences;
  const settings: PruneSettings = {
    method: method.value, ...amount, mode, seed: 0, cwd: workspaceRoot(),
    ...(calibration ? { calibration } : {}), ...(codeCalibration ? { codeCalibration } : {}), ...(sequences ? { calibrationSequences: sequences } : {}),
  };
  const title = `Prune ${methodDisplayName(method.value)}`;
  if (!(await confirmJob(app, title, modelDir, { job: 'prune/create', params: { name, settings } }))) return;
  const summary = await runJob(app.ctx, app.jobs, title, async (opts) => {
    const { engine } = await app.engine.load(modelDir);
    return engine.pruneCreate({ name, settings }, opts);
  });
  if (!summary) return;
  const model = app.variants.modelKey(modelDir);
  app.variants.record(model, { summary, settings, origin: 'palette' });
  app.variants.setActive(model, summary.name);
  app.ctx.e2e.event('variant', { name: summary.name, reused: summary.reused, achievedSparsity: summary.achievedSparsity, active: true });
  const what = pruningSummary({ method: method.value, sparsity: amount.sparsity ?? 0, nm: amount.nm, calibration });
  void vscode.window.showInformationMessage(`Polyglot Lens: ${what} is active (${percent(summary.achievedSparsity)} of weights zeroed).`);
}

/** The active prompt's model (or the settings'/default) and its key in the variant list; undefined after telling the user why not. */
function variantModel(app: App, what: string): { dir: string | undefined; key: string } | undefined {
  try {
    const dir = activeModelDir(app);
    return { dir, key: app.variants.modelKey(dir) };
  } catch (e) {
    showPlanError(app, what, e);
    return undefined;
  }
}

/** "Wanda · 50% zeroed · French→English": a variant's line in pickers and the sidebar. */
export function variantDescription(v: VariantSummary): string {
  return `${v.method === 'neurons' ? 'neuron deactivation' : methodDisplayName(v.method)} · ${percent(v.achievedSparsity)} zeroed${v.calibration.calibration ? ` · ${calibrationDisplayName(v.calibration.calibration)}` : ''}`;
}

/**
 * Polyglot Lens: Select Variant… — Dense or a variant of the active prompt's model; only the name
 * passed to later runs changes. The sidebar passes `{ model, name }` (name null = Dense) instead of asking.
 */
export async function selectVariant(app: App, choice?: unknown): Promise<void> {
  const given = choice as { model?: unknown; name?: unknown } | undefined;
  if (given && typeof given.model === 'string' && (given.name === null || typeof given.name === 'string')) {
    const name = given.name ?? undefined;
    if (name !== undefined && !app.variants.get(given.model, name)) return;
    app.variants.setActive(given.model, name);
    app.ctx.e2e.event('variant-selected', { name: name ?? 'dense', model: given.model });
    return;
  }
  const model = variantModel(app, 'Select Variant');
  if (!model) return;
  const active = app.variants.active(model.key);
  const list = app.variants.list(model.key).map((r) => r.summary);
  const items: Pick<string | undefined>[] = [
    { label: `${active === undefined ? '$(check) ' : ''}Dense`, description: 'the model as loaded', value: undefined },
    ...list.map((v) => ({ label: `${v.name === active ? '$(check) ' : ''}${v.name}`, description: variantDescription(v), value: v.name })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: `Polyglot Lens: Select Variant of ${basename(model.key)}`,
    placeHolder: list.length ? 'Variant for runs whose prompt has no polyglot.pruning' : `No pruned variants of ${basename(model.key)} yet (Prune Model… creates one)`,
  });
  if (!pick) return;
  app.variants.setActive(model.key, pick.value);
  app.ctx.e2e.event('variant-selected', { name: pick.value ?? 'dense', model: model.key });
}

/** Polyglot Lens: Export Pruned Checkpoint… — a variant → a new (or confirmed-replaced) folder; the engine refuses the source model's folder. */
export async function exportPruned(app: App): Promise<void> {
  const model = variantModel(app, 'Export Pruned Checkpoint');
  if (!model) return;
  const list = app.variants.list(model.key).map((r) => r.summary);
  if (list.length === 0) {
    void vscode.window.showInformationMessage(`Polyglot Lens: no pruned variant of ${basename(model.key)} yet. Run "Polyglot Lens: Prune Model…" (or analyze a prompt with polyglot.pruning) first.`);
    return;
  }
  let name = app.variants.active(model.key);
  if (!name || list.length > 1) {
    const pick = await vscode.window.showQuickPick(list.map((v) => ({ label: v.name, description: `${percent(v.achievedSparsity)} zeroed`, picked: v.name === name })), { title: 'Export Pruned Checkpoint: variant' });
    if (!pick) return;
    name = pick.label;
  }
  const parent = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export into this folder', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!parent?.[0]) return;
  const folder = await vscode.window.showInputBox({ title: 'Export Pruned Checkpoint: folder name', value: `${basename(model.key)}-${name.replace(/[^\w.-]+/g, '_')}` });
  if (!folder) return;
  const outDir = join(parent[0].fsPath, folder);
  let overwrite = false;
  if (existsSync(outDir)) {
    const ok = await vscode.window.showWarningMessage(`${outDir} already exists. Replace it with the pruned checkpoint? (Only an earlier export of Polyglot Lens is ever replaced; any other folder is refused.)`, { modal: true }, 'Replace');
    if (ok !== 'Replace') return;
    overwrite = true;
  }
  const variant = name;
  const r = await runJob(app.ctx, app.jobs, `Export ${variant}`, async (opts) => {
    const { engine } = await app.engine.load(model.dir);
    await ensureVariant(app, engine, model.key, variant, opts);
    return engine.pruneExport({ variant, outDir, overwrite }, opts);
  });
  if (!r) return;
  app.ctx.e2e.event('exported', { variant, outDir: r.outDir, files: r.files });
  void vscode.window.showInformationMessage(`Polyglot Lens: wrote ${r.files.length} files to ${r.outDir}`, 'Reveal').then((p) => {
    if (p === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(r.outDir));
  });
}
