import * as vscode from 'vscode';
import { languageName } from '../../shared/languages';
import type { App } from '../app';
import { runJob } from '../jobs';
import { confirmJob } from '../confirmJob';
import { showLanguageNeuronsPanel } from '../panels/others';
import { isPromptDocument } from '../promptDocuments';
import { lapeLanguagePicks } from '../prompt/lapePicks';
import { readSettings } from '../settings';
import { activeModelDir, offeredLanguages, showPlanError, workspaceRoot } from './runPlan';
import { modelWatch, watchPanel } from './panelState';

/** Arguments a caller (a test, a future CodeLens) may pass instead of picking. */
interface NeuronArgs {
  corpus?: string;
  maxTokensPerLang?: number;
}

/** The corpus: the argument, the active prompt's polyglot.corpus, or UDHR languages picked in a quick pick. */
export async function chooseCorpus(app: App, given: string | undefined, title = 'Find Language Neurons: UDHR languages'): Promise<{ corpus: string; cwd?: string } | undefined> {
  if (given) return { corpus: given, cwd: workspaceRoot() };
  const doc = vscode.window.activeTextEditor?.document;
  const meta = doc && isPromptDocument(doc) ? app.prompts.get(doc).doc.metadata : undefined;
  if (doc && meta?.polyglot.corpus) return { corpus: meta.polyglot.corpus, cwd: doc.uri.scheme === 'file' ? vscode.Uri.joinPath(doc.uri, '..').fsPath : workspaceRoot() };
  const picks = await vscode.window.showQuickPick(
    lapeLanguagePicks(offeredLanguages(app), meta?.polyglot.languages).map(({ code, picked }) => ({ label: code, description: languageName(code), picked })),
    { title, placeHolder: 'Two or more languages to contrast', canPickMany: true },
  );
  if (!picks) return undefined;
  if (picks.length < 2) {
    void vscode.window.showWarningMessage('Polyglot Lens: pick at least two languages; language-specific neurons are specific relative to the others.');
    return undefined;
  }
  return { corpus: `udhr:${picks.map((p) => p.label).join(',')}`, cwd: workspaceRoot() };
}

/** Polyglot Lens: Find Language Neurons — LAPE on a corpus, shown in the Language neurons panel and kept for hovers and deactivation. */
export async function findLanguageNeurons(app: App, args?: unknown): Promise<void> {
  const a = (typeof args === 'object' && args !== null && !(args instanceof vscode.Uri) ? args : {}) as NeuronArgs;
  let modelDir: string | undefined;
  try {
    modelDir = activeModelDir(app);
  } catch (e) {
    showPlanError(app, 'Find Language Neurons', e);
    return;
  }
  const chosen = await chooseCorpus(app, a.corpus);
  if (!chosen) return;
  const limit = a.maxTokensPerLang ?? readSettings().lapeMaxTokensPerLanguage;
  const title = `Find language neurons (${chosen.corpus})`;
  const params = { corpus: chosen.corpus, cwd: chosen.cwd, ...(limit > 0 ? { maxTokensPerLang: limit } : {}) };
  if (!(await confirmJob(app, title, modelDir, { job: 'lape/run', params }))) return;
  const result = await runJob(app.ctx, app.jobs, title, async (opts) => {
    const { engine } = await app.engine.load(modelDir);
    return engine.lapeRun(params, opts);
  });
  if (!result) return;
  app.ctx.storeLape(result);
  app.ctx.e2e.lape(result, chosen.corpus);
  const counts = result.neurons.map((layers) => layers.reduce((n, js) => n + js.length, 0));
  app.ctx.e2e.event('lape', { corpus: chosen.corpus, cached: result.cached, languages: result.languages, selected: counts, tokens: result.tokenCounts });
  app.ctx.log(`language neurons on ${chosen.corpus}: ${result.languages.map((l, i) => `${l} ${counts[i]}`).join(', ')}${result.cached ? ' (cached)' : ''}`);
  try {
    const panel = await showLanguageNeuronsPanel(app.ctx, result, chosen.corpus, {
      source: chosen.corpus, model: result.model.name, variant: 'dense', ranAt: new Date().toISOString(),
      rerun: { command: 'polyglotLens.findLanguageNeurons', args: [{ corpus: chosen.corpus, ...(limit > 0 ? { maxTokensPerLang: limit } : {}) }] },
    });
    watchPanel(panel, modelWatch(app, app.variants.modelKey(modelDir)));
  } catch (e) {
    showPlanError(app, 'Show Language Neurons', e);
  }
}
