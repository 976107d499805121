/**
 * What the study commands (bias, compare-instructions) share: models named on the command line,
 * the output folder checked before any computation, and the report written beside the data.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../../engine/errors';
import { LoadedModel } from '../../engine/model/model';
import { defaultCacheDir, defaultModelDir, packageRoot } from '../../engine/paths';
import { renderReportHtml, renderReportJson } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import type { CliContext } from '../context';

/** Fails at once, before minutes of scoring, when --out could not be written at the end. */
export function checkNewOutput(out: string, overwrite: boolean): void {
  const target = resolve(out);
  if (existsSync(target) && !overwrite) throw new UserError(out, 'output folder already exists (choose a new --out)');
  if (!existsSync(dirname(target))) throw new UserError(out, `parent folder ${dirname(target)} does not exist`);
}

/** `--models A,B`: checkpoint folders; `default` is the embedded model. Labels are as given. */
export function loadModels(ctx: CliContext, spec: string | undefined, fallback: string | undefined): { label: string; model: LoadedModel }[] {
  const names = (spec ?? fallback ?? 'default').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError('--models', 'name at least one model folder');
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UserError('--models', `${dup} is listed twice`);
  return names.map((label) => ({
    label,
    model: LoadedModel.load(label === 'default' ? defaultModelDir() : label, { threads: ctx.args.int('threads', 0), cacheDir: ctx.args.string('cache-dir') ?? defaultCacheDir() }),
  }));
}

export function writeReport(dir: string, title: string, sections: ReportSection[]): void {
  const script = readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
  writeFileSync(join(dir, 'report.html'), renderReportHtml(sections, { script, title, generatedBy: `polyglot-lens, ${new Date().toISOString()}` }));
  writeFileSync(join(dir, 'report.json'), renderReportJson(sections));
}

export function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}
