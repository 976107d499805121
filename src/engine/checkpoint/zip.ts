/**
 * The central directory of a zip archive, as PyTorch's `torch.save` writes it (miniz, entries
 * STORED, zip64 records once the file passes 4 GiB). Only locates entries: the tensor data is read
 * in place later, so a multi-gigabyte checkpoint is never copied. Nothing the archive declares is
 * trusted before it is checked against the file:
 * - the directory is read entry by entry through a small window, never allocated at the size the
 *   end record declares (a 4 KB sparse file declaring a 1.5 GB directory costs 64 KB, not 1.5 GB);
 * - the entry count is bounded by what the directory's bytes can hold and by MAX_ZIP_ENTRIES;
 * - every field is read only where the record has room for it, every offset and size is checked
 *   against the file's real size, so a corrupt or truncated archive is one line naming the file;
 * - two entries with one name are refused (readers differ on which copy wins).
 */
import { closeSync } from 'node:fs';
import { UserError } from '../errors';
import { openUserFile, readAt, withUserFile } from '../io/userFile';

export interface ZipEntry {
  name: string;
  /** 0 = stored; anything else is compressed and cannot be read in place. */
  method: number;
  size: number;
  /** Absolute offset of the entry's data (after its local header). */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Fixed part of a central directory record; the name, extra field and comment follow it. */
const CENTRAL_FIXED = 46;

/**
 * More entries than any state dict has (one per storage, plus a handful of records: a 70B model
 * saved whole has a few thousand): a directory declaring more is corrupt or hostile.
 */
export const MAX_ZIP_ENTRIES = 1 << 20;

/** The directory is read through a window of this many bytes. */
const WINDOW = 64 * 1024;

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  return Number(v);
}

/** Whether the file starts with a zip local header; the file is checked (plain, stat'ed) before it is opened. */
export function isZip(file: string): boolean {
  return withUserFile(file, 'data', ({ fd }) => {
    const head = readAt(file, fd, 0, 4);
    return head.length === 4 && head.readUInt32LE(0) === LOCAL;
  });
}

/** Reads [start, end) of the file a window at a time; `bytes(at, n)` returns exactly n bytes or throws. */
class WindowReader {
  private buf: Buffer = Buffer.alloc(0);
  private bufAt = 0;
  constructor(
    private readonly file: string,
    private readonly fd: number,
    private readonly end: number,
    private readonly bad: (what: string) => UserError,
  ) {}

  bytes(at: number, n: number, what: string): Buffer {
    if (at + n > this.end) throw this.bad(`${what} runs past the end of the central directory`);
    if (at < this.bufAt || at + n > this.bufAt + this.buf.length) {
      this.bufAt = at;
      this.buf = readAt(this.file, this.fd, at, Math.min(Math.max(n, WINDOW), this.end - at));
      if (this.buf.length < n) throw this.bad(`${what}: the file ends early`);
    }
    return this.buf.subarray(at - this.bufAt, at - this.bufAt + n);
  }
}

