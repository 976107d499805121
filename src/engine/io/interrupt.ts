/**
 * How a process that runs jobs is stopped: the one cancellation path of every CLI command.
 *
 * SIGINT, SIGTERM and SIGHUP — Ctrl-C in a terminal, `kill`, Slurm and Kubernetes stopping a task,
 * a closed terminal — all abort one process-wide AbortSignal. Long jobs take it through their
 * JobOptions and stop at their next batch; the output policy (./outputs) refuses to commit an
 * output once it has fired, so a job that is between batches when the signal comes still writes
 * nothing; the command then exits 130 (main.ts). A second signal exits at once (the output
 * policy's exit hook removes its temp folders).
 *
 * The engine process the editor forks does not install this: it is stopped per request through
 * its own signals, and on a signal of its own it removes its temp folders and exits (./outputs).
 */

/** Exit status of a cancelled command, as shells report a SIGINT death (128 + 2), for all three signals. */
export const CANCELLED_EXIT = 130;

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let controller: AbortController | undefined;

/**
 * Installs the handlers (once per process) and returns the signal they abort. `onSecond` runs when
 * a second signal arrives before the job has unwound (default: exit 130 at once).
 */
export function installInterrupt(onSecond: () => void = () => process.exit(CANCELLED_EXIT)): AbortSignal {
  if (controller) return controller.signal;
  const ac = new AbortController();
  controller = ac;
  for (const sig of INTERRUPT_SIGNALS) {
    process.on(sig, () => {
      if (ac.signal.aborted) onSecond();
      else ac.abort();
    });
  }
  return ac.signal;
}

/** The process-wide cancellation signal, when this process installed one (the CLI does). */
export function interruptSignal(): AbortSignal | undefined {
  return controller?.signal;
}

/** Whether this process has been asked to stop. */
export function interrupted(): boolean {
  return controller?.signal.aborted ?? false;
}

/** Named places where POLYGLOT_LENS_STOP_AT can stop the process (docs/cli.md, "Stop points"). */
export type StopPoint = 'progress' | 'write' | 'commit';

const stopped = new Set<StopPoint>();

/**
 * For tests and for debugging races: with POLYGLOT_LENS_STOP_AT=<point> (comma-separated for
 * several), the first time the process reaches that point it says so on stderr and stops itself
 * with SIGSTOP, so another process can act at a known moment (send a signal, replace a folder)
 * and then resume it with SIGCONT. Points: `progress` (the first progress report of a job),
 * `write` (an output's temp folder exists, before it is filled), `commit` (the output is complete
 * in its temp folder, before the final checks and the rename).
 */
export function stopPoint(point: StopPoint): void {
  const wanted = process.env.POLYGLOT_LENS_STOP_AT;
  if (!wanted || stopped.has(point) || !wanted.split(',').includes(point)) return;
  stopped.add(point);
  process.stderr.write(`polyglot-lens: stopped at ${point} (pid ${process.pid}; SIGCONT resumes)\n`);
  process.kill(process.pid, 'SIGSTOP');
}
