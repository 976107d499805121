/**
 * `bias SCORE.prompt --dataset items.jsonl --models A,B --out DIR`: the numeric-bias study
 * (methods.md §7) — per model entry and range, each item's distribution over the scores; the
 * paper's table (group = language pair or language × model × range: kurtosis pre/post/gold, the
 * modal share, τ-b, bootstrap intervals of the differences) and histograms side by side.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { biasMetrics, biasRows, parseRanges, rangeLabel, scoreItems, undefinedMetrics, type BiasRun } from '../../engine/studies/bias';
import { biasTable, deltaRows } from '../../engine/studies/biasTable';
import { biasSections, round4 as fmt } from '../../engine/studies/sections';
import { readDataset } from '../../engine/studies/dataset';
import { longCsv } from '../../engine/studies/longCsv';
import type { ScoreRange } from '../../engine/studies/scoreRange';
import { loadPromptFile } from '../../engine/studies/taskPrompt';
import { UserError } from '../../engine/errors';
import { writeOutputFolder } from '../../engine/io/outputs';
import { LIGHT_THEME } from '../../../webview/render/color';
import { scoreHistogramFigure } from '../../../webview/render/scoreHistogram';
import { figuresSection, writeFigures } from '../figures';
import { bootstrapSettings, subjectLoader } from './evalOptions';
import { jsonl, modelSpecs, writeReport } from './studyOutput';
import type { Command } from './types';
import { PLAN_FLAG, printPlan } from './plan';
import { planSubjects } from '../../engine/eval/plan';

export const biasCommand: Command = {
  name: 'bias',
  usage: 'bias SCORE.prompt --dataset items.jsonl --out DIR [--models A,B] [--ranges 1-5,0-9,1-100] [--limit N] [--resamples 1000] [--overwrite] [--plan]',
  summary: 'numeric bias (methods §7): score distributions per item and model; per language pair × model × range kurtosis pre/post/gold, modal share, Kendall tau-b with bootstrap intervals; results.csv, items.jsonl, report.html, figures/score-histogram-RANGE.svg|png',
  options: {
    dataset: { kind: 'string', help: 'JSONL: fields fill the template; "gold" (a number) for correlations; optional "lang" (a language, or a pair like en-de: the tables\' grouping)' },
    models: { kind: 'string', help: 'comma-separated model entries: checkpoint folders, `default` (the embedded model), or variants MODEL@wanda:mt:fr-en:0.5, MODEL@lrp2:fr … as `eval` takes them; the first is "pre", each other "post" (default: the prompt\'s model, else default)' },
    ranges: { kind: 'string', help: 'score ranges to sweep, e.g. 1-5,0-9,1-100 (default: polyglot.scores of the prompt); the template sees scoreMin and scoreMax' },
    limit: { kind: 'string', help: 'score only the first N items' },
    resamples: { kind: 'string', help: 'bootstrap resamples of the items for the intervals of post − pre (default 1000)' },
    'bootstrap-seed': { kind: 'string', help: 'bootstrap seed (default 12345)' },
    seed: { kind: 'string', help: 'seed of pruning variants and their calibration sampling (default 0)' },
    'calibration-sequences': { kind: 'string', help: 'pruning variants: calibration sequences (default 100)' },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an existing output folder' },
    ...PLAN_FLAG,
  },
  async run(ctx) {
    const a = ctx.args;
    const file = a.positionals[0];
    if (!file) throw new UserError('bias', 'give the scoring .prompt file');
    const prompt = loadPromptFile(file);
    const ranges: ScoreRange[] = a.string('ranges') ? parseRanges(a.string('ranges')!, '--ranges') : prompt.doc.metadata.polyglot.scores ? [prompt.doc.metadata.polyglot.scores] : [];
    if (ranges.length === 0) throw new UserError(file, 'no score range: set polyglot.scores: {min: 1, max: 5} or pass --ranges');
    const items = readDataset(a.required('dataset'), a.string('limit') !== undefined ? a.int('limit', 0, 1) : undefined);
    const specs = modelSpecs(a.string('models'), prompt.doc.metadata.model, dirname(file));
    // --out is checked before any model loads: never inside a model folder, the prompt or the dataset.
    const plan = a.flag('plan');
    const out = plan && !a.string('out') ? undefined : ctx.planOut('folder', { modelDir: specs[0]!.dir, inputs: [file, a.required('dataset'), ...specs.slice(1).map((d) => d.dir)], tool: 'polyglot-lens bias' });
    const bootstrap = bootstrapSettings(ctx);
    const loader = subjectLoader(ctx);
    // Ctrl-C and progress as every long command takes them (context.ts).
    const job = ctx.jobOptions();
    if (plan || !out) {
      try {
        printPlan(ctx, await planSubjects({ command: 'bias', specs, loader, startSeconds: ctx.startSeconds, work: async (subject) => {
          for (const range of ranges) await scoreItems(subject, prompt, items, range, job);
        } }, job));
      } finally {
        await loader.dispose();
      }
      return;
    }
    const target = out;
    const task = prompt.doc.file.name;
    const runs: BiasRun[] = [];
    const t0 = performance.now();
    try {
      const subjects = [];
      for (const spec of specs) subjects.push(await loader.load(spec, job));
      for (const range of ranges) for (const subject of subjects) runs.push(await scoreItems(subject, prompt, items, range, job));
    } finally {
      await loader.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;

    const table = biasTable(runs, bootstrap);
    const sections = biasSections(runs, ranges, bootstrap);
    // One histogram figure per range (biasSections' first sections, in the ranges' order), as the report draws it.
    const figures = ranges.map((range, i) => {
      const s = sections[i]!;
      if (s.kind !== 'scoreHistograms') throw new Error(`bias: section ${i} is ${s.kind}, not the histogram of ${rangeLabel(range)}`);
      return scoreHistogramFigure(LIGHT_THEME, rangeLabel(range), s.data.series);
    });
    await writeOutputFolder(target, async (tmp) => {
      writeFileSync(join(tmp, 'results.csv'), longCsv([...biasRows(task, runs), ...deltaRows(task, table)]));
      writeFileSync(join(tmp, 'items.jsonl'), jsonl(runs.flatMap((r) => r.items.map(({ model, index, lang, prompt: text, scores, distribution, argmax, expected, gold }) => ({ model, range: rangeLabel(r.range), index, lang, prompt: text, scores, distribution, argmax, expected, gold })))));
      const files = await writeFigures(tmp, figures, (m) => ctx.warn(m));
      writeReport(tmp, `${basename(file)} — numeric bias`, [...sections, figuresSection(figures, files)]);
    });
    const scored = runs.reduce((n, r) => n + r.items.length, 0);
    ctx.print({
      out: target.arg,
      items: items.length,
      models: specs.map((s) => s.spec),
      ranges: ranges.map(rangeLabel),
      // Over all items; an undefined statistic is null here, with the words saying why in `undefined`.
      metrics: runs.map((r) => ({ model: r.model, range: rangeLabel(r.range), ...Object.fromEntries(Object.entries(biasMetrics(r.items)).map(([k, v]) => [k, fmt(v)])), undefined: undefinedMetrics(r.items) })),
      figures: { dir: join(target.arg, 'figures'), count: figures.length, formats: ['svg', 'png'] },
      seconds: Math.round(seconds * 1000) / 1000,
      itemsPerSecond: Math.round((scored / seconds) * 100) / 100,
    });
  },
};
