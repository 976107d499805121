/**
 * The only module that touches onnxruntime-node. It is required lazily, so importing the engine
 * (or activating the extension) never loads the native addon; a missing or broken addon becomes
 * one error that says what to do.
 */
import type * as OrtModule from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';

let ort: typeof OrtModule | undefined;

/**
 * onnxruntime's own telemetry (a device id and queued events under ~/.cache/Microsoft) is off in
 * every process that loads it: the native library reads this variable when the binding creates its
 * environment, so it must be set before the first require. Polyglot Lens sends nothing anywhere.
 */
function disableTelemetry(): void {
  process.env.ORT_DISABLE_TELEMETRY = '1';
}

function load(): typeof OrtModule {
  if (!ort) {
    disableTelemetry();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ort = require('onnxruntime-node') as typeof OrtModule;
    } catch (e) {
      throw new UserError('onnxruntime-node', nativeRuntimeHelp((e as Error).message, process.platform, process.arch));
    }
  }
  return ort;
}

/**
 * What to do when the native addon does not load. A Marketplace user installed a platform-specific
 * .vsix and has no npm: the likely cause is a build for another platform, which the user fixes by
 * installing the one for theirs. A source checkout (the CLI from a clone) runs `npm ci`.
 */
export function nativeRuntimeHelp(error: string, platform: string, arch: string): string {
  return `cannot load the native runtime for ${platform}-${arch} (${error.split('\n')[0]}). ` +
    `In VS Code: reinstall Polyglot Lens from the Marketplace so that VS Code picks the build for ${platform}-${arch} ` +
    `(or install the polyglot-lens-…-${platform}-${arch}.vsix); from a source checkout: run npm ci`;
}

export type Session = OrtModule.InferenceSession;
export type OrtTensor = OrtModule.Tensor;

/** Where graphs run: `cpu` (default, bundled) or `cuda` (onnxruntime-node's CUDA provider, installed separately). */
export type ExecutionProvider = 'cpu' | 'cuda';
export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['cpu', 'cuda'];

export interface SessionSettings {
  /** Intra-op threads; 0 lets onnxruntime choose. */
  threads: number;
  provider?: ExecutionProvider;
  /** Told once, in words, when a requested provider cannot be used and the CPU runs instead. */
  onFallback?: (message: string) => void;
  /**
   * In-memory "files" the graph's external-data initializers point into (by `location`): the
   * bytes are handed to onnxruntime, which builds the initializers from them at session creation.
   */
  externalData?: { path: string; data: Uint8Array }[];
}

export const CUDA_INSTALL_HINT =
  'install it on this machine with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` in the extension folder (needs CUDA 12 and cuDNN 9); see docs/scale.md';

/** Why CUDA cannot run here (undefined = it may: the provider libraries are installed). */
let cudaProblem: string | undefined;
let cudaChecked = false;

/**
 * onnxruntime-node ships the CUDA provider as separate libraries next to its binding, downloaded
 * only when installed with ONNXRUNTIME_NODE_INSTALL=cuda12. Looking for them first avoids asking
 * onnxruntime for a provider it cannot load (which fails with a long native error on stderr).
 */
export function cudaAvailability(): string | undefined {
  if (cudaChecked) return cudaProblem;
  cudaChecked = true;
  const o = load();
  if (!o.listSupportedBackends().some((b) => b.name === 'cuda')) return (cudaProblem = `this onnxruntime-node build (${process.platform}-${process.arch}) has no CUDA provider`);
  let binDir: string;
  try {
    binDir = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return (cudaProblem = 'cannot locate onnxruntime-node');
  }
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  if (!existsSync(join(binDir, lib))) return (cudaProblem = `onnxruntime-node's CUDA provider is not installed (${lib} is missing)`);
  return (cudaProblem = undefined);
}

/** The fallback message when CUDA was asked for and cannot run here; undefined when it can. */
export function cudaNote(): string | undefined {
  const why = cudaAvailability();
  return why === undefined ? undefined : `execution provider cuda: ${why}; running on the CPU instead — ${CUDA_INSTALL_HINT}`;
}

/** What a session with `requested` actually runs on. */
export function activeProvider(requested: ExecutionProvider): ExecutionProvider {
  return requested === 'cuda' && cudaAvailability() === undefined ? 'cuda' : 'cpu';
}

let fallbackTold = false;
function fallBack(s: SessionSettings, why: string): void {
  if (fallbackTold) return;
  fallbackTold = true;
  s.onFallback?.(`execution provider cuda: ${why}; running on the CPU instead — ${CUDA_INSTALL_HINT}`);
}

export async function createSession(model: Uint8Array, s: SessionSettings): Promise<Session> {
  if (s.provider === 'cuda') {
    const why = cudaAvailability();
    if (why === undefined) {
      try {
        return await newSession(model, s, ['cuda', 'cpu']);
      } catch (e) {
        // The provider libraries exist but CUDA itself does not load (no driver, no cuDNN, …).
        cudaProblem = `the CUDA provider failed to start (${(e as Error).message.split('\n')[0]})`;
      }
    }
    fallBack(s, cudaProblem ?? why ?? 'unavailable');
  }
  return newSession(model, s, ['cpu']);
}

async function newSession(model: Uint8Array, s: SessionSettings, providers: ExecutionProvider[]): Promise<Session> {
  const o = load();
  try {
    return await o.InferenceSession.create(model, {
      executionProviders: providers,
      intraOpNumThreads: s.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // Measured on the 85M-parameter benchmark model, 2048 tokens per run (peak RSS):
      // arena on + patterns off 696 MB; arena off 1164 MB (malloc fragmentation); patterns on
      // 954 MB (one pre-planned block per input shape, and corpus runs see many shapes).
      enableMemPattern: false,
      enableCpuMemArena: true,
      // Each session owns an intra-op pool whose idle workers spin by default; the engine runs
      // several sessions in turn (the forward, generation's prefill and steps, the lens head), so
      // on a 2-core machine the previous session's spinning worker took the cores from the next.
      // Default model, Analyze (20 tokens + 16 generated), two models in one process alternating, load ~11:
      // median 50 ms with spinning off against 341 ms with it on (docs/performance.md, lens section).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
      ...(s.externalData ? { externalData: s.externalData } : {}),
    });
  } catch (e) {
    throw new Error(`onnxruntime rejected the generated graph: ${(e as Error).message}`);
  }
}

export function f32(data: Float32Array, dims: readonly number[]): OrtTensor {
  return new (load().Tensor)('float32', data, dims);
}

export function i64(data: BigInt64Array, dims: readonly number[]): OrtTensor {
  return new (load().Tensor)('int64', data, dims);
}

export function bool(data: Uint8Array, dims: readonly number[]): OrtTensor {
  return new (load().Tensor)('bool', data, dims);
}

export async function run(session: Session, feeds: Record<string, OrtTensor>, outputs: string[]): Promise<Record<string, OrtTensor>> {
  return session.run(feeds, outputs);
}
