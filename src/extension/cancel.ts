/**
 * Cancel works at any moment of a job: while it waits for the engine (queued behind another
 * job, or loading a model) as much as while it runs. The host does not wait for the engine to
 * acknowledge: the job's promise rejects with CancelledError as soon as the signal aborts, and
 * whatever the work settles to later is dropped. Pure, so it is unit-tested.
 */
import { CancelledError } from '../engine/errors';

export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
