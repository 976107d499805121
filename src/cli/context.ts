/** What every CLI command shares: parsed arguments, the model loader, and output helpers. */
import { existsSync } from 'node:fs';
import { UserError } from '../engine/errors';
import { planOutput, type OutputOptions, type OutputTarget } from '../engine/io/outputs';
import { interruptSignal } from '../engine/io/interrupt';
import { LoadedModel, type ModelOptions } from '../engine/model/model';
import { defaultCacheDir, defaultModelDir } from '../engine/paths';
import { parseWeightsMode } from '../engine/model/weights';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../engine/onnx/ort';
import type { Args } from './args';
import type { JobOptions } from '../engine/api';
import { stderrProgress } from './commands/progress';
import { terminalJson, terminalText } from './terminal';

export class CliContext {
  /** Seconds the last loadModel took (job plans count it). */
  loadSeconds = 0;
  /** Seconds from process start until this command began (Node and the modules; job plans count it). */
  readonly startSeconds = performance.now() / 1000;

  /** `signal` aborts on SIGINT/SIGTERM/SIGHUP (main.ts, engine/io/interrupt.ts); long jobs take it through jobOptions(). */
  constructor(
    readonly args: Args,
    readonly signal?: AbortSignal,
  ) {}

  /** Cancellation (the process's one cancellation path) and progress on stderr, for every engine job. */
  jobOptions(): JobOptions {
    return { signal: this.signal ?? interruptSignal(), onProgress: stderrProgress() };
  }

  /** One line per warning on stderr, prefixed like errors; stdout stays the JSON result. */
  warn(message: string): void {
    process.stderr.write(`polyglot-lens: warning: ${terminalText(message)}\n`);
  }

  /** --model DIR, or the embedded default model's folder when omitted. */
  modelDir(): string {
    return this.args.string('model') ?? defaultModelDir();
  }

  /** How models run (the global options --threads, --weights, --execution-provider, --prepack). */
  modelOptions(): ModelOptions {
    const provider = this.args.string('execution-provider') ?? 'cpu';
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(provider)) throw new UserError('--execution-provider', `must be one of ${EXECUTION_PROVIDERS.join(', ')}, got ${JSON.stringify(provider)}`);
    return {
      threads: this.args.int('threads', 0),
      weights: parseWeightsMode(this.args.string('weights') ?? 'auto'),
      executionProvider: provider as ExecutionProvider,
      ...(this.args.flag('prepack') ? { constantWeights: true } : {}),
      onNotice: (m) => process.stderr.write(`polyglot-lens: note: ${m}\n`),
    };
  }

  /** --model DIR, or the embedded default model when omitted. */
  loadModel(dir = this.modelDir()): LoadedModel {
    if (!this.args.string('model') && dir === defaultModelDir() && !existsSync(dir)) {
      throw new UserError('--model', `not given and the embedded default model is missing at ${dir}`);
    }
    const t0 = performance.now();
    const model = LoadedModel.load(dir, { ...this.modelOptions(), cacheDir: this.args.string('cache-dir') ?? defaultCacheDir() });
    this.loadSeconds = (performance.now() - t0) / 1000;
    const r = model.info.runtime;
    if (this.args.flag('verbose')) process.stderr.write(`polyglot-lens: weights ${r.weights} (${r.weightsReason}); execution provider ${r.executionProvider}\n`);
    for (const w of model.info.warnings) process.stderr.write(`warning: ${w}\n`);
    return model;
  }

  /**
   * Checks --out (and --overwrite, when the command has it) against the output policy before any
   * work: the model folder (--model or the default) and `inputs`, the other paths the command reads.
   */
  planOut(kind: OutputOptions['kind'], opts: Omit<OutputOptions, 'kind' | 'overwrite' | 'model'> & { modelDir?: string } = {}): OutputTarget {
    const { modelDir, ...rest } = opts;
    return planOutput(this.args.required('out'), { kind, overwrite: this.args.flag('overwrite'), model: modelDir ?? this.modelDir(), ...rest });
  }

  /** One JSON line on stdout (the scripting contract), with no raw control character. */
  print(obj: unknown): void {
    process.stdout.write(`${terminalJson(obj)}\n`);
  }

  /** Human-readable text on stdout; control characters from files or the model made visible. */
  write(text: string): void {
    process.stdout.write(terminalText(text));
  }
}
