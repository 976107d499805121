/**
 * Output files are written to a temporary name next to the target and renamed into place, so a
 * failed or interrupted command never leaves a half-written file under the final name.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) throw new UserError(file, `folder ${dir} does not exist`);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(file, `cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Builds an output folder in a sibling temp folder and renames it into place when `fill`
 * succeeds; refuses an existing folder, never touches it.
 */
export async function writeFolderAtomic(outDir: string, fill: (tmpDir: string) => Promise<void> | void, opts: { overwrite?: boolean } = {}): Promise<void> {
  const target = resolve(outDir);
  if (existsSync(target) && !opts.overwrite) throw new UserError(outDir, 'output folder already exists (choose a new --out)');
  if (!existsSync(dirname(target))) throw new UserError(outDir, `parent folder ${dirname(target)} does not exist`);
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    await fill(tmp);
    if (opts.overwrite) rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
