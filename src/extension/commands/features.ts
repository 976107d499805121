import * as vscode from 'vscode';
import type { App } from '../app';
import { runJob } from '../jobs';
import { confirmJob } from '../confirmJob';
import { showFeaturePanel } from '../panels/others';
import { calibrationDisplayName } from '../prompt/pruningLens';
import { isPromptDocument } from '../promptDocuments';
import { readSettings } from '../settings';
import { activeModelDir, offeredLanguages, showPlanError, workspaceRoot } from './runPlan';
import { modelWatch, watchPanel } from './panelState';

/** Translation pairs to offer: the active prompt's first two polyglot.languages first, then X→English. */
function pairs(app: App): string[] {
  const doc = vscode.window.activeTextEditor?.document;
  const langs = doc && isPromptDocument(doc) ? app.prompts.get(doc).doc.metadata.polyglot.languages ?? [] : [];
  const first = langs.length >= 2 ? [`${langs[0]}-${langs[1]}`] : [];
  const rest = offeredLanguages(app).filter((l) => l !== 'en').map((l) => `${l}-en`);
  return [...new Set([...first, ...rest])];
}

/**
 * Polyglot Lens: Map Translation Features — for a pair src-tgt, the settings mono:src, mono:tgt
 * and mt:src-tgt (methods.md §4): the scatter of mt vs mono importance, the overlap maps and the
 * large-magnitude features.
 */
export async function mapTranslationFeatures(app: App, pairArg?: unknown): Promise<void> {
  let pair = typeof pairArg === 'string' ? pairArg : undefined;
  if (!pair) {
    const pick = await vscode.window.showQuickPick(pairs(app).map((p) => ({ label: `mt:${p}`, description: calibrationDisplayName(`mt:${p}`), pair: p })), { title: 'Map Translation Features: translation direction' });
    if (!pick) return;
    pair = pick.pair;
  }
  const [src, tgt] = pair.split('-') as [string, string];
  let modelDir: string | undefined;
  try {
    modelDir = activeModelDir(app);
  } catch (e) {
    showPlanError(app, 'Map Translation Features', e);
    return;
  }
  const sequences = readSettings().calibrationSequences;
  const calibrations = [{ name: src, source: `mono:${src}` }, { name: tgt, source: `mono:${tgt}` }, { name: pair, source: `mt:${pair}` }];
  const title = `Map translation features (${calibrationDisplayName(`mt:${pair}`)})`;
  const params = { calibrations, cwd: workspaceRoot(), ...(sequences ? { sequences } : {}) };
  if (!(await confirmJob(app, title, modelDir, { job: 'features/run', params }))) return;
  const features = await runJob(app.ctx, app.jobs, title, async (opts) => {
    const { engine } = await app.engine.load(modelDir);
    return engine.featuresRun(params, opts);
  });
  if (!features) return;
  app.ctx.e2e.features(features);
  app.ctx.e2e.event('features', { pair, settings: features.overlap?.settings.map((s) => s.id) ?? [] });
  try {
    const model = app.variants.modelKey(modelDir);
    const panel = await showFeaturePanel(app.ctx, features, `mt:${pair}`, {
      source: `mt:${pair}`, model: features.model.name, variant: 'dense', ranAt: new Date().toISOString(),
      rerun: { command: 'polyglotLens.mapTranslationFeatures', args: [pair] },
    });
    watchPanel(panel, modelWatch(app, model));
  } catch (e) {
    showPlanError(app, 'Show Translation Features', e);
  }
}
