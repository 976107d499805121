/**
 * Panel exports (PNG, SVG, CSV, JSON, LaTeX) go to disk through the same output policy as every
 * CLI command (engine/io/outputs.ts, docs/cli.md "Destructive paths"): the file is built in a
 * hidden temp folder next to the target and renamed into place, never inside a model folder,
 * never over a symbolic link or a folder, and the target is checked again just before the rename.
 */
import { writeFileSync } from 'node:fs';
import { planOutput, writeOutputFile } from '../../engine/io/outputs';

/**
 * An existing plain file at the target may be replaced: the save dialog asked the user to confirm
 * replacing it (that confirmation is the editor's `--overwrite`). Links and folders never are.
 */
const confirmedInSaveDialog = (): boolean => true;

/** Writes an export to the local file `path` the save dialog returned. */
export async function writeExportFile(path: string, data: Uint8Array): Promise<void> {
  const target = planOutput(path, { kind: 'file', overwrite: true, isOurs: confirmedInSaveDialog, tool: 'Polyglot Lens: export' });
  await writeOutputFile(target, (tmp) => writeFileSync(tmp, data));
}

/** Decodes a `panel/export` content to bytes (PNG arrives as base64). */
export function exportBytes(content: string, encoding: 'utf8' | 'base64'): Uint8Array {
  return encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
}
