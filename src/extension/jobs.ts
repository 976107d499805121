import * as vscode from 'vscode';
import type { JobOptions } from '../engine/api';
import { untilAborted } from './cancel';
import type { PolyglotContext } from './context';
import { ActionableError } from './errors';
import { JobQueue, type QueuedJob } from './jobQueue';

export type JobBody<T> = (opts: JobOptions) => Promise<T>;

/** The model jobs in the order the engine runs them (jobQueue.ts), for the status bar, the sidebar and queued jobs' progress. */
export class JobTracker {
  private readonly queue = new JobQueue();
  readonly onDidChange = new vscode.EventEmitter<void>();
  /** The running job's title. */
  get current(): string | undefined {
    return this.queue.running;
  }
  list(): QueuedJob[] {
    return this.queue.list();
  }
  /** The title of the job `id` waits for, or undefined once it runs. */
  waitingFor(id: number): string | undefined {
    return this.queue.waitingFor(id);
  }
  start(title: string): { id: number; done: () => void } {
    const id = this.queue.add(title);
    this.onDidChange.fire();
    return {
      id,
      done: () => {
        this.queue.remove(id);
        this.onDidChange.fire();
      },
    };
  }
}

/**
 * Runs one model job under a cancellable progress notification. Cancel aborts the job's
 * AbortSignal. Failures become a notification with the reason and "Show Log"; they never
 * escape, so the next command works. Returns undefined when the job failed or was cancelled.
 */
export async function runJob<T>(ctx: PolyglotContext, jobs: JobTracker, title: string, body: JobBody<T>): Promise<T | undefined> {
  const { id, done } = jobs.start(title);
  const controller = new AbortController();
  const started = Date.now();
  ctx.log(`${title}: started`);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Polyglot Lens: {0}', title), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        // Queued behind another job, it says so (not the "loading model…" it reports before the engine reaches it).
        let lastMessage: string | undefined;
        const waiting = (): string | undefined => jobs.waitingFor(id);
        const sayWaiting = (): void => { const w = waiting(); if (w) progress.report({ message: vscode.l10n.t('waiting for {0}…', w) }); };
        sayWaiting();
        const turn = jobs.onDidChange.event(() => { if (!waiting() && lastMessage !== undefined) progress.report({ message: lastMessage }); });
        let running = false;
        try {
          const result = await untilAborted(body({
            signal: controller.signal,
            onProgress: (p) => {
              // The first report means the engine is computing this job (not waiting in the queue).
              if (!running) ctx.e2e.event('job-running', { title });
              running = true;
              const fraction = Math.min(1, Math.max(0, p.fraction));
              lastMessage = p.message;
              if (waiting()) return sayWaiting();
              progress.report({ message: p.message, increment: Math.max(0, (fraction - reported) * 100) });
              reported = Math.max(reported, fraction);
            },
          }), controller.signal);
          ctx.log(`${title}: done in ${Date.now() - started} ms`);
          return result;
        } finally {
          turn.dispose();
        }
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
