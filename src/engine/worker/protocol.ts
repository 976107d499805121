/**
 * Every message between the extension host and the engine process, declared once. Requests are
 * named `area/verb`; each carries its direction in the doc comment. Values cross by structured
 * clone (child_process `serialization: 'advanced'`), so typed arrays travel as they are.
 */
import type { CaptureRequest, GenerateRequest, GenerateResult, ModelInfo, Progress, TensorData } from '../api';
import type { ActivationAnalysis } from '../../shared/analysis';
import type { AnalyzeRequest } from '../analyze';

/** Request methods: params the host sends, result the engine answers with. */
export interface EngineMethods {
  /** host → engine: load a checkpoint folder (undefined = the embedded default model). */
  'engine/load': { params: { dir?: string }; result: ModelInfo };
  /** host → engine: tokenize text with the default special tokens; offsets are per token (null for specials). */
  'engine/tokenize': { params: { text: string }; result: { ids: number[]; offsets: ([number, number] | null)[] } };
  /** host → engine: greedy generation. */
  'engine/generate': { params: GenerateRequest; result: GenerateResult };
  /** host → engine: Analyze Activations on a rendered prompt. */
  'engine/analyze': { params: Omit<AnalyzeRequest, 'variant'> & { variant?: string }; result: ActivationAnalysis };
  /** host → engine: capture named hooks for one sequence. */
  'engine/capture': { params: CaptureRequest; result: Record<string, TensorData> };
  /** host → engine: delete cached graphs. */
  'engine/clearCache': { params: Record<string, never>; result: { cleared: string } };
}
export type EngineMethod = keyof EngineMethods;

/** host → engine */
export interface RequestMessage<M extends EngineMethod = EngineMethod> {
  kind: 'request';
  id: number;
  method: M;
  params: EngineMethods[M]['params'];
}

/** host → engine: abort the job with this request id. */
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}

/** host → engine: settings applied before the first request. */
export interface InitMessage {
  kind: 'init';
  threads: number;
  cacheDir: string;
}

export type HostToEngine = RequestMessage | CancelMessage | InitMessage;

/** engine → host: the answer to request `id`. */
export type ResponseMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: { name: string; message: string } };

/** engine → host: progress of request `id`. */
export interface ProgressMessage {
  kind: 'progress';
  id: number;
  progress: Progress;
}

/** engine → host: a line for the output channel. */
export interface LogMessage {
  kind: 'log';
  line: string;
}

export type EngineToHost = ResponseMessage | ProgressMessage | LogMessage;

export function isEngineToHost(x: unknown): x is EngineToHost {
  const k = (x as { kind?: unknown } | null)?.kind;
  return k === 'response' || k === 'progress' || k === 'log';
}

export function isHostToEngine(x: unknown): x is HostToEngine {
  const m = x as { kind?: unknown; id?: unknown; method?: unknown } | null;
  if (!m) return false;
  if (m.kind === 'init') return true;
  if (m.kind === 'cancel') return typeof m.id === 'number';
  return m.kind === 'request' && typeof m.id === 'number' && typeof m.method === 'string';
}
