/**
 * The only module that touches onnxruntime-node. It is required lazily, so importing the engine
 * (or activating the extension) never loads the native addon; a missing or broken addon becomes
 * one error that says what to do.
 */
import type * as OrtModule from 'onnxruntime-node';
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

export interface SessionSettings {
  /** Intra-op threads; 0 lets onnxruntime choose. */
  threads: number;
}

export async function createSession(model: Uint8Array, s: SessionSettings): Promise<Session> {
  const o = load();
  try {
    return await o.InferenceSession.create(model, {
      intraOpNumThreads: s.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // Measured on the 85M-parameter benchmark model, 2048 tokens per run (peak RSS):
      // arena on + patterns off 696 MB; arena off 1164 MB (malloc fragmentation); patterns on
      // 954 MB (one pre-planned block per input shape, and corpus runs see many shapes).
      enableMemPattern: false,
      enableCpuMemArena: true,
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
