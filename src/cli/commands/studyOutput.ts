/**
 * What the study commands (bias, compare-instructions) share: models named on the command line,
 * the output folder checked before any computation, and the report written beside the data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { planOutput, type OutputTarget } from '../../engine/io/outputs';
import { LoadedModel } from '../../engine/model/model';
import { defaultCacheDir, defaultModelDir, packageRoot } from '../../engine/paths';
import { renderReportHtml, renderReportJson } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import type { CliContext } from '../context';

/** `--models A,B`: checkpoint folders as labelled on the command line; `default` is the embedded model. */
export function modelNames(spec: string | undefined, fallback: string | undefined): { label: string; dir: string }[] {
  const names = (spec ?? fallback ?? 'default').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError('--models', 'name at least one model folder');
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UserError('--models', `${dup} is listed twice`);
  return names.map((label) => ({ label, dir: label === 'default' ? defaultModelDir() : label }));
}

/**
 * --out through the output policy (engine/io/outputs), before any model loads or item is scored:
 * never inside or containing a model folder, the prompt or the dataset.
 */
export function planStudyOutput(ctx: CliContext, tool: string, models: { dir: string }[], inputs: (string | undefined)[]): OutputTarget {
  return planOutput(ctx.args.required('out'), { kind: 'folder', overwrite: ctx.args.flag('overwrite'), inputs: [...models.map((m) => m.dir), ...inputs], tool });
}

export function loadModels(ctx: CliContext, models: { label: string; dir: string }[]): { label: string; model: LoadedModel }[] {
  return models.map(({ label, dir }) => ({ label, model: LoadedModel.load(dir, { threads: ctx.args.int('threads', 0), cacheDir: ctx.args.string('cache-dir') ?? defaultCacheDir() }) }));
}

export function writeReport(dir: string, title: string, sections: ReportSection[]): void {
  const script = readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
  writeFileSync(join(dir, 'report.html'), renderReportHtml(sections, { script, title, generatedBy: `polyglot-lens, ${new Date().toISOString()}` }));
  writeFileSync(join(dir, 'report.json'), renderReportJson(sections));
}

export function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}
