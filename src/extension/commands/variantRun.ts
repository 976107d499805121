import type { JobOptions } from '../../engine/api';
import type { EngineClient } from '../../engine/worker/client';
import type { App } from '../app';
import { pruneSettingsOf } from '../prompt/pruningLens';
import { readSettings } from '../settings';
import type { RunPlan } from './runPlan';

/**
 * Makes sure the variant a prompt's `polyglot.pruning` names exists in the engine before a run
 * uses it. Created once per name (the name encodes every setting); later runs only pass the name.
 */
export async function ensurePromptVariant(app: App, engine: EngineClient, plan: RunPlan, opts: JobOptions): Promise<void> {
  if (!plan.pruning || !plan.variant || app.variants.has(plan.variant)) return;
  opts.onProgress?.({ fraction: 0, message: `pruning (${plan.variant})…` });
  const settings = pruneSettingsOf(plan.pruning, plan.cwd, readSettings().calibrationSequences);
  const summary = await engine.pruneCreate({ name: plan.variant, settings }, opts);
  app.variants.record(summary);
  app.ctx.e2e.event('variant', { name: summary.name, reused: summary.reused, achievedSparsity: summary.achievedSparsity });
  app.ctx.log(`variant ${summary.name}: ${(summary.achievedSparsity * 100).toFixed(1)}% of weights zeroed${summary.reused ? ' (already in the engine)' : ''}`);
}
