/**
 * The one door through which the engine and the CLI open a file a user named — a command-line
 * argument, a file inside a folder a user named (a model folder, `--index DIR`, a partial folder,
 * an earlier `--out`), a prompt's partial. Before anything opens it, the path is stat'ed (links
 * followed) and refused unless it is a plain file within the size bound of its kind:
 * - a FIFO, socket or device would block the open or the read forever (`mkfifo f`), or never end
 *   (`/dev/zero`, or a link to it, which a plain read turns into a 2 GB allocation and an abort);
 * - a file far larger than its kind can be is a mistake, refused before a byte is read.
 * The file is then opened non-blocking and fstat'ed again, so a FIFO swapped in after the stat
 * cannot block either. Every failure is one UserError naming the file and the problem.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { UserError } from '../errors';
import { MAX_PROMPT_CHARS } from '../../shared/prompt/parse';

const MiB = 1024 * 1024;

/** What each kind of user file may weigh at most (bytes), and how a message names it. */
export const USER_FILE_KINDS = {
  /** .prompt files and their partials: 4 bytes for each of MAX_PROMPT_CHARS. */
  prompt: { what: 'prompt files', maxBytes: 4 * MAX_PROMPT_CHARS },
  /** Small JSON side files: config.json, generation_config.json, shard indexes, manifests, markers. */
  json: { what: 'JSON side files', maxBytes: 64 * MiB },
  /** tokenizer.json, vocab.json, merges.txt: the largest real ones are ~35 MB (Gemma). */
  tokenizer: { what: 'tokenizer files', maxBytes: 512 * MiB },
  /** Imported activation counts as JSON, lape.json, neuron-index offsets, results tables. */
  table: { what: 'data files of this kind', maxBytes: 256 * MiB },
  /** A study or lens dataset (JSONL read whole). */
  dataset: { what: 'datasets', maxBytes: 64 * MiB },
  /** A lens word list (JSONL or TSV). */
  wordList: { what: 'word lists', maxBytes: 16 * MiB },
  /** Lines printed back one by one (tokenize --input). */
  input: { what: 'inputs', maxBytes: 256 * MiB },
  /** Weights and statistics read in place (safetensors, pytorch_model.bin) and streamed corpora: any size. */
  data: { what: 'data files', maxBytes: Number.POSITIVE_INFINITY },
} as const;

export type UserFileKind = keyof typeof USER_FILE_KINDS;

/** Words for the error codes a stat, open or read reports (the path is in the subject). */
export function ioProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'not found (ENOENT)';
    case 'ENOTDIR':
      return 'not found: a folder on its path is a file (ENOTDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'a symbolic link loop (ELOOP)';
    case 'EISDIR':
      return 'is a folder, not a file (EISDIR)';
    case 'EIO':
      return 'input/output error reading it (EIO: a failing disk or network mount?)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files (${code})`;
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    case 'EROFS':
      return 'read-only file system (EROFS)';
    default:
      return code ? `cannot read (${code})` : `cannot read (${(e as Error)?.message?.split('\n')[0] ?? String(e)})`;
  }
}

/** What a non-regular file is, in words. */
function typeOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe): reading it would wait forever';
  if (st.isCharacterDevice()) return 'a character device: reading it may never end';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'something else';
}

function check(file: string, st: Stats, kind: UserFileKind): number {
  if (!st.isFile()) throw new UserError(file, `is not a plain file but ${typeOf(st)}`);
  const { what, maxBytes } = USER_FILE_KINDS[kind];
  if (st.size > maxBytes) throw new UserError(file, `${st.size} bytes; ${what} over ${maxBytes} bytes are not read`);
  return st.size;
}

/**
 * Stats `file` (links followed) and returns its size; throws a UserError unless it is a plain file
 * within the bound of `kind`. Nothing is opened.
 */
export function statUserFile(file: string, kind: UserFileKind, notFound?: string): number {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw new UserError(file, notFound !== undefined && (e as NodeJS.ErrnoException).code === 'ENOENT' ? notFound : ioProblem(e));
  }
  return check(file, st, kind);
}

/** Like statUserFile, but answers undefined instead of throwing (a partial that may not exist). */
export function userFileSizeOrUndefined(file: string, kind: UserFileKind): number | undefined {
  try {
    return statUserFile(file, kind);
  } catch {
    return undefined;
  }
}

export interface OpenUserFile {
  fd: number;
  size: number;
}

/**
 * Opens a checked user file for reading. The open is non-blocking and the descriptor is fstat'ed
 * again: a FIFO put in place between the stat and the open is refused instead of waited on.
 * The caller closes `fd`.
 */
export function openUserFile(file: string, kind: UserFileKind, notFound?: string): OpenUserFile {
  statUserFile(file, kind, notFound);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    throw new UserError(file, ioProblem(e));
  }
  try {
    return { fd, size: check(file, fstatSync(fd), kind) };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Runs `use` with an open user file, closing it afterwards. */
export function withUserFile<T>(file: string, kind: UserFileKind, use: (f: OpenUserFile) => T, notFound?: string): T {
  const f = openUserFile(file, kind, notFound);
  try {
    return use(f);
  } finally {
    closeSync(f.fd);
  }
}

/**
 * Reads `length` bytes at `position` (fewer only at the end of the file); an I/O error becomes a
 * UserError naming the file.
 */
export function readAt(file: string, fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let done = 0;
  try {
    while (done < length) {
      const n = readSync(fd, b, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
  } catch (e) {
    throw new UserError(file, ioProblem(e));
  }
  return b.subarray(0, done);
}

/**
 * The whole file, read through the checked descriptor. At most the kind's bound is read even if
 * the file grows meanwhile (or reports size 0 and streams, as /proc files do).
 */
export function readUserBytes(file: string, kind: UserFileKind, notFound?: string): Buffer {
  return withUserFile(file, kind, ({ fd, size }) => {
    const bound = USER_FILE_KINDS[kind].maxBytes;
    const chunks: Buffer[] = [];
    let total = 0;
    let position = 0;
    // Read the stat'ed size in one go, then confirm the end (a file that keeps growing stops at the bound).
    for (let want = Math.max(size, 1); ; want = 64 * 1024) {
      const b = readAt(file, fd, position, Math.min(want, bound + 1 - total));
      if (b.length === 0) break;
      chunks.push(b);
      total += b.length;
      position += b.length;
      if (total > bound) throw new UserError(file, `more than ${bound} bytes; ${USER_FILE_KINDS[kind].what} over ${bound} bytes are not read`);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  }, notFound);
}

/** The whole file as UTF-8 text (see readUserBytes); `notFound` replaces the ENOENT wording ("dataset not found"). */
export function readUserText(file: string, kind: UserFileKind, notFound?: string): string {
  return readUserBytes(file, kind, notFound).toString('utf8');
}

/** SHA-256 (hex) of a whole file, read 4 MiB at a time through the checked descriptor (files may be whole checkpoints). */
export function sha256UserFile(file: string, kind: UserFileKind = 'data'): string {
  const h = createHash('sha256');
  withUserFile(file, kind, ({ fd }) => {
    for (let at = 0, b; (b = readAt(file, fd, at, 4 << 20)).length > 0; at += b.length) h.update(b);
  });
  return h.digest('hex');
}
