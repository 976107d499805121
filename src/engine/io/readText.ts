/**
 * Reads a text file a user named, refusing what would hang or exhaust the process: a FIFO or
 * device (a read blocks forever) and a file larger than the caller's bound (checked with stat,
 * before a byte is read).
 */
import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors';

export interface PlainFileMessages {
  /** The problem when the file cannot be stat'ed, from the error code (ENOENT, EACCES, …). */
  unreadable: (code: string) => string;
  /** The problem when it is not a plain file (default: "is not a plain file"). */
  notFile?: string;
}

/** Size of a user-named plain file, stat'ed before anything opens it (opening a FIFO for reading blocks). */
export function plainFileSize(file: string, m: PlainFileMessages): number {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new UserError(file, m.unreadable((e as NodeJS.ErrnoException).code ?? String(e)));
  }
  if (!st.isFile()) throw new UserError(file, m.notFile ?? 'is not a plain file');
  return st.size;
}

export function readPlainText(file: string, maxBytes: number, what: string): string {
  const size = plainFileSize(file, { unreadable: (code) => `cannot read (${code})` });
  if (size > maxBytes) throw new UserError(file, `${size} bytes; ${what} over ${maxBytes} bytes are not read`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
