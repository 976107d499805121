/**
 * What the study commands (bias, compare-instructions) share: models named on the command line,
 * and the report written beside the data (--out is planned with the output policy, ctx.planOut).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { packageRoot } from '../../engine/paths';
import { renderReportHtml, renderReportJson } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import { parseModelSpec, type ModelSpec } from '../../engine/eval/subjects';

/**
 * `--models A,B`: model entries as `eval` takes them — checkpoint folders, `default` (the embedded
 * model), variants `MODEL@wanda:mt:fr-en:0.5`, `MODEL@lrp2:fr` — relative to the working folder;
 * without it, the prompt's `model:` (relative to the prompt), else `default`. Names as given.
 */
export function modelSpecs(list: string | undefined, promptModel: string | undefined, promptDir: string): ModelSpec[] {
  const specs = list !== undefined ? list.split(',').map((s) => s.trim()).filter(Boolean).map((s) => parseModelSpec(s)) : [parseModelSpec(promptModel ?? 'default', promptDir)];
  if (specs.length === 0) throw new UserError('--models', 'name at least one model');
  const dup = specs.find((x, i) => specs.findIndex((y) => y.spec === x.spec) !== i);
  if (dup) throw new UserError('--models', `${dup.spec} is listed twice`);
  return specs;
}

export function writeReport(dir: string, title: string, sections: ReportSection[]): void {
  const script = readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
  writeFileSync(join(dir, 'report.html'), renderReportHtml(sections, { script, title, generatedBy: `polyglot-lens, ${new Date().toISOString()}` }));
  writeFileSync(join(dir, 'report.json'), renderReportJson(sections));
}

export function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}
