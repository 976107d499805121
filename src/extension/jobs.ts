import * as vscode from 'vscode';
import type { JobOptions } from '../engine/api';
import { untilAborted } from './cancel';
import type { PolyglotContext } from './context';
import { ActionableError } from './errors';

export type JobBody<T> = (opts: JobOptions) => Promise<T>;

/** The running jobs' titles, for the status bar. */
export class JobTracker {
  private readonly running = new Set<string>();
  readonly onDidChange = new vscode.EventEmitter<void>();
  get current(): string | undefined {
    return [...this.running].pop();
  }
  start(title: string): () => void {
    this.running.add(title);
    this.onDidChange.fire();
    return () => {
      this.running.delete(title);
      this.onDidChange.fire();
    };
  }
}

/**
 * Runs one model job under a cancellable progress notification. Cancel aborts the job's
 * AbortSignal. Failures become a notification with the reason and "Show Log"; they never
 * escape, so the next command works. Returns undefined when the job failed or was cancelled.
 */
export async function runJob<T>(ctx: PolyglotContext, jobs: JobTracker, title: string, body: JobBody<T>): Promise<T | undefined> {
  const done = jobs.start(title);
  const controller = new AbortController();
  const started = Date.now();
  ctx.log(`${title}: started`);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Polyglot Lens: {0}', title), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        let running = false;
        const result = await untilAborted(body({
          signal: controller.signal,
          onProgress: (p) => {
            // The first report means the engine is computing this job (not waiting in the queue).
            if (!running) ctx.e2e.event('job-running', { title });
            running = true;
            const fraction = Math.min(1, Math.max(0, p.fraction));
            progress.report({ message: p.message, increment: Math.max(0, (fraction - reported) * 100) });
            reported = Math.max(reported, fraction);
          },
        }), controller.signal);
        ctx.log(`${title}: done in ${Date.now() - started} ms`);
        return result;
      },
    );
  } catch (e) {
    if (controller.signal.aborted || (e instanceof Error && e.name === 'CancelledError')) {
      ctx.log(`${title}: cancelled after ${Date.now() - started} ms`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Polyglot Lens: {0} cancelled.', title));
      ctx.e2e.event('cancelled', { title });
      return undefined;
    }
    reportError(ctx, title, e);
    return undefined;
  } finally {
    done();
  }
}

/** Error notification with the one-line reason and a "Show Log" action; the stack goes to the log. */
export function reportError(ctx: PolyglotContext, what: string, e: unknown): void {
  const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
  ctx.output.error(`${what} failed: ${e instanceof Error && e.stack ? e.stack : reason}`);
  ctx.e2e.event('error', { what, reason });
  const actions = e instanceof ActionableError ? e.actions : [];
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(vscode.l10n.t('Polyglot Lens: {0} failed: {1}', what, reason), ...actions.map((a) => a.title), showLog).then((pick) => {
    const action = actions.find((a) => a.title === pick);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
    else if (pick === showLog) ctx.output.show(true);
  });
}
