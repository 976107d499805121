import * as vscode from 'vscode';
import type { App } from './app';
import { analyzeActivations, showActivations } from './commands/analyze';
import { showLatentLanguage } from './commands/latentLanguage';
import { compareDensePruned } from './commands/compare';
import { mapTranslationFeatures } from './commands/features';
import { generate } from './commands/generate';
import { findLanguageNeurons } from './commands/neurons';
import { showNeuron } from './commands/neuron';
import { openLanguageNeurons } from './commands/openNeurons';
import { exportPruned, pruneModel, selectVariant } from './commands/prune';
import { togglePruning } from './commands/togglePruning';
import { buildNeuronIndex, saveLanguageNeurons } from './commands/neuronFolders';
import { selectModel } from './commands/selectModel';
import { compareInstructionsCommand, measureNumericBiasCommand } from './commands/studies';
import { evaluateCommand } from './commands/evaluate';
import { runJob } from './jobs';
import { statusMenu } from './commands/statusMenu';
import { walkthrough } from './commands/walkthrough';
import { LensPanel } from './panels/lensPanel';
import type { PanelKind } from '../shared/protocol';

/** Every command, in one table; package.json `contributes.commands` declares the same ids (a test checks). */
export const COMMANDS: Record<string, (app: App, ...args: unknown[]) => unknown> = {
  'polyglotLens.selectModel': (app) => selectModel(app),
  'polyglotLens.analyzeActivations': (app, uri, example) => analyzeActivations(app, uri, example),
  'polyglotLens.showActivations': (app, uri) => showActivations(app, uri),
  'polyglotLens.showLatentLanguage': (app, uri, example) => showLatentLanguage(app, uri, example),
  'polyglotLens.generate': (app, uri, example) => generate(app, uri, example),
  'polyglotLens.pruneModel': (app) => pruneModel(app),
  'polyglotLens.selectVariant': (app, choice) => selectVariant(app, choice),
  'polyglotLens.exportPruned': (app) => exportPruned(app),
  'polyglotLens.togglePruning': (app, uri) => togglePruning(app, uri),
  'polyglotLens.compare': (app, uri, args) => compareDensePruned(app, uri, args),
  'polyglotLens.findLanguageNeurons': (app, args) => findLanguageNeurons(app, args),
  'polyglotLens.openLanguageNeurons': (app, dir) => openLanguageNeurons(app, dir),
  'polyglotLens.saveLanguageNeurons': (app, args) => saveLanguageNeurons(app, args),
  'polyglotLens.buildNeuronIndex': (app, args) => buildNeuronIndex(app, args),
  'polyglotLens.mapTranslationFeatures': (app, pair) => mapTranslationFeatures(app, pair),
  'polyglotLens.showNeuron': (app, ref) => showNeuron(app, ref),
  'polyglotLens.compareInstructions': (app, uri, args) => compareInstructionsCommand(app, uri, args),
  'polyglotLens.measureNumericBias': (app, uri, args) => measureNumericBiasCommand(app, uri, args),
  'polyglotLens.evaluate': (app, uri) => evaluateCommand(app, uri),
  'polyglotLens.showLog': (app) => app.ctx.output.show(),
  'polyglotLens.restartEngine': (app) => {
    app.engine.restart(); // its variants go with the process; they are re-created when a run names one
    app.ctx.e2e.event('engine-restart', {});
    void vscode.window.showInformationMessage(vscode.l10n.t('Polyglot Lens: engine restarted; the next command starts a fresh engine process.'));
  },
  'polyglotLens.statusMenu': (app) => statusMenu(app),
  'polyglotLens.revealPanel': (app, kind) => LensPanel.get(app.ctx, kind as PanelKind)?.panel.reveal(undefined, false),
  'polyglotLens.walkthroughOpenExample': (app) => walkthrough.openExample(app),
  'polyglotLens.walkthroughAnalyze': (app) => walkthrough.analyze(app),
  'polyglotLens.walkthroughHoverNeuron': (app) => walkthrough.hoverNeuron(app),
  'polyglotLens.walkthroughFindLanguageNeurons': (app) => walkthrough.findLanguageNeurons(app),
  'polyglotLens.walkthroughPruneAndCompare': (app) => walkthrough.pruneAndCompare(app),
  'polyglotLens.walkthroughEvaluate': (app) => walkthrough.evaluate(app),
  'polyglotLens.clearCache': async (app) => {
    const done = await runJob(app.ctx, app.jobs, 'Clear cache', async () => {
      await (await app.engine.engine()).clearCache();
      return true;
    });
    if (done) void vscode.window.showInformationMessage('Polyglot Lens: cache cleared.');
  },
};

export function registerCommands(app: App): void {
  for (const [id, run] of Object.entries(COMMANDS)) {
    app.ctx.own(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      app.ctx.e2e.event('command', { id });
      try {
        await run(app, ...args);
      } catch (e) {
        // Commands report their own errors; this is the net for bugs, so the next command still works.
        app.ctx.output.error(`${id} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        void vscode.window.showErrorMessage(`Polyglot Lens: ${id} failed: ${e instanceof Error ? e.message : String(e)}`, 'Show Log').then((p) => {
          if (p === 'Show Log') app.ctx.output.show(true);
        });
      }
    }));
  }
}
