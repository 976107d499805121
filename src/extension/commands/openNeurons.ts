import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readLapeFolder } from '../../engine/lape/files';
import { UserError } from '../../engine/errors';
import type { App } from '../app';
import { runJob } from '../jobs';
import { activeModelDir } from './runPlan';
import { showLanguageNeuronsPanel } from '../panels/others';

/**
 * Polyglot Lens: Open Language Neurons Folder… — shows a saved LAPE folder (what `neurons`,
 * `merge` of neurons shards, or `import-lape` wrote: lape.json + neuron-stats.safetensors) in the
 * Language neurons panel, e.g. counts computed on a cluster or by the reference scripts on a GPU.
 */
export async function openLanguageNeurons(app: App, arg?: unknown): Promise<void> {
  let dir = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Open language neurons', title: 'A folder with lape.json and neuron-stats.safetensors' });
    if (!picked?.[0]) return;
    dir = picked[0].fsPath;
  }
  try {
    const lape = readLapeFolder(dir);
    if (!lape.model.name) lape.model.name = basename(dir);
    app.ctx.storeLape(lape);
    app.ctx.log(`opened language neurons from ${dir}: ${lape.languages.join(', ')}`);
    // The engine takes them as the model's language neurons too: the Neuron panel, neuron hovers and
    // `polyglot.deactivate: fr` then use them (before, the Neuron panel said "No LAPE statistics").
    const folder = dir;
    const inEngine = await runJob(app.ctx, app.jobs, `Open language neurons (${basename(dir)})`, async (o) => {
      const { engine } = await app.engine.load(activeModelDir(app));
      return engine.lapeOpen({ dir: folder }, o);
    });
    app.ctx.e2e.event('lape-opened', { dir, languages: lape.languages, engine: !!inEngine });
    await showLanguageNeuronsPanel(app.ctx, lape, basename(dir), {
      source: basename(dir), model: lape.model.name, variant: 'dense', ranAt: new Date().toISOString(),
      rerun: { command: 'polyglotLens.openLanguageNeurons', args: [dir] },
    });
  } catch (e) {
    const msg = e instanceof UserError ? e.message : `${dir}: ${(e as Error).message}`;
    void vscode.window.showErrorMessage(`Polyglot Lens: ${msg}`);
  }
}
