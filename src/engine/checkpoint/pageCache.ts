/**
 * Telling the OS that stored bytes of a checkpoint will not be read again by this process, so its
 * page cache gives their memory back first. Mapped mode (model/weights.ts) reads every block from
 * the page cache and keeps widened F32 copies of as many blocks as its budget allows; the stored
 * bytes of a kept block are then dead weight in the cache, but the kernel cannot know it: it evicts by age,
 * and evicted stored bytes of blocks NOT kept as well, which later runs read back from the disk
 * (on this project's VM one cold Analyze + 16-token continuation of the 7B-shaped checkpoint read
 * 13.8 GB from the disk, 12.3 GB of it evicted pages read again; 0.6 GB with the kept blocks
 * dropped: docs/performance.md).
 *
 * Node has no posix_fadvise, so on Linux the advice is given by GNU dd, the tool made for it
 * (`iflag=nocache`: POSIX_FADV_DONTNEED on the range it read), in a child process that runs beside
 * the engine. It is a hint and best effort: elsewhere, or when dd is missing or fails, nothing
 * happens and only the speed differs. Nothing is written; the file is opened for reading only.
 */
import { spawn } from 'node:child_process';

/** Drops [offset, offset + length) of a file from the page cache (a hint; never throws). */
export type DropFromCache = (file: string, offset: number, length: number) => void;

/** dd's block size: one DONTNEED per block read, so large blocks leave few pages at block edges. */
const DD_BLOCK_BYTES = 64 * 1024 * 1024;

export function dropFromPageCache(file: string, offset: number, length: number): void {
  if (process.platform !== 'linux' || length <= 0) return;
  try {
    const dd = spawn('dd', [`if=${file}`, 'of=/dev/null', 'iflag=nocache,skip_bytes,count_bytes', `skip=${offset}`, `count=${length}`, `bs=${Math.min(DD_BLOCK_BYTES, length)}`, 'status=none'], { stdio: 'ignore' });
    dd.on('error', () => {});
    dd.unref();
  } catch {
    // No dd here: the page cache is left to the kernel.
  }
}

/** What CacheRelease gathers before it drops (about a block of a 7B model's stored weights). */
const RELEASE_BYTES = 256 * 1024 * 1024;

/**
 * Collects byte ranges of one or more files and drops each run of contiguous ranges in one call
 * (a block's tensors lie side by side in a safetensors file: one dd per block, not per tensor),
 * at the latest once `maxBytes` are gathered, so the memory comes back while a run keeps blocks.
 */
export class CacheRelease {
  private file = '';
  private start = 0;
  private end = 0;

  constructor(private readonly drop: DropFromCache, private readonly maxBytes = RELEASE_BYTES) {}

  add(file: string, offset: number, length: number): void {
    if (file !== this.file || offset !== this.end) {
      this.flush();
      this.file = file;
      this.start = this.end = offset;
    }
    this.end += length;
    if (this.end - this.start >= this.maxBytes) this.flush();
  }

  /** Drops what was added since the last flush. */
  flush(): void {
    if (this.end > this.start) this.drop(this.file, this.start, this.end - this.start);
    this.file = '';
    this.start = this.end = 0;
  }
}
