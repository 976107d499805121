/**
 * Errors a user can act on. The CLI prints `message` as one line (no stack unless --verbose);
 * the extension shows it in a notification. `subject` names the file or argument at fault, so
 * every message reads "<subject>: <what is wrong>".
 */
export class UserError extends Error {
  constructor(
    readonly subject: string,
    readonly problem: string,
  ) {
    super(`${subject}: ${problem}`);
    this.name = 'UserError';
  }

  /** Rebuilds an error that crossed a process boundary as its message "subject: problem". */
  static fromMessage(message: string): UserError {
    const at = message.indexOf(': ');
    return at < 0 ? new UserError('engine', message) : new UserError(message.slice(0, at), message.slice(at + 2));
  }
}

/** Thrown when a job is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * A cancellation point inside a loop that otherwise never yields (CPU work between batches): one
 * turn of the event loop, so a cancel that arrived meanwhile (a signal to the CLI, a message to
 * the engine process) has been handled, then the check.
 */
export async function yieldIfAborted(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((r) => setImmediate(r));
  throwIfAborted(signal);
}
