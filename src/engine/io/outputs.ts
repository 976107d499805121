/**
 * The one output-safety policy every writing command follows (CLI and engine process alike):
 *
 * 1. `planOutput` checks the target BEFORE any computation: never `/` or the home folder, never
 *    an input the command reads (model folder, prompt file, corpus), never inside an input folder
 *    or containing one, never an existing path without `overwrite`.
 * 2. `overwrite` replaces only an output of ours: a folder carrying our marker file and nothing
 *    the marker does not list, or a file `planOutput`'s caller recognises (`isOurs`).
 * 3. Results are built in a hidden temp folder next to the target (`.NAME.polyglot-lens-tmp-PID`,
 *    holding a marker with the PID) and renamed into place, so no partial result ever sits at a
 *    name a user would take for a result.
 * 4. Temp folders are registered while they exist and removed on SIGINT, SIGTERM and exit; a later
 *    run removes temp folders of ours whose process is dead (by marker and PID).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors';
import { readUserText } from './userFile';

/** Marker file inside every output folder we write; lists what we wrote, so overwrite can prove ownership. */
export const OUTPUT_MARKER = '.polyglot-lens-output.json';
/** Marker file inside every temp folder; records the owning PID for stale-temp cleanup. */
export const TEMP_MARKER = '.polyglot-lens-tmp.json';
const TEMP_INFIX = '.polyglot-lens-tmp-';
const TEMP_NAME = /^\.(.+)\.polyglot-lens-tmp-(\d+)$/;

export interface OutputOptions {
  /** A folder of several files, or one file. */
  kind: 'folder' | 'file';
  /** Replace an existing output of ours. */
  overwrite?: boolean;
  /** The model folder the command reads: the output may not be it, lie inside it, or contain it. */
  model?: string;
  /** Everything else the command reads (prompt file, corpus, calibration files): the same rule. */
  inputs?: (string | undefined)[];
  /** Files only: whether an existing file at the target is an output of ours (overwrite needs it). */
  isOurs?: (file: string) => boolean;
  /** Written into the marker: the command that wrote the output. */
  tool?: string;
}

export interface OutputTarget {
  /** As the user gave it (for messages). */
  readonly arg: string;
  /** Absolute path of the final output. */
  readonly path: string;
  readonly kind: 'folder' | 'file';
  readonly overwrite: boolean;
  readonly tool: string;
}

/** Real path of `p`, or of its nearest existing ancestor joined with the rest (p may not exist yet). */
export function realish(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realish(parent), basename(abs));
  }
}

/** Whether `child` is `parent` or inside it (both absolute, real). */
export function within(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/**
 * Validates an output path and returns the target to write with `writeOutputFolder` /
 * `writeOutputFile`. Call it before loading a model or running anything, so a bad `--out` costs
 * nothing. Also removes stale temp folders of ours next to the target.
 */
export function planOutput(arg: string, opts: OutputOptions): OutputTarget {
  const path = resolve(arg);
  const real = realish(arg);
  const home = homedir() ? realish(homedir()) : undefined;
  if (dirname(real) === real) throw new UserError(arg, 'refusing to write to the root folder');
  if (home && real === home) throw new UserError(arg, 'refusing to write to the home folder');
  if (opts.model) {
    const src = realish(opts.model);
    if (within(real, src)) throw new UserError(arg, `is the source model's folder or inside it (${src}); choose a folder elsewhere`);
    if (within(src, real)) throw new UserError(arg, `contains the source model (${src}); choose a folder elsewhere`);
  }
  // An existing path is never touched without --overwrite: that is the simplest fix to name.
  if (!opts.overwrite && lexists(path)) throw new UserError(arg, `output ${opts.kind} already exists (choose a new --out, or --overwrite to replace an earlier output of ours)`);
  for (const input of opts.inputs ?? []) {
    if (!input) continue;
    const inp = realish(input);
    if (real === inp) throw new UserError(arg, `is an input of this command (${inp}); choose another output`);
    if (within(real, inp)) throw new UserError(arg, `is inside ${inp}, which this command reads; choose a folder elsewhere`);
    if (within(inp, real)) throw new UserError(arg, `contains ${inp}, which this command reads; choose a folder elsewhere`);
  }
  const parent = dirname(path);
  if (!existsSync(parent)) throw new UserError(arg, `parent folder ${parent} does not exist`);
  if (lexists(path)) checkReplaceable(arg, path, opts);
  removeStaleTemps(parent);
  return { arg, path, kind: opts.kind, overwrite: opts.overwrite ?? false, tool: opts.tool ?? 'polyglot-lens' };
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

interface Marker {
  tool?: unknown;
  files?: unknown;
}

function readMarker(dir: string): Marker | undefined {
  try {
    const v = JSON.parse(readUserText(join(dir, OUTPUT_MARKER), 'json')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Marker) : undefined;
  } catch {
    return undefined;
  }
}

/** Overwrite replaces only what we wrote: never a symlink, never a folder with foreign contents. */
function checkReplaceable(arg: string, path: string, opts: OutputOptions): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) throw new UserError(arg, 'is a symbolic link; --overwrite replaces only a real output folder or file of ours');
  if (opts.kind === 'file') {
    if (!st.isFile()) throw new UserError(arg, 'exists and is not a file; choose a new --out');
    if (!opts.isOurs?.(path)) throw new UserError(arg, 'exists and was not written by polyglot-lens; --overwrite replaces only an earlier output of ours');
    return;
  }
  if (!st.isDirectory()) throw new UserError(arg, 'exists and is not a folder; choose a new --out');
  const marker = readMarker(path);
  if (!marker || !Array.isArray(marker.files)) {
    throw new UserError(arg, `is not an output folder of polyglot-lens (no ${OUTPUT_MARKER}); --overwrite replaces only an earlier output of ours`);
  }
  const ours = new Set([OUTPUT_MARKER, ...marker.files.filter((f): f is string => typeof f === 'string')]);
  const foreign = readdirSync(path).filter((f) => !ours.has(f));
  if (foreign.length) throw new UserError(arg, `holds files polyglot-lens did not write (${foreign.slice(0, 3).join(', ')}); refusing to replace it`);
}

