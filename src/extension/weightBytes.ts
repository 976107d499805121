/**
 * Bytes of a checkpoint folder's weight files, for the warm-up's size rule (warmup.ts). The
 * warm-up asks on every switch to a prompt (a 7B prompt is asked about and refused each time), so
 * a folder's answer is kept while the folder's mtime stands: adding, removing or renaming a weight
 * file (how checkpoints are written: a temp name, then a rename) changes it. Pure but for the
 * injected reads, so a test counts them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const WEIGHT_FILE = /\.(safetensors|bin|pt|pth)$/;

/** The filesystem reads weight sizes need. */
export interface FolderReads {
  mtimeMs(dir: string): number;
  list(dir: string): string[];
  size(file: string): number;
}

const NODE_READS: FolderReads = {
  mtimeMs: (dir) => statSync(dir).mtimeMs,
  list: (dir) => readdirSync(dir),
  size: (file) => statSync(file).size,
};

export class WeightBytes {
  private readonly known = new Map<string, { mtimeMs: number; bytes: number | undefined }>();

  constructor(private readonly reads: FolderReads = NODE_READS) {}

  /** Total bytes of `dir`'s weight files; undefined when it has none or cannot be read. */
  of(dir: string): number | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = this.reads.mtimeMs(dir);
    } catch {
      this.known.delete(dir);
      return undefined;
    }
    const k = this.known.get(dir);
    if (k?.mtimeMs === mtimeMs) return k.bytes;
    const bytes = this.read(dir);
    this.known.set(dir, { mtimeMs, bytes });
    return bytes;
  }

  private read(dir: string): number | undefined {
    try {
      const sizes = this.reads.list(dir).filter((f) => WEIGHT_FILE.test(f)).map((f) => this.reads.size(join(dir, f)));
      return sizes.length ? sizes.reduce((a, b) => a + b, 0) : undefined;
    } catch {
      return undefined;
    }
  }
}
