/**
 * lens/run: the latent-language lens on a rendered prompt for the editor's Latent language panel
 * (methods.md §8): the logit lens, and the linear lens when a fitted one is named. The token
 * language profile comes from a folder or corpus (cached, lens/profile.ts), by default the UDHR
 * of the languages the model declares.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors';
import { LINEAR_LENS_FILE, readLinearLens } from '../lens/linear';
import { resolveProfile } from '../lens/profile';
import { runLens } from '../lens/run';
import type { Handler } from './handlerTypes';
import { requireModel, resolveDeactivation, variantFor } from './state';

const run: Handler<'lens/run'> = async (s, p, o) => {
  const m = requireModel(s);
  const spec = p.languages ?? (m.info.languages.length ? `udhr:${m.info.languages.join(',')}` : undefined);
  let profile;
  if (spec) {
    try {
      profile = await resolveProfile(m, spec, s.cacheDir, { cwd: p.cwd, signal: o.signal });
    } catch (e) {
      // The default is a convenience: without it the panel still shows the lens, uncoloured.
      if (p.languages !== undefined || !(e instanceof UserError)) throw e;
      s.log(`lens: no language profile (${e.message})`);
    }
  }
  let linear;
  if (p.linear) {
    const path = resolve(p.cwd ?? process.cwd(), p.linear);
    if (!existsSync(path)) throw new UserError(p.linear, 'not found (set polyglotLens.linearLens to a `polyglot-lens lens fit` output folder)');
    linear = readLinearLens(statSync(path).isDirectory() ? join(path, LINEAR_LENS_FILE) : path, m);
  }
  const started = Date.now();
  const deactivate = resolveDeactivation(s, m, p.deactivate);
  const r = await runLens(m, { text: p.text, k: p.k, targets: p.targets, profile, linear, deactivate, variant: await variantFor(s, m, p.variant, o) }, o);
  s.log(`lens: ${r.tokens.length} tokens × ${r.layers} layers${linear ? ' (logit and linear)' : ''} in ${Date.now() - started} ms`);
  return r;
};

export const LENS_HANDLERS = { 'lens/run': run } satisfies { 'lens/run': Handler<'lens/run'> };
