/** Locates ../shared (the real checkpoints and references); tests skip with a message when absent. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED = resolve(process.env.POLYGLOT_LENS_SHARED ?? join(__dirname, '..', '..', '..', 'shared'));

export function sharedModel(name: string): string | undefined {
  const dir = join(SHARED, 'models', name);
  return existsSync(join(dir, 'config.json')) ? dir : undefined;
}

/** The `skip` option for node:test: a reason string when the model is absent. */
export function skipWithoutModel(name: string): string | false {
  return sharedModel(name) ? false : `../shared/models/${name} is absent (tests that need the real checkpoints skip)`;
}
