/**
 * Telling the OS that stored bytes of a checkpoint will not be read again by this process, so its
 * page cache gives their memory back first. Mapped mode (model/weights.ts) reads every block from
 * the page cache and keeps widened F32 copies of as many blocks as its budget allows; the stored
 * bytes of a kept block are then not needed by this process, but the kernel cannot know it: it
 * evicts by age, and evicted stored bytes of blocks NOT kept as well, which later runs read back
 * from the disk (on this project's VM one cold Analyze + 16-token continuation of the 7B-shaped
 * checkpoint read 13.8 GB from the disk, 12.3 GB of it evicted pages read again; 0.6 GB with the
 * kept blocks dropped: docs/performance.md). The page cache is the machine's, not the process's:
 * the next process on the same folder (Restart Server, a CLI run) reads those bytes from the disk.
 *
 * Node has no posix_fadvise, so on Linux the advice is given by GNU dd, the tool made for it
 * (`iflag=nocache`: POSIX_FADV_DONTNEED on the range it read), in a child process that runs beside
 * the engine, without a shell. It is a hint and best effort: elsewhere, or when dd is missing
 * (then it is not tried again) or fails, nothing happens and only the speed differs. Nothing is
 * written; the file is opened for reading only.
 */
import { spawn } from 'node:child_process';

/** Drops [offset, offset + length) of a file from the page cache (a hint; never throws). */
export type DropFromCache = (file: string, offset: number, length: number) => void;

/**
 * dd's block size: its own buffer, allocated in each child. dd batches its DONTNEED calls itself
 * and drops what is pending when it exits, so the size leaves no pages behind at block edges.
 */
const DD_BLOCK_BYTES = 1024 * 1024;

let ddMissing = false;

export function dropFromPageCache(file: string, offset: number, length: number): void {
  // count=0 would make dd drop the file to its end: never ask for an empty range.
  if (process.platform !== 'linux' || length <= 0 || ddMissing) return;
  try {
    const dd = spawn('dd', [`if=${file}`, 'of=/dev/null', 'iflag=nocache,skip_bytes,count_bytes', `skip=${offset}`, `count=${length}`, `bs=${Math.min(DD_BLOCK_BYTES, length)}`, 'status=none'], { stdio: 'ignore' });
    dd.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') ddMissing = true;
    });
    dd.unref();
  } catch {
    // A path dd cannot take (a NUL in it): the page cache is left to the kernel.
  }
}

/** What CacheRelease gathers before it drops (about a block of a 7B model's stored weights). */
const RELEASE_BYTES = 256 * 1024 * 1024;

/**
 * Collects byte ranges of one or more files and drops them in as few calls as their layout allows:
 * at a flush the ranges of each file are sorted and neighbours joined. Weights arrive in the
 * adapter's order (q, k, v, o, …) while Hugging Face files store a block's tensors alphabetically,
 * so ranges are contiguous only once sorted: a block's kept tensors become one dd, not one per
 * tensor. It flushes by itself once `maxBytes` are gathered, so the memory comes back while a run
 * keeps blocks, and at the end of every run.
 */
export class CacheRelease {
  private readonly pending = new Map<string, [offset: number, length: number][]>();
  private bytes = 0;

  constructor(private readonly drop: DropFromCache, private readonly maxBytes = RELEASE_BYTES) {}

  add(file: string, offset: number, length: number): void {
    if (length <= 0) return;
    const ranges = this.pending.get(file) ?? [];
    ranges.push([offset, length]);
    this.pending.set(file, ranges);
    this.bytes += length;
    if (this.bytes >= this.maxBytes) this.flush();
  }

  /** Drops what was added since the last flush. */
  flush(): void {
    for (const [file, ranges] of this.pending) {
      ranges.sort((a, b) => a[0] - b[0]);
      let [start, end] = [ranges[0]![0], ranges[0]![0] + ranges[0]![1]];
      for (const [o, n] of ranges.slice(1)) {
        if (o > end) {
          this.drop(file, start, end - start);
          start = o;
        }
        end = Math.max(end, o + n);
      }
      this.drop(file, start, end - start);
    }
    this.pending.clear();
    this.bytes = 0;
  }
}
