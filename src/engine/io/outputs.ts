/**
 * The one output-safety policy every writing command follows (CLI, engine process and the
 * editor's exports alike):
 *
 * 1. `planOutput` checks the target BEFORE any computation: never `/` or the home folder, never
 *    an input the command reads (model folder, prompt file, corpus), never inside an input folder
 *    or containing one, never inside any model folder (a folder holding config.json and weights),
 *    never an existing path without `overwrite`.
 * 2. `overwrite` replaces only an output of ours: a folder whose marker file records its whole
 *    tree (every file and folder by relative path, files with size and SHA-256) and that holds
 *    exactly that, or a file `planOutput`'s caller recognises (`isOurs`). Anything else anywhere
 *    below — a user's note in a subfolder, an edited file, a link — is refused by name.
 * 3. Results are built in a hidden temp folder next to the target (`.NAME.polyglot-lens-tmp-PID`,
 *    holding a marker with the PID) and renamed into place, so no partial result ever sits at a
 *    name a user would take for a result.
 * 4. The target is checked again when the temp folder is made and again at commit, just before
 *    the rename: it must still resolve to the same real path (no parent swapped for a link), the
 *    rules of 1 and 2 must still hold, and the process must not have been asked to stop
 *    (./interrupt): a cancelled job writes nothing.
 * 5. Temp folders are registered while they exist and removed on exit and on SIGINT, SIGTERM and
 *    SIGHUP; a later run removes temp folders of ours whose process is dead (by marker and PID).
 * 6. A resumable output (sweep) is a marked folder that grows in place: resuming it passes the
 *    same checks (marker, not a model folder or an input), and each file goes in through 3 and 4.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CancelledError, UserError } from '../errors';
import { interrupted, interruptSignal, stopPoint } from './interrupt';
import { ioProblem, readUserText, sha256UserFile } from './userFile';

/** Marker file inside every output folder we write; records what we wrote, so overwrite can prove ownership. */
export const OUTPUT_MARKER = '.polyglot-lens-output.json';
/** Marker file inside every temp folder; records the owning PID for stale-temp cleanup. */
export const TEMP_MARKER = '.polyglot-lens-tmp.json';
const TEMP_INFIX = '.polyglot-lens-tmp-';
const TEMP_NAME = /^\.(.+)\.polyglot-lens-tmp-(\d+)$/;
/** What makes a folder a model folder: config.json beside one of the weight files a checkpoint loads from. */
const WEIGHT_FILES = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];

export interface OutputOptions {
  /** A folder of several files, or one file. */
  kind: 'folder' | 'file';
  /** Replace an existing output of ours. */
  overwrite?: boolean;
  /** Folders only: an existing marked resumable folder of ours is continued in place (sweep). */
  resumable?: boolean;
  /** The model folder the command reads: the output may not be it, lie inside it, or contain it. */
  model?: string;
  /** Everything else the command reads (prompt file, corpus, calibration files): the same rule. */
  inputs?: (string | undefined)[];
  /** Files only: whether an existing file at the target is an output of ours (overwrite needs it). */
  isOurs?: (file: string) => boolean;
  /** Written into the marker: the command that wrote the output. */
  tool?: string;
}

/** What planOutput checked, kept so the write can check it again (policy 4). */
interface PlannedRules {
  model?: string;
  inputs: string[];
  isOurs?: (file: string) => boolean;
  /** Files of the replaced folder seen whole at planning, by relative path: re-hashed at commit only if they changed. */
  verified: Map<string, string>;
}

