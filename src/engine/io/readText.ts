/**
 * Reads a text file a user named, refusing what would hang or exhaust the process: a FIFO or
 * device (a read blocks forever) and a file larger than the caller's bound (checked with stat,
 * before a byte is read).
 */
import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors';

export function readPlainText(file: string, maxBytes: number, what: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UserError(file, 'is not a plain file');
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (size > maxBytes) throw new UserError(file, `${size} bytes; ${what} over ${maxBytes} bytes are not read`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
