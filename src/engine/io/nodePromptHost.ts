import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PromptHost } from '../../shared/prompt/types';

/**
 * PromptHost over node:fs for a prompt file at `promptPath`. Lives in the engine's io folder, not src/shared, because the
 * webview typechecks src/shared without Node types; it has no vscode import, so the CLI can use it too.
 */
export function nodePromptHost(promptPath: string): PromptHost {
  const folder = dirname(resolve(promptPath));
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
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
