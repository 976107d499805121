/**
 * The engine's cache folder: built graphs keyed by the SHA-256 of their bytes (so a file name
 * says exactly what it holds), capped in total size with oldest-first eviction of its own
 * graphs only (a name and hash match; other files in the folder are never touched). Never inside a
 * model folder. Graphs are rebuilt in milliseconds; the cache exists so a user can inspect the
 * exact ONNX graph a run used (e.g. in Netron) and for heavier artefacts later.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { sha256UserFile } from './io/userFile';
import { pidAlive } from './io/outputs';

/** 256 MB: far above a few graphs (kilobytes each), small next to any model. */
export const DEFAULT_CACHE_CAP_BYTES = 256 * 1024 * 1024;

const GRAPH_NAME = /^graph-([0-9a-f]{32})\.onnx$/;
const GRAPH_TEMP = /^graph-[0-9a-f]{32}\.onnx\.tmp-(\d+)$/;

/** The graph files in `dir` written by this cache: name pattern and content hash both match. */
function ownGraphs(dir: string): { f: string; s: Stats }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const own: { f: string; s: Stats }[] = [];
  for (const name of names) {
    const m = GRAPH_NAME.exec(name);
    if (!m) continue;
    const f = join(dir, name);
    try {
      const s = lstatSync(f);
      if (!s.isFile()) continue;
      if (sha256UserFile(f).slice(0, 32) !== m[1]) continue;
      own.push({ f, s });
    } catch {
      /* vanished or unreadable: not ours to touch */
    }
  }
  return own;
}

export class GraphCache {
  private failed = false;

  constructor(
    readonly dir: string,
    private readonly capBytes = DEFAULT_CACHE_CAP_BYTES,
    /** Told once, the first time a graph cannot be stored (full disk, read-only folder). */
    private readonly onNotice?: (message: string) => void,
  ) {}

  remember(bytes: Uint8Array): string {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = join(this.dir, `graph-${hash.slice(0, 32)}.onnx`);
    if (this.failed || existsSync(file)) return file;
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, bytes);
      renameSync(tmp, file);
      this.evict();
    } catch (e) {
      // A read-only or full cache folder must never fail a run (the cache is an optimisation, the
      // session is built from the bytes in memory), but it must not leave a half-written graph
      // behind either, and the user should know the cache is off.
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* the folder itself is unreadable: nothing of ours can be in it */
      }
      this.failed = true;
      const err = e as NodeJS.ErrnoException;
      this.onNotice?.(`${this.dir}: cannot store graphs in the cache folder (${err.code ?? err.message}); continuing without caching them`);
    }
    return file;
  }

  /**
   * Oldest-first eviction over the graphs this cache wrote and nothing else: a file counts only
   * when its name is a graph name and its bytes hash to that name (the cache folder may be one a
   * user also keeps other files in; those are never counted, let alone deleted).
   */
  private evict(): void {
    // A graph write interrupted by a kill leaves its temp file; remove ours once its process is gone.
    for (const name of readdirSync(this.dir)) {
      const m = GRAPH_TEMP.exec(name);
      if (m && !pidAlive(Number(m[1]))) rmSync(join(this.dir, name), { force: true });
    }
    const files = ownGraphs(this.dir).sort((a, b) => b.s.mtimeMs - a.s.mtimeMs);
    let total = 0;
    for (const x of files) {
      total += x.s.size;
      if (total > this.capBytes) rmSync(x.f, { force: true });
    }
  }

  static clear(dir: string): void {
    for (const x of ownGraphs(dir)) rmSync(x.f, { force: true });
  }
}
