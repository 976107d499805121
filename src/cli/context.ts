/** What every CLI command shares: parsed arguments, the model loader, and output helpers. */
import { existsSync } from 'node:fs';
import { UserError } from '../engine/errors';
import { LoadedModel } from '../engine/model/model';
import { defaultCacheDir, defaultModelDir } from '../engine/paths';
import type { Args } from './args';

export class CliContext {
  constructor(readonly args: Args) {}

  /** --model DIR, or the embedded default model when omitted. */
  loadModel(): LoadedModel {
    const dir = this.args.string('model') ?? defaultModelDir();
    if (!this.args.string('model') && !existsSync(dir)) {
      throw new UserError('--model', `not given and the embedded default model is missing at ${dir}`);
    }
    const model = LoadedModel.load(dir, { threads: this.args.int('threads', 0), cacheDir: this.args.string('cache-dir') ?? defaultCacheDir() });
    for (const w of model.info.warnings) process.stderr.write(`warning: ${w}\n`);
    return model;
  }

  print(obj: unknown): void {
    process.stdout.write(`${JSON.stringify(obj)}\n`);
  }
}
