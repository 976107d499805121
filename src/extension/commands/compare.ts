import * as vscode from 'vscode';
import { pruningVariantName } from '../../shared/prompt/runSettings';
import type { PruningSettings } from '../../shared/prompt/types';
import type { CompareResult } from '../../shared/compare';
import type { App } from '../app';
import { runJob } from '../jobs';
import { showComparePanel } from '../panels/others';
import { deltasFromLastEvaluate, evalVariants, workspaceRoots } from './evaluate';
import { planCommand, showPlanError, type RunPlan } from './runPlan';
import { ensurePromptVariant } from './variantRun';
import { promptProvenance, promptWatch, runLabel, signatureOf, watchPanel } from './panelState';
import { basename } from 'node:path';

/** What a caller (a test, a CodeLens) may pass instead of picking: a polyglot.eval variant to compare with. */
interface CompareArgs {
  model?: string;
}

function compareArgs(x: unknown): CompareArgs {
  return typeof x === 'object' && x !== null && !(x instanceof vscode.Uri) ? (x as CompareArgs) : {};
}

/** The results.csv name of a prompt's pruning, as polyglot.eval writes it: MODEL@method[:calibration]:sparsity. */
function pruningSuffix(p: PruningSettings): string {
  return `@${p.method}:${p.calibration ? `${p.calibration}:` : ''}${p.sparsity}`;
}

/**
 * Which side b: the prompt's own pruning/deactivation, or one of the variants its polyglot.eval
 * lists (pruning masks or LRP2); asks when there is more than one. undefined = the user cancelled.
 */
async function chooseSide(p: RunPlan, variants: string[], given: string | undefined): Promise<{ evalModel?: string } | undefined> {
  if (given) return { evalModel: given };
  const own = p.variant !== undefined || p.deactivate !== undefined;
  if (variants.length === 0) return {};
  if (!own && variants.length === 1) return { evalModel: variants[0] };
  const picks = [
    ...(own ? [{ label: p.variant ?? 'polyglot.deactivate', description: 'the prompt\'s own pruning / deactivation', model: undefined as string | undefined }] : []),
    ...variants.map((m) => ({ label: m, description: 'polyglot.eval variant', model: m as string | undefined })),
  ];
  const pick = await vscode.window.showQuickPick(picks, { title: 'Compare dense with…' });
  return pick ? { evalModel: pick.model } : undefined;
}

/** What side b of a Compare of `plan` is: a polyglot.eval variant, or the prompt's pruning (even toggled off) and deactivation. */
function comparedSide(app: App, plan: RunPlan, doc: vscode.TextDocument, evalModel: string | undefined): string {
  if (evalModel) return evalModel;
  const described = app.prompts.get(doc).doc.metadata.polyglot.pruning;
  const variant = plan.variant ?? (described ? pruningVariantName({ ...described, enabled: true }) : undefined);
  return runLabel(variant, plan.deactivate);
}

/**
 * Polyglot Lens: Compare Dense vs Pruned — the prompt run dense and with its variant (the
 * prompt's polyglot.pruning, the selected variant, a polyglot.eval variant such as
 * default@lrp2:fr) and/or its polyglot.deactivate, side by side; with the per-task metric deltas
 * of the prompt's last Evaluate when it measured that variant. A prompt whose pruning is switched
 * off still compares against the variant it describes.
 */
export async function compareDensePruned(app: App, uri?: unknown, rawArgs?: unknown): Promise<void> {
  const args = compareArgs(uri instanceof vscode.Uri ? rawArgs : uri);
  const planned = await planCommand(app, 'Compare', uri, { noDocument: 'open a .prompt file to compare.' });
  if (!planned) return;
  const { doc, plan: p } = planned;
  const version = doc.version;
  const meta = app.prompts.get(doc).doc.metadata;
  const described = meta.polyglot.pruning;
  if (!p.variant && described && !described.enabled) {
    // Compare is a question about the variant the prompt describes, even while it is toggled off.
    p.pruning = { ...described, enabled: true };
    p.variant = pruningVariantName(p.pruning);
  }
  const ranSide = comparedSide(app, p, doc, args.model);
  const side = await chooseSide(p, doc.uri.scheme === 'file' ? evalVariants(meta) : [], args.model);
  if (!side) return;
  if (!side.evalModel && !p.variant && !p.deactivate) {
    void vscode.window.showInformationMessage('Polyglot Lens: nothing to compare with dense. Add polyglot.pruning, polyglot.deactivate or a variant in polyglot.eval.models (e.g. default@lrp2:fr) to the prompt, or pick a variant with "Select Variant…".');
    return;
  }
  const evalModel = side.evalModel;
  const result: CompareResult | undefined = await runJob(app.ctx, app.jobs, `Compare ${p.fileName}`, async (opts) => {
    const { engine } = await app.engine.load(p.modelDir);
    if (evalModel) return engine.evalCompare({ text: p.text, model: evalModel, file: doc.uri.fsPath, roots: workspaceRoots(), maxNewTokens: p.maxNewTokens, seed: meta.polyglot.eval?.seed }, opts);
    await ensurePromptVariant(app, engine, p, opts);
    return engine.pruneCompare({ text: p.text, variant: p.variant, deactivate: p.deactivate, maxNewTokens: p.maxNewTokens }, opts);
  });
  if (!result) return;
  if (doc.uri.scheme === 'file') {
    const pruning = p.pruning;
    const tasks = deltasFromLastEvaluate(doc.uri.fsPath, meta, evalModel ?? ((name: string) => pruning !== undefined && !p.deactivate && name.endsWith(pruningSuffix(pruning))));
    if (tasks) result.tasks = tasks;
  }
  app.ctx.e2e.compare(result, doc.fileName);
  app.ctx.e2e.event('compared', { file: doc.fileName, a: result.a.label, b: result.b.label, tasks: result.tasks?.deltas.length ?? 0 });
  try {
    const provenance = promptProvenance(doc, version, basename(app.variants.modelKey(p.modelDir)), `${result.a.label} vs ${result.b.label}`,
      { command: 'polyglotLens.compare', uri: doc.uri.toString(), args: evalModel ? [{ model: evalModel }] : [] });
    const panel = await showComparePanel(app.ctx, result, p.fileName, provenance);
    watchPanel(panel, promptWatch(app, doc.uri, 0, { ...signatureOf(app, p), variant: ranSide }, { side: (plan, d) => comparedSide(app, plan, d, evalModel) }));
  } catch (e) {
    showPlanError(app, 'Show Compare', e);
  }
}
