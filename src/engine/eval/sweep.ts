/**
 * `sweep`: the pruning study's grid (Kim et al. 2024) — every method × calibration × sparsity as a
 * variant of one base model (masks, not copies), evaluated with the same prepared tasks as the
 * dense model. Resumable cell by cell: a cell (one model × one task) is written atomically to
 * DIR/cells/ when it finishes, and a rerun with the same settings reuses every finished cell;
 * DIR/sweep.json pins the settings so a rerun with different ones cannot mix results.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobOptions } from '../api';
import { throwIfAborted, UserError } from '../errors';
import { readUserText } from '../io/userFile';
import { writeIntoFolder, writeOutputFolder, type OutputTarget } from '../io/outputs';
import { PRUNE_METHODS, type PruneMethod } from '../pruning';
import { parseModelSpec, type ModelSpec, type SubjectLoader } from './subjects';
import type { PreparedTask } from './tasks';
import type { ModelResults } from './evaluate';
import type { EvalSubject, TaskResult } from './types';

export interface SweepGrid {
  base: string;
  methods: PruneMethod[];
  calibrations: string[];
  sparsities: number[];
  /** prog's code calibration source. */
  codeCalibration?: string;
}

/** Model specs of the grid, dense first: wanda/prog once per calibration, magnitude/random once. */
export function sweepModels(g: SweepGrid): string[] {
  const out = [g.base];
  for (const method of g.methods) {
    if (!PRUNE_METHODS.includes(method)) throw new UserError('--methods', `unknown method ${JSON.stringify(method)} (${PRUNE_METHODS.join(', ')})`);
    const needsCal = method === 'wanda' || method === 'prog';
    if (needsCal && g.calibrations.length === 0) throw new UserError('--calibrations', `${method} needs at least one calibration source (e.g. mt:fr-en)`);
    if (method === 'prog' && !g.codeCalibration) throw new UserError('--code-calibration', 'prog needs a code calibration source (e.g. code:src/**/*.ts)');
    for (const cal of needsCal ? g.calibrations : ['']) {
      for (const s of g.sparsities) {
        const c = method === 'prog' ? `${cal}+${g.codeCalibration}` : cal;
        out.push(`${g.base}@${method}:${c ? `${c}:` : ''}${s}`);
      }
    }
  }
  return out;
}

/**
 * A file inside the sweep folder (`rel` is `/`-separated), written through a temp name and renamed
 * after the folder is checked again (io/outputs: a resumable output folder of ours).
 */
export async function writeSweepFile(dir: OutputTarget, rel: string, text: string): Promise<void> {
  await writeIntoFolder(dir, rel, (tmp) => writeFileSync(tmp, text));
}

export interface SweepCell {
  model: string;
  task: string;
  info?: Record<string, unknown>;
  results: TaskResult[];
  seconds: number;
}

export interface SweepProgress {
  done: number;
  total: number;
  computed: number;
  cell: string;
  seconds: number;
  /** Seconds left at the mean time per computed cell; null before the first computed cell. */
  eta: number | null;
}

export interface SweepRun {
  models: ModelResults[];
  computed: number;
  reused: number;
}

/** A cell's file, relative to the sweep folder. */
export function cellFile(model: string, task: string): string {
  return `cells/${createHash('sha256').update(`${model}\u0000${task}`).digest('hex').slice(0, 20)}.json`;
}

/** sweep.json's text: the settings a resumed sweep must match. */
export function sweepJson(settings: unknown): string {
  return `${JSON.stringify(settings, null, 1)}\n`;
}

/**
 * Creates the sweep folder (marked resumable, with DIR/sweep.json and DIR/cells/) through the output
 * policy, or checks that an existing one has exactly these settings.
 */
export async function pinSettings(dir: OutputTarget, settings: unknown): Promise<void> {
  const text = sweepJson(settings);
  if (!existsSync(dir.path)) {
    await writeOutputFolder(dir, (tmp) => {
      writeFileSync(join(tmp, 'sweep.json'), text);
      mkdirSync(join(tmp, 'cells'));
    });
    return;
  }
  const file = join(dir.path, 'sweep.json');
  if (!existsSync(file)) throw new UserError(dir.arg, 'is a sweep folder without sweep.json; choose a new --out');
  if (readUserText(file, 'json') !== text) throw new UserError(dir.arg, 'holds a sweep with different settings (sweep.json); resume with the same arguments or choose a new --out');
}

export async function runSweep(
  dir: OutputTarget,
  modelSpecs: string[],
  tasks: PreparedTask[],
  loader: SubjectLoader,
  o: JobOptions & { cwd?: string; onCell?: (p: SweepProgress) => void } = {},
): Promise<SweepRun> {
  const specs: ModelSpec[] = modelSpecs.map((s) => parseModelSpec(s, o.cwd));
  const total = specs.length * tasks.length;
  let done = 0;
  let computed = 0;
  let reused = 0;
  let computeSeconds = 0;
  const models: ModelResults[] = [];
  for (const spec of specs) {
    let subject: EvalSubject | undefined;
    const results: TaskResult[] = [];
    let info: Record<string, unknown> | undefined;
    for (const task of tasks) {
      throwIfAborted(o.signal);
      const file = cellFile(spec.spec, task.kind);
      let cell: SweepCell | undefined;
      if (existsSync(join(dir.path, file))) {
        try {
          cell = JSON.parse(readUserText(join(dir.path, file), 'json')) as SweepCell;
        } catch (e) {
          throw e instanceof UserError ? e : new UserError(join(dir.arg, file), `not a sweep cell (${(e as Error).message.split('\n')[0]}); delete it to compute the cell again`);
        }
        reused++;
      } else {
        const t0 = performance.now();
        subject ??= await loader.load(spec, { signal: o.signal });
        const r = await task.run(subject, { signal: o.signal });
        cell = { model: spec.spec, task: task.kind, info: subject.info, results: r, seconds: (performance.now() - t0) / 1000 };
        await writeSweepFile(dir, file, JSON.stringify(cell));
        computed++;
        computeSeconds += cell.seconds;
      }
      info ??= cell.info;
      results.push(...cell.results);
      done++;
      const left = total - done;
      o.onCell?.({ done, total, computed, cell: `${spec.spec} ${task.kind}`, seconds: cell.seconds, eta: computed > 0 ? (computeSeconds / computed) * left : null });
    }
    models.push({ model: spec.spec, info, results });
  }
  return { models, computed, reused };
}
