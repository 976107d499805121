/**
 * Bytes of a checkpoint folder's weight files, for the warm-up's size rule (warmup.ts). The
 * warm-up asks on every switch to a prompt (a 7B prompt is asked about and refused each time), so
 * the folder's listing is kept while the folder stands as it was: the same mtime, inode and device.
 * The weight files themselves are measured on every call (a few stats), because a file overwritten
 * in place or changed behind a symlink (Hugging Face's cache, git-annex) leaves its folder's mtime
 * alone. A listing taken within the folder's mtime tick is not trusted (a coarse clock may hide a
 * later change in the same tick), and a read that failed is never kept. Pure but for the injected
 * reads, so a test counts them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const WEIGHT_FILE = /\.(safetensors|bin|pt|pth)$/;

/** Coarse file-system clocks (FAT, SMB, NFS) tick in up to 2 s. */
const CLOCK_TICK_MS = 2000;

/** The filesystem reads weight sizes need. */
export interface FolderReads {
  /** The folder's identity and mtime; a changed stamp means a changed listing. Throws when absent. */
  stamp(dir: string): { id: string; mtimeMs: number };
  list(dir: string): string[];
  size(file: string): number;
  nowMs(): number;
}

const NODE_READS: FolderReads = {
  stamp: (dir) => {
    const s = statSync(dir);
    return { id: `${s.dev}:${s.ino}:${s.mtimeMs}`, mtimeMs: s.mtimeMs };
  },
  list: (dir) => readdirSync(dir),
  size: (file) => statSync(file).size,
  nowMs: () => Date.now(),
};

export class WeightBytes {
  private readonly listings = new Map<string, { id: string; files: string[] }>();

  constructor(private readonly reads: FolderReads = NODE_READS) {}

  /** Total bytes of `dir`'s weight files; undefined when it has none or cannot be read. */
  of(dir: string): number | undefined {
    try {
      const files = this.weightFiles(dir);
      return files.length ? files.reduce((n, f) => n + this.reads.size(join(dir, f)), 0) : undefined;
    } catch {
      this.listings.delete(dir);
      return undefined;
    }
  }

  private weightFiles(dir: string): string[] {
    const { id, mtimeMs } = this.reads.stamp(dir);
    const kept = this.listings.get(dir);
    if (kept?.id === id) return kept.files;
    const readAt = this.reads.nowMs();
    const files = this.reads.list(dir).filter((f) => WEIGHT_FILE.test(f));
    if (readAt - mtimeMs >= CLOCK_TICK_MS) this.listings.set(dir, { id, files });
    else this.listings.delete(dir);
    return files;
  }
}
