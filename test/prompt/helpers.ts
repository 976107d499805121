import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptDiagnostic } from '../../src/shared/prompt/types';

/** A diagnostic as `code@line:col-line:col "covered text"`, so expected ranges read naturally in tests. */
export function show(source: string, d: PromptDiagnostic): string {
  return `${d.code}@${pos(source, d.start)}-${pos(source, d.end)} ${JSON.stringify(source.slice(d.start, d.end))}`;
}

function pos(source: string, offset: number): string {
  const lines = source.slice(0, offset).split('\n');
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}

/** A temporary folder with the given files (path → content); returns its path. */
export function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-prompt-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** llama2.c's stories260K, committed as a test fixture (helpers/shared.ts). */
export { STORIES260K } from '../helpers/shared';
