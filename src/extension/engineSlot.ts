/**
 * When the engine process is (re)started. Pure (no vscode import) so the rules are unit-tested:
 * - a change of `threads`/`cacheDir` applies to the next job: a running or queued job is never
 *   killed for it; the process is recycled once it has no pending job;
 * - a crash drops the process and the next job starts a fresh one, but a crash loop (`limit`
 *   crashes within `windowMs`) stops automatic restarts until the user runs Restart Engine.
 */
export interface Recyclable {
  /** Jobs sent and not yet answered. */
  readonly pendingCount: number;
  dispose(): void;
}

export class CrashLoopError extends Error {
  constructor(readonly crashes: number, readonly windowMs: number) {
    super(`the engine stopped ${crashes} times within ${Math.round(windowMs / 1000)} s, so it is not restarted automatically; run "Polyglot Lens: Restart Engine" after fixing the cause (see the log)`);
    this.name = 'CrashLoopError';
  }
}

/** The engine was dropped (restarted, reconfigured, disposed) while a caller waited for it to be created. */
export class EngineDroppedError extends Error {
  constructor() {
    super('the engine was restarted while it was starting; run the command again');
    this.name = 'EngineDroppedError';
  }
}

export interface SlotOptions {
  limit?: number;
  windowMs?: number;
  now?: () => number;
}

export class EngineSlot<C extends Recyclable> {
  private client?: C;
  /** The creation in flight; drop() forgets it, so a creation that is no longer this one was dropped. */
  private creating?: Promise<C>;
  private stale = false;
  private crashes: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly create: () => Promise<C>, opts: SlotOptions = {}) {
    this.limit = opts.limit ?? 3;
    this.windowMs = opts.windowMs ?? 120_000;
    this.now = opts.now ?? Date.now;
  }

  get current(): C | undefined {
    return this.client;
  }

  /** Whether the crash-loop guard has stopped automatic restarts. */
  get stopped(): boolean {
    return this.crashes.length >= this.limit;
  }

  /** The running client, a fresh one after a crash or a settings change, or CrashLoopError. */
  async get(): Promise<C> {
    if (this.client && this.stale && this.client.pendingCount === 0) this.drop();
    if (this.client) return this.client;
    if (this.stopped) throw new CrashLoopError(this.crashes.length, this.windowMs);
    if (!this.creating) {
      const creating: Promise<C> = this.create().then(
        (c) => {
          // Dropped (restart, settings, dispose) while it was being created: nobody owns it, so it
          // is disposed here rather than left to start a process no one will stop.
          if (this.creating !== creating) {
            c.dispose();
            throw new EngineDroppedError();
          }
          this.creating = undefined;
          this.client = c;
          this.stale = false;
          return c;
        },
        (e: unknown) => { if (this.creating === creating) this.creating = undefined; throw e; },
      );
      this.creating = creating;
    }
    return this.creating;
  }

  /** Settings the process was started with changed: recycle now when idle, else after its jobs. */
  settingsChanged(): 'now' | 'after-jobs' {
    if (this.client && this.client.pendingCount > 0) {
      this.stale = true;
      return 'after-jobs';
    }
    this.drop();
    return 'now';
  }

  /** The process died; returns true when this crash trips the crash-loop guard. */
  crashed(): boolean {
    const t = this.now();
    this.crashes = [...this.crashes.filter((c) => t - c < this.windowMs), t];
    this.drop();
    return this.stopped;
  }

  /** Restart Engine: a fresh process on the next job, and the crash-loop guard reset. */
  restart(): void {
    this.crashes = [];
    this.drop();
  }

  drop(): void {
    const old = this.client;
    this.creating = undefined;
    this.client = undefined;
    this.stale = false;
    old?.dispose();
  }
}