export function readZipDirectory(file: string): ZipEntry[] {
  const { fd, size } = openUserFile(file, 'data');
  try {
    const bad = (what: string): UserError => new UserError(file, `truncated or corrupt zip archive (${what})`);
    if (size < 22) throw bad(`${size} bytes, shorter than an end record`);
    // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
    const tailLen = Math.min(size, 22 + 65535);
    const tail = readAt(file, fd, size - tailLen, tailLen);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw bad('no end of central directory record');
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locAt = size - tailLen + at - 20;
      const loc = locAt >= 0 ? readAt(file, fd, locAt, 20) : Buffer.alloc(0);
      if (loc.length < 20 || loc.readUInt32LE(0) !== EOCD64_LOCATOR) throw bad('zip64 locator missing');
      const recAt = u64(loc, 8);
      if (recAt + 56 > size) throw bad(`zip64 end record at ${recAt} lies past the end of the ${size}-byte file`);
      const rec = readAt(file, fd, recAt, 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== EOCD64) throw bad('zip64 end record missing');
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    if (cdOffset + cdSize > size) throw bad(`central directory at ${cdOffset} (${cdSize} bytes) runs past the end of the ${size}-byte file`);
    if (count > Math.floor(cdSize / CENTRAL_FIXED)) throw bad(`${count} entries declared, but a ${cdSize}-byte central directory holds at most ${Math.floor(cdSize / CENTRAL_FIXED)}`);
    if (count > MAX_ZIP_ENTRIES) throw bad(`${count} entries declared; a PyTorch checkpoint has far fewer than ${MAX_ZIP_ENTRIES}`);
    const cd = new WindowReader(file, fd, cdOffset + cdSize, bad);
    const entries: ZipEntry[] = [];
    const seen = new Set<string>();
    let p = cdOffset;
    for (let n = 0; n < count; n++) {
      const rec = cd.bytes(p, CENTRAL_FIXED, `central directory entry ${n}`);
      if (rec.readUInt32LE(0) !== CENTRAL) throw bad(`central directory entry ${n} at byte ${p} has no entry signature`);
      const method = rec.readUInt16LE(10);
      let compressed = rec.readUInt32LE(20);
      let size32 = rec.readUInt32LE(24);
      const nameLen = rec.readUInt16LE(28);
      const extraLen = rec.readUInt16LE(30);
      const commentLen = rec.readUInt16LE(32);
      let localOffset = rec.readUInt32LE(42);
      const varPart = cd.bytes(p + CENTRAL_FIXED, nameLen + extraLen, `central directory entry ${n}`);
      const name = varPart.toString('utf8', 0, nameLen);
      // zip64 extended information: the fields that overflowed, in this order, each present only
      // where the field's record has room for it.
      for (let e = nameLen; e + 4 <= varPart.length; ) {
        const id = varPart.readUInt16LE(e);
        const len = varPart.readUInt16LE(e + 2);
        const end = e + 4 + len;
        if (end > varPart.length) throw bad(`extra field of ${name} runs past its entry`);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (what: string): number => {
            if (q + 8 > end) throw bad(`zip64 field of ${name} has no ${what}`);
            q += 8;
            return u64(varPart, q - 8);
          };
          if (size32 === 0xffffffff) size32 = next('size');
          if (compressed === 0xffffffff) compressed = next('compressed size');
          if (localOffset === 0xffffffff) localOffset = next('offset');
        }
        e = end;
      }
      p += CENTRAL_FIXED + nameLen + extraLen + commentLen;
      if (seen.has(name)) throw new UserError(file, `zip entry ${name} appears twice (readers differ on which copy counts; refusing an ambiguous archive)`);
      seen.add(name);
      if (method === 0 && compressed !== size32) throw bad(`stored entry ${name} declares ${size32} bytes but ${compressed} compressed bytes`);
      if (localOffset + 30 > size) throw bad(`local header of ${name} at ${localOffset} lies past the end of the file`);
      const local = readAt(file, fd, localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw bad(`local header of ${name}`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataOffset + compressed > size) throw bad(`entry ${name} (${compressed} bytes at ${dataOffset}) runs past the end of the ${size}-byte file`);
      entries.push({ name, method, size: method === 0 ? size32 : compressed, dataOffset });
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Most bytes a pickle or version record may hold: a state dict's pickle is kilobytes per tensor. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Reads a whole (small, stored) entry into memory: the pickle and the version records. */
export function readZipEntry(file: string, e: ZipEntry): Buffer {
  if (e.method !== 0) throw new UserError(file, `zip entry ${e.name} is compressed (method ${e.method}); torch.save writes entries uncompressed`);
  if (e.size > MAX_RECORD_BYTES) throw new UserError(file, `zip entry ${e.name} is ${e.size} bytes; a record over ${MAX_RECORD_BYTES} bytes is not read`);
  return withUserFile(file, 'data', ({ fd }) => {
    const b = readAt(file, fd, e.dataOffset, e.size);
    if (b.length !== e.size) throw new UserError(file, `truncated zip entry ${e.name}`);
    return b;
  });
}
