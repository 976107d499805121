/**
 * When to warm the engine for a prompt (engineWarmup.ts wires it to the editor). Pure, so the
 * rules are unit-tested: a prompt that opens starts the engine, loads its model and prepares the
 * sessions its Analyze runs, so the first Analyze does not wait for them; but a warm-up
 * - never loads a model bigger than `maxBytes` (a 7B checkpoint loads when a command needs it),
 * - never replaces another loaded model (that would unload its pruning variants),
 * - runs once per model and deactivation on one engine process (forgotten when it stops), and
 *   is not retried after it failed (the command that needs the model says why),
 * - is aborted when a newer one starts or the extension goes away, so none is left behind.
 */
import type { NeuronMask } from '../engine/api';

/** 1 GiB of weight files: the default model (21 MB) and the 110M benchmark Llama (440 MB) warm up; 7B-class checkpoints do not. */
export const WARM_MAX_BYTES = 1024 ** 3;

export interface WarmTarget {
  /** Checkpoint folder; undefined = the embedded default model. */
  modelDir: string | undefined;
  deactivate?: NeuronMask;
  /** A pruned variant of that model: warmed only if the engine holds it (warm resolves false otherwise). */
  variant?: string;
}

export interface WarmDeps {
  /** Whether a model is loaded in the engine, and whether it is `dir`. */
  loaded(): { any: boolean; is(dir: string | undefined): boolean };
  /** Bytes of the folder's weight files; undefined when they cannot be read (then no warm-up). */
  modelBytes(dir: string | undefined): number | undefined;
  /** Resolves false when there was nothing to warm yet (a variant the engine does not hold): tried again later. */
  warm(target: WarmTarget, signal: AbortSignal): Promise<boolean>;
  log(line: string): void;
  maxBytes?: number;
}

export type WarmDecision = 'started' | 'already-warm' | 'failed-before' | 'too-large' | 'unreadable' | 'other-model-loaded';

export function warmKey(t: WarmTarget): string {
  const mask = Object.entries(t.deactivate ?? {})
    .filter(([, js]) => js.length > 0)
    .map(([l, js]) => [Number(l), [...js].sort((a, b) => a - b)] as const)
    .sort((a, b) => a[0] - b[0]);
  return JSON.stringify([t.modelDir ?? null, mask, t.variant ?? null]);
}

export class Warmup {
  /** Keys warmed (or warming) on the current engine process. */
  private readonly warmed = new Set<string>();
  /** Keys whose warm-up failed: left to the commands, which report why. */
  private readonly failed = new Set<string>();
  private inflight?: { key: string; controller: AbortController; done: Promise<void> };

  constructor(private readonly deps: WarmDeps) {}

  /** Warms `t` unless a rule says not to; the promise of a started warm-up is `running`. */
  request(t: WarmTarget): WarmDecision {
    const key = warmKey(t);
    if (this.inflight?.key === key) return 'already-warm';
    const loaded = this.deps.loaded();
    // No model loaded: a fresh engine process (or none yet), so nothing is warm any more.
    if (!loaded.any) this.warmed.clear();
    else if (!loaded.is(t.modelDir)) return 'other-model-loaded';
    if (this.warmed.has(key)) return 'already-warm';
    if (this.failed.has(key)) return 'failed-before';
    const bytes = this.deps.modelBytes(t.modelDir);
    if (bytes === undefined) return 'unreadable';
    if (bytes > (this.deps.maxBytes ?? WARM_MAX_BYTES)) return 'too-large';
    this.abort();
    const controller = new AbortController();
    this.warmed.add(key);
    const done = this.deps.warm(t, controller.signal).then(
      (warmed) => {
        if (!warmed && !controller.signal.aborted) this.warmed.delete(key);
      },
      (e: unknown) => {
        // Not warm after all (the model failed to load: the command that needs it will say why).
        // An aborted one was already forgotten by abort(), and its key may be warming again.
        if (controller.signal.aborted) return;
        this.warmed.delete(key);
        // Not retried: a model that fails to load or stops the engine would otherwise do it again on every editor switch.
        this.failed.add(key);
        this.deps.log(`warm-up skipped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      },
    ).finally(() => {
      if (this.inflight?.controller === controller) this.inflight = undefined;
    });
    this.inflight = { key, controller, done };
    return 'started';
  }

  /** The warm-up in flight, if any (tests wait for it). */
  get running(): Promise<void> | undefined {
    return this.inflight?.done;
  }

  /** The engine process stopped (crash, restart, settings): nothing is warm any more. */
  engineStopped(): void {
    this.abort();
    this.warmed.clear();
  }

  private abort(): void {
    const f = this.inflight;
    this.inflight = undefined;
    if (f) {
      f.controller.abort();
      this.warmed.delete(f.key);
    }
  }

  dispose(): void {
    this.engineStopped();
  }
}
