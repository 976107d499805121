/**
 * Minimal glob for `code:` sources (Node 20 has no fs.glob): `**` any folders, `*` and `?` within
 * one path segment, `{a,b}` alternatives. Dot-folders and node_modules are not searched: they
 * hold tooling and vendored code, not the project's source.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) throw new Error(`unclosed { in ${glob}`);
      re += `(?:${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
      i = end;
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files under `cwd` matching `glob` (relative, `/`-separated), sorted. */
export function globFiles(glob: string, cwd: string): string[] {
  const re = globToRegExp(glob);
  // Start at the longest folder prefix without wildcards, so `src/**/*.py` does not walk all of cwd.
  const parts = glob.split('/');
  const fixed: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (/[*?{]/.test(p)) break;
    fixed.push(p);
  }
  const root = resolve(cwd, ...fixed);
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable or missing folder simply has no matches
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(full);
      } else if (e.isFile()) {
        const rel = relative(cwd, full).split('\\').join('/');
        if (re.test(rel)) out.push(full);
      }
    }
  };
  walk(root);
  return out.sort();
}
