/**
 * Output files are written to a temporary name next to the target and renamed into place, so a
 * failed or interrupted command never leaves a half-written file under the final name. The
 * policy itself (what may be replaced, temp names, interrupt cleanup) lives in ./outputs.
 */
import { planOutput, writeOutputFolder } from './outputs';

/**
 * Builds an output folder through the output policy (./outputs). Prefer `planOutput` before the
 * computation and `writeOutputFolder` after it: this wrapper checks only at write time.
 */
export async function writeFolderAtomic(outDir: string, fill: (tmpDir: string) => Promise<void> | void, opts: { overwrite?: boolean; inputs?: string[] } = {}): Promise<void> {
  await writeOutputFolder(planOutput(outDir, { kind: 'folder', overwrite: opts.overwrite, inputs: opts.inputs }), fill);
}
