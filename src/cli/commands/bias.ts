/**
 * `bias SCORE.prompt --dataset items.jsonl --models A,B --out DIR`: the numeric-bias study
 * (methods.md §7) — per model and range, each item's distribution over the scores, and the
 * kurtosis / τ-b / Pearson / Spearman table; histograms side by side in the report.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { biasMetrics, biasRows, parseRanges, rangeLabel, scoreItems, type BiasRun } from '../../engine/studies/bias';
import { biasSections, round4 as fmt } from '../../engine/studies/sections';
import { readDataset } from '../../engine/studies/dataset';
import { longCsv } from '../../engine/studies/longCsv';
import type { ScoreRange } from '../../engine/studies/scoreRange';
import { loadPromptFile } from '../../engine/studies/taskPrompt';
import { UserError } from '../../engine/errors';
import { writeOutputFolder } from '../../engine/io/outputs';
import { jsonl, loadModels, modelDirs, writeReport } from './studyOutput';
import type { Command } from './types';

export const biasCommand: Command = {
  name: 'bias',
  usage: 'bias SCORE.prompt --dataset items.jsonl --out DIR [--models A,B] [--ranges 1-5,0-9,1-100] [--limit N] [--overwrite]',
  summary: 'numeric bias (methods §7): score distributions per item and model; kurtosis, Kendall tau-b, Pearson, Spearman; results.csv, items.jsonl, report.html',
  options: {
    dataset: { kind: 'string', help: 'JSONL: fields fill the template; "gold" (a number) for correlations; optional "lang"' },
    models: { kind: 'string', help: 'comma-separated checkpoint folders; "default" is the embedded model (default: the prompt\'s model, else default)' },
    ranges: { kind: 'string', help: 'score ranges to sweep, e.g. 1-5,0-9,1-100 (default: polyglot.scores of the prompt); the template sees scoreMin and scoreMax' },
    limit: { kind: 'string', help: 'score only the first N items' },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an existing output folder' },
  },
  async run(ctx) {
    const a = ctx.args;
    const file = a.positionals[0];
    if (!file) throw new UserError('bias', 'give the scoring .prompt file');
    const prompt = loadPromptFile(file);
    const ranges: ScoreRange[] = a.string('ranges') ? parseRanges(a.string('ranges')!, '--ranges') : prompt.doc.metadata.polyglot.scores ? [prompt.doc.metadata.polyglot.scores] : [];
    if (ranges.length === 0) throw new UserError(file, 'no score range: set polyglot.scores: {min: 1, max: 5} or pass --ranges');
    const items = readDataset(a.required('dataset'), a.string('limit') !== undefined ? a.int('limit', 0, 1) : undefined);
    const modelDefault = prompt.doc.metadata.model !== undefined ? join(file, '..', prompt.doc.metadata.model) : undefined;
    const dirs = modelDirs(a.string('models'), modelDefault);
    // --out is checked before any model loads: never inside a model folder, the prompt or the dataset.
    const target = ctx.planOut('folder', { modelDir: dirs[0]!.dir, inputs: [file, a.required('dataset'), ...dirs.slice(1).map((d) => d.dir)], tool: 'polyglot-lens bias' });
    const models = loadModels(ctx, dirs);
    const job = ctx.jobOptions();
    const task = prompt.doc.file.name;
    const runs: BiasRun[] = [];
    const t0 = performance.now();
    for (const range of ranges) for (const { label, model } of models) runs.push(await scoreItems(model, label, prompt, items, range, job));
    const seconds = (performance.now() - t0) / 1000;

    const sections = biasSections(runs, ranges);
    await writeOutputFolder(
      target,
      (tmp) => {
        writeFileSync(join(tmp, 'results.csv'), longCsv(biasRows(task, runs)));
        writeFileSync(join(tmp, 'items.jsonl'), jsonl(runs.flatMap((r) => r.items.map(({ model, index, prompt: text, scores, distribution, argmax, expected, gold }) => ({ model, range: rangeLabel(r.range), index, prompt: text, scores, distribution, argmax, expected, gold })))));
        writeReport(tmp, `${basename(file)} — numeric bias`, sections);
      },
    );
    const scored = runs.reduce((n, r) => n + r.items.length, 0);
    ctx.print({
      out: target.arg,
      items: items.length,
      models: models.map((m) => m.label),
      ranges: ranges.map(rangeLabel),
      metrics: runs.map((r) => ({ model: r.model, range: rangeLabel(r.range), ...Object.fromEntries(Object.entries(biasMetrics(r.items)).map(([k, v]) => [k, fmt(v)])) })),
      seconds: Math.round(seconds * 1000) / 1000,
      itemsPerSecond: Math.round((scored / seconds) * 100) / 100,
    });
    for (const m of models) await m.model.dispose();
  },
};
