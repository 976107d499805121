import * as vscode from 'vscode';
import { pruningVariantName } from '../../shared/prompt/runSettings';
import type { App } from '../app';
import { runJob } from '../jobs';
import { showComparePanel } from '../panels/others';
import { planCommand, showPlanError } from './runPlan';
import { ensurePromptVariant } from './variantRun';

/**
 * Polyglot Lens: Compare Dense vs Pruned — the prompt run dense and with its variant (the
 * prompt's polyglot.pruning, or the selected variant) and/or its polyglot.deactivate, side by side.
 * A prompt whose pruning is switched off still compares against the variant it describes.
 */
export async function compareDensePruned(app: App, uri?: unknown): Promise<void> {
  const planned = await planCommand(app, 'Compare', uri, { noDocument: 'open a .prompt file to compare.' });
  if (!planned) return;
  const { doc, plan: p } = planned;
  const described = app.prompts.get(doc).doc.metadata.polyglot.pruning;
  if (!p.variant && described && !described.enabled) {
    // Compare is a question about the variant the prompt describes, even while it is toggled off.
    p.pruning = { ...described, enabled: true };
    p.variant = pruningVariantName(p.pruning);
  }
  if (!p.variant && !p.deactivate) {
    void vscode.window.showInformationMessage('Polyglot Lens: nothing to compare with dense. Add polyglot.pruning or polyglot.deactivate to the prompt, or pick a variant with "Select Variant…".');
    return;
  }
  const result = await runJob(app.ctx, app.jobs, `Compare ${p.fileName}`, async (opts) => {
    const { engine } = await app.engine.load(p.modelDir);
    await ensurePromptVariant(app, engine, p, opts);
    return engine.pruneCompare({ text: p.text, variant: p.variant, deactivate: p.deactivate, maxNewTokens: p.maxNewTokens }, opts);
  });
  if (!result) return;
  app.ctx.e2e.compare(result, doc.fileName);
  app.ctx.e2e.event('compared', { file: doc.fileName, a: result.a.label, b: result.b.label });
  try {
    await showComparePanel(app.ctx, result, p.fileName);
  } catch (e) {
    showPlanError(app, 'Show Compare', e);
  }
}
