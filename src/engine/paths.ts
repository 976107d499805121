/** Locations the engine needs: the package root (for the embedded default model) and the cache. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** The folder holding Polyglot Lens's package.json, found from this file (src/ or dist/). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'polyglot-lens') return dir;
      } catch {
        /* keep looking upwards */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the polyglot-lens package root');
    dir = up;
  }
}

export function defaultModelDir(): string {
  return join(packageRoot(), 'models', 'default');
}

/**
 * XDG-style cache folder; POLYGLOT_LENS_CACHE overrides it. As the XDG spec says, an empty or
 * relative XDG_CACHE_HOME is ignored (it would otherwise put the cache in the current folder).
 */
export function defaultCacheDir(): string {
  if (process.env.POLYGLOT_LENS_CACHE) return process.env.POLYGLOT_LENS_CACHE;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : homedir() ? join(homedir(), '.cache') : tmpdir();
  return join(base, 'polyglot-lens');
}
