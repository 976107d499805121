import { basename } from 'node:path';
import type { App } from '../app';
import { runJob } from '../jobs';
import { showLatentLanguagePanel } from '../panels/latentLanguage';
import { readSettings } from '../settings';
import { planCommand, showPlanError } from './runPlan';
import { ensurePromptVariant } from './variantRun';
import { promptProvenance, promptWatch, runLabel, signatureOf, watchPanel } from './panelState';
import { isPromptDocument } from '../promptDocuments';

/**
 * Polyglot Lens: Show Latent Language — the prompt's residual stream read through the lens at every
 * layer (methods.md §8), in the Latent language panel, linked to the editor like Activations.
 */
export async function showLatentLanguage(app: App, uri?: unknown, exampleIndex?: unknown): Promise<void> {
  const planned = await planCommand(app, 'Show Latent Language', uri, { exampleIndex, noDocument: 'open a .prompt file (or any text) to read through the lens.', useSelection: true });
  if (!planned) return;
  const { doc, plan: p } = planned;
  const { ctx } = app;
  const s = readSettings();
  const version = doc.version;
  const result = await runJob(ctx, app.jobs, `Latent language ${p.fileName}`, async (opts) => {
    opts.onProgress?.({ fraction: 0, message: 'loading model…' });
    const { engine } = await app.engine.load(p.modelDir);
    await ensurePromptVariant(app, engine, p, opts);
    return engine.lens({ text: p.text, k: s.lensTopK, languages: s.lensLanguages, linear: s.linearLens, deactivate: p.deactivate, variant: p.variant, cwd: p.cwd }, opts);
  });
  if (!result) return;
  ctx.shownLens = { uri: doc.uri, result, rendered: p.rendered };
  const provenance = promptProvenance(doc, version, result.model.name, runLabel(p.variant, p.deactivate),
    { command: 'polyglotLens.showLatentLanguage', uri: doc.uri.toString(), args: [Math.max(0, p.example)] });
  ctx.e2e.lens(result, doc.fileName);
  ctx.e2e.event('lens', { file: doc.fileName, tokens: result.tokens.length, layers: result.layers });
  try {
    const panel = await showLatentLanguagePanel(ctx, result, basename(doc.fileName), provenance);
    void panel.nextPaint().then((ms) => ctx.e2e.event('painted', { view: 'latentLanguage', ms }));
    // Marked stale, with Re-run, once the prompt would run something else (as Activations).
    if (isPromptDocument(doc)) watchPanel(panel, promptWatch(app, doc.uri, p.example, signatureOf(app, p)));
  } catch (e) {
    showPlanError(app, 'Show Latent Language', e);
  }
}