// ---- temp folders: registry, signal cleanup, stale cleanup ----

const liveTemps = new Set<string>();
let handlersInstalled = false;

function cleanupLive(): void {
  for (const t of liveTemps) rmSync(t, { recursive: true, force: true });
  liveTemps.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupLive);
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(sig, () => {
      cleanupLive();
      process.exit(code);
    });
  }
}

/** Marks a temp path for removal if the process is interrupted or exits before it is renamed. */
export function registerTemp(p: string): void {
  installHandlers();
  liveTemps.add(p);
}

export function unregisterTemp(p: string): void {
  liveTemps.delete(p);
}

/** Whether process `pid` exists (EPERM: it exists but is another user's). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp folders of ours in `dir` whose process is gone: name pattern, marker and PID must all agree. */
export function removeStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    const p = join(dir, name);
    try {
      if (!lstatSync(p).isDirectory()) continue;
      const marker = JSON.parse(readUserText(join(p, TEMP_MARKER), 'json')) as { pid?: unknown };
      if (marker.pid !== pid || pidAlive(pid)) continue;
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      // No readable marker: not ours, or not ours to judge. Leave it.
    }
  }
  return removed;
}

/** A hidden temp folder next to the target, registered for cleanup, with a marker naming our PID. */
function makeTemp(t: OutputTarget, role = ''): string {
  const tmp = join(dirname(t.path), `.${basename(t.path)}${role}${TEMP_INFIX}${process.pid}`);
  registerTemp(tmp);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeFileSync(join(tmp, TEMP_MARKER), `${JSON.stringify({ tool: t.tool, pid: process.pid, target: t.path, createdAt: new Date().toISOString() })}\n`);
  return tmp;
}

/** Re-checks at commit time what planOutput checked (minutes may have passed). */
function recheck(t: OutputTarget): void {
  if (!lexists(t.path)) return;
  if (!t.overwrite) throw new UserError(t.arg, 'appeared while the command ran; nothing was replaced (choose a new --out)');
  checkReplaceable(t.arg, t.path, { kind: t.kind, isOurs: () => true });
}

/**
 * Fills a temp folder, writes our marker (listing the files), and renames it into place; an
 * earlier output of ours is replaced only after the new one is complete.
 */
export async function writeOutputFolder(t: OutputTarget, fill: (tmpDir: string) => Promise<void> | void): Promise<string[]> {
  if (t.kind !== 'folder') throw new Error('writeOutputFolder needs a folder target');
  const tmp = makeTemp(t);
  let old: string | undefined;
  try {
    await fill(tmp);
    const files = readdirSync(tmp).filter((f) => f !== TEMP_MARKER).sort();
    writeFileSync(join(tmp, OUTPUT_MARKER), `${JSON.stringify({ tool: t.tool, files, createdAt: new Date().toISOString() }, null, 2)}\n`);
    recheck(t);
    // The earlier output moves aside (into a marked temp folder) only once the new one is complete,
    // and is deleted only after the new one is in place.
    if (lexists(t.path)) {
      old = makeTemp(t, '.replaced');
      renameSync(t.path, join(old, 'previous'));
    }
    rmSync(join(tmp, TEMP_MARKER), { force: true });
    try {
      renameSync(tmp, t.path);
    } catch (e) {
      if (old) renameSync(join(old, 'previous'), t.path); // put the earlier output back
      throw e;
    }
    return files;
  } finally {
    for (const p of [tmp, old]) {
      if (!p) continue;
      rmSync(p, { recursive: true, force: true });
      unregisterTemp(p);
    }
  }
}

/** Writes one file through a temp folder (`write` gets the temp file's path) and renames it into place. */
export async function writeOutputFile(t: OutputTarget, write: (tmpFile: string) => Promise<void> | void): Promise<void> {
  if (t.kind !== 'file') throw new Error('writeOutputFile needs a file target');
  const tmp = makeTemp(t);
  try {
    const file = join(tmp, basename(t.path));
    await write(file);
    if (t.overwrite) {
      if (lexists(t.path) && !lstatSync(t.path).isFile()) throw new UserError(t.arg, 'is no longer a file; nothing was replaced');
    } else if (lexists(t.path)) throw new UserError(t.arg, 'appeared while the command ran; nothing was replaced (choose a new --out)');
    renameSync(file, t.path);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    unregisterTemp(tmp);
  }
}
