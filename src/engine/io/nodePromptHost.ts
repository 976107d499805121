import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { PromptHost } from '../../shared/prompt/types';
import { readUserText } from './userFile';
import { UserError } from '../errors';

/**
 * PromptHost over node:fs for a prompt file at `promptPath`. Lives in the engine's io folder, not src/shared, because the
 * webview typechecks src/shared without Node types; it has no vscode import, so the CLI can use it too.
 */
export function nodePromptHost(promptPath: string): PromptHost {
  const folder = dirname(resolve(promptPath));
  const read = (path: string): string => readUserText(path, 'prompt');
  return {
    resolve: (relative) => resolve(folder, relative),
    kind(path) {
      try {
        const s = statSync(path);
        return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : undefined;
      } catch {
        return undefined;
      }
    },
    readText(path) {
      try {
        // Plain files of a prompt's size only: a FIFO would block, a huge file is no partial or config.
        return read(path);
      } catch {
        return undefined;
      }
    },
    readPartial(path) {
      try {
        // Links are resolved before the inside-the-folder rule applies: `_secret.prompt ->
        // /elsewhere/secret.txt` would otherwise put a file from anywhere into the rendered prompt.
        const real = realpathSync(path);
        const inside = relative(realpathSync(folder), real);
        if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
          return { problem: `is a link to ${real}, outside this prompt's folder (partials must be files in the prompt's own folder)` };
        }
        return { text: read(real) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { problem: 'not found' };
        return { problem: e instanceof UserError ? e.problem : String((e as Error).message ?? e) };
      }
    },
  };
}