export interface OutputTarget {
  /** As the user gave it (for messages). */
  readonly arg: string;
  /** Absolute path of the final output. */
  readonly path: string;
  readonly kind: 'folder' | 'file';
  readonly overwrite: boolean;
  readonly tool: string;
  /** Folders only: continued in place (policy 6). */
  readonly resumable: boolean;
  /** The real path the target resolved to at planning: it must resolve to the same one at commit. */
  readonly real: string;
  readonly rules: PlannedRules;
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

/** Whether `dir` holds a checkpoint: config.json and a weight file (the files the loader looks for). */
export function isModelFolder(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && WEIGHT_FILES.some((f) => existsSync(join(dir, f)));
}

/** The nearest folder above `real` (not `real` itself) that is a model folder, if any. */
function modelFolderAbove(real: string): string | undefined {
  for (let d = dirname(real); ; d = dirname(d)) {
    if (isModelFolder(d)) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The rules of policy 1 that do not depend on what is at the target, on its real path. */
function checkPlace(arg: string, real: string, rules: Pick<PlannedRules, 'model' | 'inputs'>): void {
  const home = homedir() ? realish(homedir()) : undefined;
  if (dirname(real) === real) throw new UserError(arg, 'refusing to write to the root folder');
  if (home && real === home) throw new UserError(arg, 'refusing to write to the home folder');
  if (rules.model) {
    const src = realish(rules.model);
    if (within(real, src)) throw new UserError(arg, `is the source model's folder or inside it (${src}); choose a folder elsewhere`);
    if (within(src, real)) throw new UserError(arg, `contains the source model (${src}); choose a folder elsewhere`);
  }
  const model = modelFolderAbove(real);
  if (model) throw new UserError(arg, `is inside ${model}, which is a model folder (config.json and weights); choose a folder elsewhere`);
  for (const input of rules.inputs) {
    const inp = realish(input);
    if (real === inp) throw new UserError(arg, `is an input of this command (${inp}); choose another output`);
    if (within(real, inp)) throw new UserError(arg, `is inside ${inp}, which this command reads; choose a folder elsewhere`);
    if (within(inp, real)) throw new UserError(arg, `contains ${inp}, which this command reads; choose a folder elsewhere`);
  }
}

/**
 * Validates an output path and returns the target to write with `writeOutputFolder` /
 * `writeOutputFile`. Call it before loading a model or running anything, so a bad `--out` costs
 * nothing. Also removes stale temp folders of ours next to the target.
 */
export function planOutput(arg: string, opts: OutputOptions): OutputTarget {
  const path = resolve(arg);
  const real = realish(arg);
  const rules: PlannedRules = { model: opts.model, inputs: (opts.inputs ?? []).filter((x): x is string => !!x), isOurs: opts.isOurs, verified: new Map() };
  const resumable = opts.kind === 'folder' && (opts.resumable ?? false);
  checkPlace(arg, real, { model: rules.model, inputs: [] });
  // An existing path is never touched without --overwrite: that is the simplest fix to name.
  if (!opts.overwrite && !resumable && lexists(path)) throw new UserError(arg, `output ${opts.kind} already exists (choose a new --out, or --overwrite to replace an earlier output of ours)`);
  checkPlace(arg, real, rules);
  const parent = dirname(path);
  if (!existsSync(parent)) throw new UserError(arg, `parent folder ${parent} does not exist`);
  const t: OutputTarget = { arg, path, kind: opts.kind, overwrite: opts.overwrite ?? false, tool: opts.tool ?? 'polyglot-lens', resumable, real, rules };
  if (lexists(path)) {
    if (resumable) checkResumable(t);
    else checkReplaceable(t);
  }
  removeStaleTemps(parent);
  return t;
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** One entry of a marker's tree: a folder, or a file with its size and SHA-256. Paths use `/`. */
export interface TreeEntry {
  path: string;
  type: 'dir' | 'file';
  size?: number;
  sha256?: string;
}

interface Marker {
  tool?: unknown;
  files?: unknown;
  tree?: unknown;
  resumable?: unknown;
}

function readMarker(dir: string): Marker | undefined {
  try {
    const v = JSON.parse(readUserText(join(dir, OUTPUT_MARKER), 'json')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Marker) : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file, read in chunks (outputs can be whole checkpoints) through the checked descriptor. */
export const hashFile = (file: string): string => sha256UserFile(file);

/** Every file and folder under `root` (never following links), folders before their contents. */
function walk(root: string, visit: (rel: string, st: Stats) => boolean | void, rel = ''): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(root, r));
    if (visit(r, st) !== false && st.isDirectory()) walk(root, visit, r);
  }
}

/** The tree a marker records for the folder `dir` (the marker itself and temp markers excluded). */
function treeOf(dir: string): TreeEntry[] {
  const tree: TreeEntry[] = [];
  walk(dir, (rel, st) => {
    if (rel === OUTPUT_MARKER || rel === TEMP_MARKER) return false;
    if (st.isDirectory()) tree.push({ path: rel, type: 'dir' });
    else if (st.isFile()) tree.push({ path: rel, type: 'file', size: st.size, sha256: hashFile(join(dir, rel)) });
    return undefined;
  });
  return tree;
}

/** What a file's identity at planning was, so commit re-hashes only files that changed since. */
const statKey = (st: Stats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

/** Overwrite replaces only what we wrote: never a symlink, never a folder with foreign or changed contents. */
function checkReplaceable(t: OutputTarget): void {
  const { arg, path } = t;
  const st = lstatSync(path);
  if (st.isSymbolicLink()) throw new UserError(arg, 'is a symbolic link; --overwrite replaces only a real output folder or file of ours');
  if (t.kind === 'file') {
    if (!st.isFile()) throw new UserError(arg, 'exists and is not a file; choose a new --out');
    if (!t.rules.isOurs?.(path)) throw new UserError(arg, 'exists and was not written by polyglot-lens; --overwrite replaces only an earlier output of ours');
    return;
  }
  if (!st.isDirectory()) throw new UserError(arg, 'exists and is not a folder; choose a new --out');
  const marker = readMarker(path);
  if (!marker || (!Array.isArray(marker.tree) && !Array.isArray(marker.files))) {
    throw new UserError(arg, `is not an output folder of polyglot-lens (no ${OUTPUT_MARKER}); --overwrite replaces only an earlier output of ours`);
  }
  if (marker.resumable === true) throw new UserError(arg, 'is a resumable output folder (sweep): rerun the same command to continue it, or remove it yourself; --overwrite replaces only finished outputs');
  const recorded = recordedTree(arg, path, marker);
  const foreign: string[] = [];
  const toHash: [string, TreeEntry, Stats][] = [];
  walk(path, (rel, s) => {
    if (rel === OUTPUT_MARKER) return false;
    const want = recorded.get(rel);
    if (!want) {
      foreign.push(rel);
      return false;
    }
    if (s.isSymbolicLink()) throw new UserError(arg, `${rel} is a symbolic link where polyglot-lens wrote a ${want.type === 'dir' ? 'folder' : 'file'}; refusing to replace it`);
    if (want.type === 'dir' ? !s.isDirectory() : !s.isFile()) throw new UserError(arg, `${rel} changed since polyglot-lens wrote it (not a ${want.type === 'dir' ? 'folder' : 'file'} any more); refusing to replace it`);
    if (want.type === 'file') {
      if (want.size !== undefined && s.size !== want.size) throw new UserError(arg, `${rel} changed since polyglot-lens wrote it; refusing to replace it`);
      toHash.push([rel, want, s]);
    }
    return undefined;
  });
  if (foreign.length) throw new UserError(arg, `holds files polyglot-lens did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); refusing to replace it`);
  // Hashes last: the cheap structural checks above name most changes without reading a byte.
  for (const [rel, want, s] of toHash) {
    if (want.sha256 === undefined || t.rules.verified.get(rel) === statKey(s)) continue;
    if (hashFile(join(path, rel)) !== want.sha256) throw new UserError(arg, `${rel} changed since polyglot-lens wrote it; refusing to replace it`);
    t.rules.verified.set(rel, statKey(s));
  }
}

/**
 * The tree a marker vouches for. A marker from before whole-tree records lists top-level names
 * only: it vouches for plain files there and for nothing inside a folder.
 */
function recordedTree(arg: string, path: string, marker: Marker): Map<string, TreeEntry> {
  const m = new Map<string, TreeEntry>();
  if (Array.isArray(marker.tree)) {
    for (const e of marker.tree as unknown[]) {
      const x = e as Partial<TreeEntry> | null;
      if (!x || typeof x.path !== 'string' || (x.type !== 'dir' && x.type !== 'file')) continue;
      m.set(x.path, { path: x.path, type: x.type, size: typeof x.size === 'number' ? x.size : undefined, sha256: typeof x.sha256 === 'string' ? x.sha256 : undefined });
    }
    return m;
  }
  for (const f of (marker.files as unknown[]).filter((x): x is string => typeof x === 'string')) {
    let st: Stats | undefined;
    try {
      st = lstatSync(join(path, f));
    } catch {
      continue;
    }
    if (st.isDirectory()) throw new UserError(arg, `its marker predates whole-tree records and cannot vouch for what is inside ${f}/; refusing to replace it (move it away or choose a new --out)`);
    m.set(f, { path: f, type: 'file' });
  }
  return m;
}

/** Resuming passes the same checks: a real folder of ours, marked resumable by the same command. */
function checkResumable(t: OutputTarget): void {
  const st = lstatSync(t.path);
  if (st.isSymbolicLink()) throw new UserError(t.arg, 'is a symbolic link; a resumable output folder must be a real folder of ours');
  if (!st.isDirectory()) throw new UserError(t.arg, 'exists and is not a folder; choose a new --out');
  // Resuming writes into the folder itself, so the folder may not be a checkpoint either.
  if (isModelFolder(t.path)) throw new UserError(t.arg, 'is a model folder (config.json and weights); choose a folder elsewhere');
  const marker = readMarker(t.path);
  if (!marker || marker.resumable !== true) throw new UserError(t.arg, `is not a resumable output folder of polyglot-lens (no ${OUTPUT_MARKER}); choose a new --out`);
  if (marker.tool !== t.tool) throw new UserError(t.arg, `is a resumable folder of ${JSON.stringify(marker.tool)}, not of ${t.tool}; choose a new --out`);
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
  // In the CLI the first signal cancels the job (./interrupt): it unwinds through the writes'
  // `finally`, which removes their temp folders. A process without that path (the engine process)
  // removes them here and exits as a signal would have ended it.
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(sig, () => {
      if (interruptSignal()) return;
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

/**
 * Policy 4 without what is at the target: not cancelled, the same real path as at planning (a
 * parent replaced by a link to a model folder is caught here), and the place rules again.
 */
function checkStill(t: OutputTarget): void {
  if (interrupted()) throw new CancelledError();
  const now = realish(t.path);
  if (now !== t.real) throw new UserError(t.arg, `now resolves to ${now}, not ${t.real} as when the command started (a folder above it was replaced); nothing was written`);
  checkPlace(t.arg, now, t.rules);
}

/** Policy 4 at commit: checkStill, and whatever now sits at the target may still be replaced. */
function recheck(t: OutputTarget): void {
  checkStill(t);
  if (!lexists(t.path)) return;
  if (t.resumable) return checkResumable(t);
  if (!t.overwrite) throw new UserError(t.arg, 'appeared while the command ran; nothing was replaced (choose a new --out)');
  checkReplaceable(t);
}

/**
 * One turn of the event loop, so a signal that arrived while the process computed (or was
 * stopped) has run its handler before the output policy asks whether the job was cancelled:
 * without it, a job whose last stretch is synchronous (a checkpoint written in one call) would
 * commit its output after Ctrl-C.
 */
const signalsDelivered = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A hidden temp folder next to the target, registered for cleanup, with a marker naming our PID. */
function makeTemp(t: OutputTarget, role = ''): string {
  checkStill(t);
  const tmp = join(dirname(t.path), `.${basename(t.path)}${role}${TEMP_INFIX}${process.pid}`);
  registerTemp(tmp);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeFileSync(join(tmp, TEMP_MARKER), `${JSON.stringify({ tool: t.tool, pid: process.pid, target: t.path, createdAt: new Date().toISOString() })}\n`);
  return tmp;
}

function writeMarker(dir: string, t: OutputTarget): string[] {
  const files = readdirSync(dir).filter((f) => f !== TEMP_MARKER).sort();
  const marker = { tool: t.tool, ...(t.resumable ? { resumable: true } : {}), files, tree: treeOf(dir), createdAt: new Date().toISOString() };
  writeFileSync(join(dir, OUTPUT_MARKER), `${JSON.stringify(marker, null, 1)}\n`);
  return files;
}

/**
 * An I/O failure while an output is written, as one line naming the output: a write on a full disk
 * reports ENOSPC with no file name at all, and the temp file's name would mean nothing to a user.
 */
function writeFailure(t: OutputTarget, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof UserError || e instanceof CancelledError || typeof code !== 'string') return e;
  return new UserError(t.arg, `cannot write the output: ${ioProblem(e)}; nothing was written`);
}

/**
 * Fills a temp folder, writes our marker (recording the whole tree), and renames it into place; an
 * earlier output of ours is replaced only after the new one is complete.
 */
export async function writeOutputFolder(t: OutputTarget, fill: (tmpDir: string) => Promise<void> | void): Promise<string[]> {
  if (t.kind !== 'folder') throw new Error('writeOutputFolder needs a folder target');
  if (t.resumable && lexists(t.path)) throw new Error('writeOutputFolder creates a resumable folder; write into it with writeIntoFolder');
  await signalsDelivered();
  let tmp: string | undefined;
  let old: string | undefined;
  try {
    tmp = makeTemp(t);
    stopPoint('write');
    await fill(tmp);
    const files = writeMarker(tmp, t);
    stopPoint('commit');
    await signalsDelivered();
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
  } catch (e) {
    throw writeFailure(t, e);
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
  await signalsDelivered();
  let tmp: string | undefined;
  try {
    tmp = makeTemp(t);
    stopPoint('write');
    const file = join(tmp, basename(t.path));
    await write(file);
    stopPoint('commit');
    await signalsDelivered();
    recheck(t);
    renameSync(file, t.path);
  } catch (e) {
    throw writeFailure(t, e);
  } finally {
    if (tmp) {
      rmSync(tmp, { recursive: true, force: true });
      unregisterTemp(tmp);
    }
  }
}

/**
 * Writes the file `rel` (a `/`-separated path) inside a resumable folder of ours, through a temp
 * folder and a rename, after checking the folder again (policy 4 and 6). Files there are ours by
 * the folder's marker, so an existing one is replaced.
 */
export async function writeIntoFolder(t: OutputTarget, rel: string, write: (tmpFile: string) => Promise<void> | void): Promise<void> {
  if (!t.resumable) throw new Error('writeIntoFolder needs a resumable folder target');
  await signalsDelivered();
  recheck(t);
  const path = join(t.path, ...rel.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  const file: OutputTarget = { ...t, arg: join(t.arg, rel), path, kind: 'file', overwrite: true, resumable: false, real: join(t.real, ...rel.split('/')), rules: { ...t.rules, isOurs: () => true } };
  await writeOutputFile(file, write);
}
