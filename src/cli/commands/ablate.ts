/**
 * `ablate --pairs zh-en,fr-en --k 0.1 --out DIR`: translation with the top-k / bottom-k / random
 * k share of every linear layer's input features zeroed (by mt:src-tgt importance, methods.md §4)
 * against dense, chrF per direction, p-values vs dense; the same output files as `eval`, whose
 * report draws the one chart (chrF per direction × condition). Engine: engine/eval/ablation.ts.
 */
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { ABLATION_KINDS, ablationVariant, translationImportances } from '../../engine/eval/ablation';
import type { ModelResults } from '../../engine/eval/evaluate';
import { analyseResults } from '../../engine/eval/session';
import { PRIMARY_METRIC } from '../../shared/results/rows';
import { evalOutput, reportScript, writeResultsFiles } from '../../engine/eval/outputs';
import { prepareTask } from '../../engine/eval/tasks';
import { planOutput, writeOutputFolder } from '../../engine/io/outputs';
import { bootstrapSettings, significanceOption, taskInputs, translationData } from './evalOptions';
import { TASK_OPTIONS } from './evalOptions';
import { MODEL_OPTION, type Command } from './types';
import { taskCharts } from '../../../webview/render/results';
import { LIGHT_THEME } from '../../../webview/render/color';
import { writeFigures } from '../figures';
import type { EvalTaskSpec } from '../../engine/eval/tasks';
import { PLAN_FLAG, planModelJob } from './plan';
import { sampleDecodeSteps } from '../../engine/plan/decode';

/** Items translated for real by --plan to learn how long translations run. */
const DECODE_SAMPLE_ITEMS = 2;

const PICK = ['corpus', 'dev', 'template', 'shots', 'max-new-tokens', 'limit', 'seed', 'resamples', 'bootstrap-seed', 'calibration-sequences', 'significance', 'out'] as const;

export const ablateCommand: Command = {
  name: 'ablate',
  usage: 'ablate [--model DIR] --pairs zh-en,fr-en [--k 0.1] [--corpus C] [--calibration-sequences 32] --out DIR [--plan]',
  summary: 'zero the top-k vs bottom-k vs random k share of linear-input features by translation importance; chrF per direction vs dense, one chart',
  options: {
    ...MODEL_OPTION,
    pairs: { kind: 'string', help: 'comma-separated directions SRC-TGT (importance from mt:SRC-TGT, translation of the same direction)' },
    k: { kind: 'string', help: 'share of each linear layer\'s input features zeroed, in (0, 1) (default 0.1)' },
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours' },
    ...Object.fromEntries(PICK.map((n) => [n, TASK_OPTIONS[n]!])),
    ...PLAN_FLAG,
  },
  async run(ctx) {
    const a = ctx.args;
    const pairs = (a.string('pairs') ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    if (pairs.length === 0) throw new UserError('--pairs', 'name at least one direction, e.g. fr-en');
    const k = a.number('k', 0.1);
    if (!(k > 0 && k < 1)) throw new UserError('--k', `must be a share strictly between 0 and 1, got ${k}`);
    const seed = a.int('seed', 0);
    const specs: EvalTaskSpec[] = pairs.map((p) => ({
      kind: 'translate',
      ...translationData(ctx),
      pairs: [p],
      template: a.string('template'),
      shots: a.int('shots', 1, 0),
      seed,
      maxNewTokens: a.int('max-new-tokens', 64, 1),
      limit: a.string('limit') !== undefined ? a.int('limit', 0, 1) : undefined,
    }));
    const tasks = await Promise.all(specs.map((t) => prepareTask(t)));
    const model = ctx.loadModel();
    const plan = a.flag('plan');
    const target = plan && !a.string('out') ? undefined : planOutput(a.required('out'), { kind: 'folder', overwrite: a.flag('overwrite'), model: model.ckpt.dir, inputs: taskInputs(specs), tool: 'polyglot-lens ablate' });
    const pct = `${Math.round(k * 1000) / 10}%`;
    const names = ['dense', ...ABLATION_KINDS.map((kind) => `${kind} ${pct}`)];
    const job = ctx.jobOptions();
    const progress = job.onProgress;
    const settings = { k, seed, calibrationSequences: a.string('calibration-sequences') !== undefined ? a.int('calibration-sequences', 0, 1) : undefined };
    const ablate = async (): Promise<ModelResults[]> => {
      const all: ModelResults[] = names.map((model) => ({ model, results: [] }));
      for (const [pi, pair] of pairs.entries()) {
        progress?.({ fraction: pi / pairs.length, message: `${pair}: importances` });
        const imps = await translationImportances(model, pair, settings, { signal: job.signal });
        all[0]!.results.push(...(await tasks[pi]!.run({ name: 'dense', model }, { signal: job.signal })));
        for (const [ki, kind] of ABLATION_KINDS.entries()) {
          progress?.({ fraction: (pi + (ki + 1) / 4) / pairs.length, message: `${pair}: ${kind} ${pct}` });
          const variant = ablationVariant(model, names[ki + 1]!, imps, kind, settings);
          all[ki + 1]!.info = { ablation: kind, k, seed, importance: 'mt:SRC-TGT per direction (methods.md §4)', zeroedShareOfLinearWeights: variant.info.achievedSparsity };
          all[ki + 1]!.results.push(...(await tasks[pi]!.run({ name: names[ki + 1]!, model, variant }, { signal: job.signal })));
        }
      }
      return all;
    };
    if (plan || !target) {
      // Translations stop at a stop token: the first items of the first direction translated for real (dense).
      const slice = (): Promise<unknown> => tasks[0]!.scores({ name: 'dense', model }, { signal: job.signal, units: () => (u) => u < DECODE_SAMPLE_ITEMS });
      return planModelJob(ctx, 'ablate', model, ablate, { shards: false, decode: () => sampleDecodeSteps(model, `the first ${DECODE_SAMPLE_ITEMS} dense translations of ${pairs[0]}`, slice) });
    }
    const all = await ablate();
    const bootstrap = bootstrapSettings(ctx);
    const p = { labels: Object.fromEntries(names.map((n) => [n, n])), significance: significanceOption(ctx) };
    const { sig, rows } = analyseResults(all, bootstrap, { ...PRIMARY_METRIC }, p);
    const output = evalOutput('polyglot-lens ablate', all, tasks.map((t) => ({ kind: t.kind, settings: t.settings })), bootstrap, sig, rows, { ...PRIMARY_METRIC }, p);
    // The chart of the report (chrF per direction × condition, † / ‡ against dense) also as figure files.
    const figures = taskCharts(LIGHT_THEME, rows, 640, { ...PRIMARY_METRIC }, p).map((c) => ({ name: `${c.task}-${c.metric}${c.part ? `-${c.part}` : ''}`, caption: `${c.metric} per direction and condition (k = ${pct}); † better than dense, ‡ worse`, svg: c.svg }));
    await writeOutputFolder(target, async (tmp) => {
      writeResultsFiles(tmp, output, reportScript(), `Feature ablation — ${model.name}, k = ${pct}`);
      await writeFigures(tmp, figures, (m) => ctx.warn(m));
    });
    const chrf = Object.fromEntries(all.map((m) => [m.model, Object.fromEntries(m.results.map((r) => [r.language, Math.round(r.metrics.chrf! * 100) / 100]))]));
    ctx.print({ out: target.path, k, pairs, chrf, report: join(target.path, 'report.html'), figures: figures.map((f) => join(target.path, 'figures', `${f.name}.svg`)) });
    await model.dispose();
  },
};
