/**
 * The central directory of a zip archive, as PyTorch's `torch.save` writes it (miniz, entries
 * STORED, zip64 records once the file passes 4 GiB). Only locates entries: the tensor data is read
 * in place later, so a multi-gigabyte checkpoint is never copied. Every offset is checked against
 * the file size, so a truncated archive gives one clear error instead of garbage.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors';

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

function read(fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, b, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return b.subarray(0, done);
}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  return Number(v);
}

export function isZip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = read(fd, 0, 4);
    return head.length === 4 && head.readUInt32LE(0) === LOCAL;
  } finally {
    closeSync(fd);
  }
}

export function readZipDirectory(file: string): ZipEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bad = (what: string): UserError => new UserError(file, `truncated or corrupt zip archive (${what})`);
    // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
    const tailLen = Math.min(size, 22 + 65535);
    const tail = read(fd, size - tailLen, tailLen);
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
      const loc = locAt >= 0 ? read(fd, locAt, 20) : Buffer.alloc(0);
      if (loc.length < 20 || loc.readUInt32LE(0) !== EOCD64_LOCATOR) throw bad('zip64 locator missing');
      const recAt = u64(loc, 8);
      const rec = read(fd, recAt, 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== EOCD64) throw bad('zip64 end record missing');
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    if (cdOffset + cdSize > size) throw bad(`central directory at ${cdOffset} runs past the end of the ${size}-byte file`);
    const cd = read(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw bad(`central directory entry ${n}`);
      const method = cd.readUInt16LE(p + 10);
      let compressed = cd.readUInt32LE(p + 20);
      let size32 = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // zip64 extended information: the fields that overflowed, in this order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size32 === 0xffffffff) {
            size32 = u64(cd, q);
            q += 8;
          }
          if (compressed === 0xffffffff) {
            compressed = u64(cd, q);
            q += 8;
          }
          if (localOffset === 0xffffffff) localOffset = u64(cd, q);
        }
        e += 4 + len;
      }
      p = extraEnd + commentLen;
      const local = read(fd, localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw bad(`local header of ${name}`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataOffset + compressed > size) throw bad(`entry ${name} runs past the end of the file`);
      entries.push({ name, method, size: method === 0 ? size32 : compressed, dataOffset });
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole (small, stored) entry into memory: the pickle and the version records. */
export function readZipEntry(file: string, e: ZipEntry): Buffer {
  if (e.method !== 0) throw new UserError(file, `zip entry ${e.name} is compressed (method ${e.method}); torch.save writes entries uncompressed`);
  const fd = openSync(file, 'r');
  try {
    const b = read(fd, e.dataOffset, e.size);
    if (b.length !== e.size) throw new UserError(file, `truncated zip entry ${e.name}`);
    return b;
  } finally {
    closeSync(fd);
  }
}
