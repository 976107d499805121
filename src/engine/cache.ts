/**
 * The engine's cache folder: built graphs keyed by the SHA-256 of their bytes (so a file name
 * says exactly what it holds), capped in total size with oldest-first eviction. Never inside a
 * model folder. Graphs are rebuilt in milliseconds; the cache exists so a user can inspect the
 * exact ONNX graph a run used (e.g. in Netron) and for heavier artefacts later.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** 256 MB: far above a few graphs (kilobytes each), small next to any model. */
export const DEFAULT_CACHE_CAP_BYTES = 256 * 1024 * 1024;

export class GraphCache {
  constructor(
    readonly dir: string,
    private readonly capBytes = DEFAULT_CACHE_CAP_BYTES,
  ) {}

  remember(bytes: Uint8Array): string {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = join(this.dir, `graph-${hash.slice(0, 32)}.onnx`);
    try {
      if (!existsSync(file)) {
        mkdirSync(this.dir, { recursive: true });
        const tmp = `${file}.tmp-${process.pid}`;
        writeFileSync(tmp, bytes);
        renameSync(tmp, file);
        this.evict();
      }
    } catch {
      // A read-only or full cache folder must never fail a run: the cache is an optimisation.
    }
    return file;
  }

  private evict(): void {
    const files = readdirSync(this.dir)
      .map((f) => ({ f: join(this.dir, f), s: statSync(join(this.dir, f)) }))
      .filter((x) => x.s.isFile())
      .sort((a, b) => b.s.mtimeMs - a.s.mtimeMs);
    let total = 0;
    for (const x of files) {
      total += x.s.size;
      if (total > this.capBytes) rmSync(x.f, { force: true });
    }
  }

  static clear(dir: string): void {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) if (/^graph-[0-9a-f]+\.onnx/.test(f)) rmSync(join(dir, f), { force: true });
  }
}
