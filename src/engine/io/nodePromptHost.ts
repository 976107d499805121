import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MAX_PROMPT_CHARS } from '../../shared/prompt/parse';
import type { PromptHost } from '../../shared/prompt/types';

/**
 * PromptHost over node:fs for a prompt file at `promptPath`. Lives in the engine's io folder, not src/shared, because the
 * webview typechecks src/shared without Node types; it has no vscode import, so the CLI can use it too.
 */
/** A .prompt (or a file it names) larger than this is not read: 4 bytes for each of MAX_PROMPT_CHARS. */
export const MAX_PROMPT_FILE_BYTES = 4 * MAX_PROMPT_CHARS;

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
        // Plain files of a prompt's size only: a FIFO would block, a huge file is no partial or config.
        const st = statSync(path);
        if (!st.isFile() || st.size > MAX_PROMPT_FILE_BYTES) return undefined;
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
