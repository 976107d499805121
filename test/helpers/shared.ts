/**
 * Where tests find real checkpoints. llama2.c's stories260K (MIT, 1 MB) is committed as a fixture
 * (test/fixtures/models/stories260K, licence beside it), so every clone runs the tests that use
 * it. Other real models come from ../shared when it is there; their tests skip with a message
 * otherwise. POLYGLOT_LENS_NO_SHARED=1 hides ../shared from every test (.ci/run sets it), so a run
 * on this machine shows what a fresh clone without it does; POLYGLOT_LENS_SHARED points elsewhere.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURE_MODELS = join(__dirname, '..', 'fixtures', 'models');

/** ../shared, or undefined when hidden by POLYGLOT_LENS_NO_SHARED. */
export const SHARED: string | undefined = process.env.POLYGLOT_LENS_NO_SHARED ? undefined : resolve(process.env.POLYGLOT_LENS_SHARED ?? join(__dirname, '..', '..', '..', 'shared'));

/** The committed stories260K checkpoint. */
export const STORIES260K = join(FIXTURE_MODELS, 'stories260K');

/** Folder of a real model: a committed fixture, else ../shared/models/NAME when present; undefined when neither. */
export function sharedModel(name: string): string | undefined {
  for (const dir of [join(FIXTURE_MODELS, name), ...(SHARED ? [join(SHARED, 'models', name)] : [])]) {
    if (existsSync(join(dir, 'config.json'))) return dir;
  }
  return undefined;
}

/** The `skip` option for node:test: a reason string when the model is absent. */
export function skipWithoutModel(name: string): string | false {
  return sharedModel(name) ? false : `../shared/models/${name} is absent${process.env.POLYGLOT_LENS_NO_SHARED ? ' (hidden by POLYGLOT_LENS_NO_SHARED)' : ''}; this test needs that real checkpoint and skips`;
}
