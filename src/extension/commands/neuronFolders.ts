/**
 * Results as folders the editor and the CLI share (issue #26 item 8): Save Language Neurons
 * Folder… writes the last Find Language Neurons result as a LAPE folder (what Open Language
 * Neurons Folder… and `--lape` read), and Build Neuron Index… builds the `neurons index` folder
 * whose top examples neuron hovers and the Neuron panel show, then points polyglotLens.neuronIndex at it.
 */
import * as vscode from 'vscode';
import { isAbsolute, relative } from 'node:path';
import type { App } from '../app';
import { runJob } from '../jobs';
import { SECTION } from '../settings';
import { chooseCorpus } from './neurons';
import { pickOutputFolder } from './outputFolder';
import { activeModelDir, showPlanError, workspaceRoot } from './runPlan';

/** Arguments a caller (a button, a test) may pass instead of the dialogs. */
interface FolderArgs {
  outDir?: string;
  overwrite?: boolean;
  corpus?: string;
  /** The model to index (the Neuron panel's analysis); default: the active prompt's. */
  modelDir?: string;
}

const argsOf = (x: unknown): FolderArgs => (typeof x === 'object' && x !== null && !(x instanceof vscode.Uri) ? x : {}) as FolderArgs;

export async function saveLanguageNeurons(app: App, args?: unknown): Promise<void> {
  const a = argsOf(args);
  const lape = app.ctx.lastLape;
  if (!lape) {
    const pick = await vscode.window.showInformationMessage('Polyglot Lens: no language neurons to save yet.', 'Find Language Neurons');
    if (pick) await vscode.commands.executeCommand('polyglotLens.findLanguageNeurons');
    return;
  }
  let modelDir: string | undefined;
  try {
    modelDir = activeModelDir(app);
  } catch (e) {
    showPlanError(app, 'Save Language Neurons Folder', e);
    return;
  }
  const target = a.outDir ? { outDir: a.outDir, overwrite: a.overwrite ?? false }
    : await pickOutputFolder({ title: 'Save Language Neurons Folder', openLabel: 'Save into this folder', defaultName: `language-neurons-${lape.languages.join('-')}`, what: 'these language neurons' });
  if (!target) return;
  const r = await runJob(app.ctx, app.jobs, 'Save language neurons', async (o) => {
    const { engine } = await app.engine.load(modelDir);
    return engine.lapeSave(target, o);
  });
  if (!r) return;
  app.ctx.e2e.event('lape-saved', { outDir: r.outDir, languages: r.languages, corpus: r.corpus });
  void vscode.window.showInformationMessage(`Polyglot Lens: saved the language neurons of ${r.corpus} to ${r.outDir}.`, 'Open Language Neurons Folder…').then((p) => {
    if (p) void vscode.commands.executeCommand('polyglotLens.openLanguageNeurons', r.outDir);
  });
}

export async function buildNeuronIndex(app: App, args?: unknown): Promise<void> {
  const a = argsOf(args);
  let modelDir = a.modelDir;
  try {
    modelDir ??= activeModelDir(app);
  } catch (e) {
    showPlanError(app, 'Build Neuron Index', e);
    return;
  }
  const chosen = await chooseCorpus(app, a.corpus, 'Build Neuron Index: UDHR languages');
  if (!chosen) return;
  const target = a.outDir ? { outDir: a.outDir, overwrite: a.overwrite ?? false }
    : await pickOutputFolder({ title: 'Build Neuron Index', openLabel: 'Build the index in this folder', defaultName: 'neuron-index', what: 'a neuron index' });
  if (!target) return;
  const r = await runJob(app.ctx, app.jobs, `Build neuron index (${chosen.corpus})`, async (o) => {
    const { engine } = await app.engine.load(modelDir);
    return engine.neuronIndex({ corpus: chosen.corpus, cwd: chosen.cwd, outDir: target.outDir }, o);
  });
  if (!r) return;
  // Hovers and the Neuron panel read polyglotLens.neuronIndex: point it at the new folder (relative inside the workspace).
  const root = workspaceRoot();
  const rel = root && !relative(root, r.outDir).startsWith('..') && !isAbsolute(relative(root, r.outDir)) ? relative(root, r.outDir) : r.outDir;
  await vscode.workspace.getConfiguration(SECTION).update('neuronIndex', rel, root ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  app.ctx.e2e.event('neuron-index', { outDir: r.outDir, reused: r.reused, sequences: r.sequences, tokens: r.tokens, setting: rel });
  void vscode.window.showInformationMessage(`Polyglot Lens: neuron index of ${chosen.corpus} ${r.reused ? 'is up to date' : 'built'} (${r.sequences} texts, ${r.tokens} tokens) in ${r.outDir}; neuron hovers show its top examples.`);
}
