/**
 * The engine process: forked by the extension host (EngineClient) so model work never blocks the
 * host thread, and a native crash takes down only this process. Receives HostToEngine messages,
 * answers with EngineToHost messages.
 */
import { CancelledError, UserError } from '../errors';
import { defaultCacheDir } from '../paths';
import { HANDLERS, type EngineState } from './handlers';
import { isHostToEngine, type EngineToHost, type RequestMessage } from './protocol';

const send = (m: EngineToHost): void => {
  process.send?.(m);
};
const state: EngineState = { threads: 0, cacheDir: defaultCacheDir(), log: (line) => send({ kind: 'log', line }) };
const running = new Map<number, AbortController>();
/**
 * Dispatch through a Map of the table's own entries: a method name from a message can never reach
 * an inherited member (`constructor`, `toString`, `__proto__`) the way `HANDLERS[name]` could.
 */
const DISPATCH = new Map<string, (s: EngineState, p: unknown, o: object) => Promise<unknown>>(
  Object.entries(HANDLERS) as [string, (s: EngineState, p: unknown, o: object) => Promise<unknown>][],
);
/** Cancels that arrived while their request waited in the queue: it is answered without running. */
const cancelledWhileQueued = new Set<number>();

async function handle(req: RequestMessage): Promise<void> {
  const abort = new AbortController();
  running.set(req.id, abort);
  if (cancelledWhileQueued.delete(req.id)) abort.abort();
  try {
    if (abort.signal.aborted) throw new CancelledError();
    const handler = DISPATCH.get(req.method);
    if (!handler) throw new UserError('engine', `unknown method ${JSON.stringify(req.method)}`);
    // The request names its model: load it here, in queue order, so it cannot run on another job's model.
    if (req.model && req.method !== 'engine/load' && req.method !== 'engine/clearCache') await HANDLERS['engine/load'](state, { dir: req.model.dir }, {});
    const result = await handler(state, req.params, {
      signal: abort.signal,
      onProgress: (progress: { fraction: number; message: string }) => send({ kind: 'progress', id: req.id, progress }),
    });
    send({ kind: 'response', id: req.id, ok: true, result });
  } catch (e) {
    const err = e as Error;
    if (!(e instanceof UserError) && !(e instanceof CancelledError)) state.log(`${req.method} failed: ${err.stack ?? err.message}`);
    send({ kind: 'response', id: req.id, ok: false, error: { name: err.name ?? 'Error', message: err.message ?? String(e) } });
  } finally {
    running.delete(req.id);
  }
}

// Requests run one after another: the model and its sessions are shared state, and two
// concurrent runs would only compete for the same cores.
let queue = Promise.resolve();
process.on('message', (m: unknown) => {
  if (!isHostToEngine(m)) return;
  if (m.kind === 'init') {
    state.threads = m.threads;
    state.cacheDir = m.cacheDir || state.cacheDir;
    state.executionProvider = m.executionProvider;
    state.weights = m.weights;
  } else if (m.kind === 'cancel') {
    const job = running.get(m.id);
    if (job) job.abort();
    else cancelledWhileQueued.add(m.id);
  } else {
    queue = queue.then(() => handle(m));
  }
});
process.on('disconnect', () => process.exit(0));
