/**
 * `eval --models A,B,… --task T … --out DIR`: every model (checkpoint folder, pruned export, or
 * variant MODEL@method:calibration:sparsity) on every task, paired bootstrap p-values against
 * the first model, and DIR/results.{json,csv,md,tex} + DIR/report.html (docs/cli.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { evaluateSubject, pValues, resultRows, type ModelResults } from '../../engine/eval/evaluate';
import { evalOutput, writeResultsFiles } from '../../engine/eval/outputs';
import { parseModelSpec, SubjectLoader } from '../../engine/eval/subjects';
import { prepareTask } from '../../engine/eval/tasks';
import { planOutput, writeOutputFolder } from '../../engine/io/outputs';
import { defaultCacheDir, packageRoot } from '../../engine/paths';
import { buildResultsTable } from '../../shared/results/table';
import { bootstrapSettings, parseTaskSpecs, subjectSettings, taskInputs, TASK_OPTIONS } from './evalOptions';
import { stderrProgress } from './progress';
import type { Command } from './types';

export function reportScript(): string {
  return readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
}

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval --models A,B,… --task perplexity|translate|classify … --out DIR [--corpus C] [--pairs fr-en] [--classify-prompt P --data D] [--resamples 1000]',
  summary: 'per-language perplexity, translation chrF/BLEU, zero-shot classification; paired bootstrap vs the first model; writes results.json/.csv/.md/.tex and report.html',
  options: {
    models: { kind: 'string', help: 'comma-separated: checkpoint folders, `default`, or variants MODEL@wanda:mt:fr-en:0.5, MODEL@magnitude:0.5, MODEL@random:0.5, MODEL@prog:mt:fr-en+code:GLOB:0.5' },
    ...TASK_OPTIONS,
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours' },
  },
  async run(ctx) {
    const a = ctx.args;
    const out = a.required('out');
    const specs = a.required('models').split(',').map((s) => s.trim()).filter(Boolean).map((s) => parseModelSpec(s));
    if (specs.length === 0) throw new UserError('--models', 'name at least one model');
    const dup = specs.find((s, i) => specs.findIndex((x) => x.spec === s.spec) !== i);
    if (dup) throw new UserError('--models', `${dup.spec} is listed twice`);
    const taskSpecs = parseTaskSpecs(ctx);
    // The output is checked before any work: not a model folder or input, not existing unless --overwrite.
    const target = planOutput(out, { kind: 'folder', overwrite: a.flag('overwrite'), inputs: [...specs.map((s) => s.dir), ...taskInputs(taskSpecs)], tool: 'polyglot-lens eval' });
    const tasks = await Promise.all(taskSpecs.map((t) => prepareTask(t)));
    const script = reportScript();
    const bootstrap = bootstrapSettings(ctx);
    const loader = new SubjectLoader({ ...subjectSettings(ctx), cacheDir: a.string('cache-dir') ?? defaultCacheDir() });
    const progress = stderrProgress();
    const all: ModelResults[] = [];
    const t0 = performance.now();
    try {
      for (const [i, spec] of specs.entries()) {
        const subject = await loader.load(spec, { onProgress: (p) => progress?.({ fraction: (i + p.fraction * 0.2) / specs.length, message: `${spec.spec}: ${p.message}` }) });
        all.push(await evaluateSubject(subject, tasks, { onProgress: (p) => progress?.({ fraction: (i + 0.2 + 0.8 * p.fraction) / specs.length, message: `${spec.spec}: ${p.message}` }) }));
      }
    } finally {
      await loader.dispose();
    }
    const ps = pValues(all, bootstrap);
    const rows = resultRows(all, ps);
    const output = evalOutput('polyglot-lens eval', all, tasks.map((t) => ({ kind: t.kind, settings: t.settings })), bootstrap, ps, rows);
    await writeOutputFolder(target, (tmp) => writeResultsFiles(tmp, output, script, `Evaluation — ${specs.map((s) => s.spec).join(', ')}`));
    const table = buildResultsTable(rows);
    ctx.print({
      out,
      files: ['results.json', 'results.csv', 'results.md', 'results.tex', 'report.html'].map((f) => join(out, f)),
      models: specs.map((s) => s.spec),
      table: table.models.map((m, i) => ({ model: m, ...Object.fromEntries(table.columns.map((c, j) => [`${c.task}:${c.language}:${c.metric}`, table.cells[i]![j]?.value ?? null])) })),
      itemsPerSecond: Object.fromEntries(all[0]!.results.map((r) => [`${r.task}:${r.language}`, Math.round(r.itemsPerSecond * 100) / 100])),
      seconds: Math.round((performance.now() - t0) / 10) / 100,
    });
  },
};
