/**
 * Before a long job: the engine's plan of it (job/plan — the CLI's --plan: the job walked without
 * computing, then a short measured calibration) and, when the estimate is above
 * `polyglotLens.confirmJobsAbove` seconds (default 60), a modal confirmation that shows it, with
 * Run and Cancel. Estimating never blocks a job: if it fails, the job runs (the reason is logged).
 */
import * as vscode from 'vscode';
import type { JobPlanParams } from '../engine/worker/protocol';
import type { JobPlan } from '../engine/plan/estimate';
import type { App } from './app';
import { untilAborted } from './cancel';
import { readSettings } from './settings';
import { flopsText } from '../shared/flops';

const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 1)} GB`;

/** The confirmation's detail line: what the estimate rests on. */
export function planDetail(p: JobPlan): string {
  const mode = p.models[0]?.weights ?? 'resident';
  return `${p.tokens.real.toLocaleString('en')} tokens in ${p.forwardPasses.toLocaleString('en')} forward passes (${flopsText(p.flops)}); peak memory about ${gb(p.peakMemoryBytes[mode])} (${mode} weights). Estimated on this machine from a short measured calibration run.`;
}

/** true: run the job (short, confirmed, or not estimable); false: the user cancelled. */
export async function confirmJob(app: App, title: string, modelDir: string | undefined, request: JobPlanParams): Promise<boolean> {
  const limit = readSettings().confirmJobsAbove;
  let plan: JobPlan | null;
  const controller = new AbortController();
  try {
    plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Polyglot Lens: estimating ${title}…`, cancellable: true }, async (_p, token) => {
      token.onCancellationRequested(() => controller.abort());
      const { engine } = await app.engine.load(modelDir);
      return untilAborted(engine.jobPlan(request, { signal: controller.signal }), controller.signal);
    });
  } catch (e) {
    if (controller.signal.aborted) return false;
    app.ctx.log(`${title}: no estimate (${(e as Error).message.split('\n')[0]}); running it`);
    return true;
  }
  if (!plan) return true;
  app.ctx.log(`${title}: estimated ${plan.estimate.text} (${plan.estimate.seconds} s: compute ${plan.estimate.compute} s, setup ${plan.estimate.setup} s)`);
  app.ctx.e2e.event('jobPlan', { title, seconds: plan.estimate.seconds, text: plan.estimate.text, asked: plan.estimate.seconds > limit });
  if (plan.estimate.seconds <= limit) return true;
  const pick = await vscode.window.showWarningMessage(`Polyglot Lens: ${title} will take about ${plan.estimate.text}. Run it now?`, { modal: true, detail: planDetail(plan) }, 'Run');
  app.ctx.e2e.event('jobConfirm', { title, run: pick === 'Run' });
  return pick === 'Run';
}
