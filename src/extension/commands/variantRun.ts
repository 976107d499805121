import type { JobOptions } from '../../engine/api';
import type { EngineClient } from '../../engine/worker/client';
import type { App } from '../app';
import { pruneSettingsOf } from '../prompt/pruningLens';
import { readSettings } from '../settings';
import { PlanError, type RunPlan } from './runPlan';

/**
 * Makes sure the engine holds the variant a run names before the run uses it: the prompt's
 * `polyglot.pruning` (created once per name: the name encodes every setting), or the variant of
 * the prompt's model chosen with Select Variant…, re-created from how it was made when the engine
 * unloaded it (another model ran, or the engine restarted). Said in the progress and the log.
 */
export async function ensurePromptVariant(app: App, engine: EngineClient, plan: RunPlan, opts: JobOptions): Promise<void> {
  if (!plan.variant) return;
  const model = app.variants.modelKey(plan.modelDir);
  if (plan.pruning && !app.variants.get(model, plan.variant)) {
    const settings = pruneSettingsOf(plan.pruning, plan.cwd, readSettings().calibrationSequences);
    opts.onProgress?.({ fraction: 0, message: `pruning (${plan.variant})…` });
    const summary = await engine.pruneCreate({ name: plan.variant, settings }, opts);
    app.variants.record(model, { summary, settings, origin: 'prompt' });
    app.ctx.e2e.event('variant', { name: summary.name, reused: summary.reused, achievedSparsity: summary.achievedSparsity, model });
    app.ctx.log(`variant ${summary.name} of ${model}: ${(summary.achievedSparsity * 100).toFixed(1)}% of weights zeroed${summary.reused ? ' (already in the engine)' : ''}`);
    return;
  }
  await ensureVariant(app, engine, model, plan.variant, opts);
}

/** A listed variant of `model`, made again in the engine when it is not held there now. */
export async function ensureVariant(app: App, engine: EngineClient, model: string, name: string, opts: JobOptions): Promise<void> {
  if (app.variants.inEngine(model, name)) return;
  const r = app.variants.get(model, name);
  if (!r?.settings) throw new PlanError(`variant ${name} is not a variant of ${model}; pick one of its own with "Select Variant…"`);
  opts.onProgress?.({ fraction: 0, message: `re-creating ${name} (the engine had unloaded it)…` });
  const summary = await engine.pruneCreate({ name, settings: r.settings }, opts);
  app.variants.record(model, { ...r, summary });
  app.ctx.log(`variant ${name} of ${model} ${summary.reused ? 'was still in the engine' : 're-created in the engine (it had been unloaded with its model)'}`);
  app.ctx.e2e.event('variant-recreated', { name, model, reused: summary.reused });
}
