/**
 * `compare-instructions TASK.prompt… --dataset items.jsonl… --models A,B --out DIR`: the
 * instruction-language study (methods.md §6) — every item of each task through every instruction
 * variant under every model entry; Enomoto et al.'s tables (accuracy by instruction × label
 * language with McNemar marks, failure and off-target rates per task × instruction language,
 * neuron counts per variant and those active under one variant only); the failing outputs listed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../engine/errors';
import { writeOutputFolder } from '../../engine/io/outputs';
import { writeLapeFolder } from '../../engine/lape/files';
import { readDataset } from '../../engine/studies/dataset';
import { compareInstructions, type InstructionComparison } from '../../engine/studies/instructions';
import { exclusiveNeurons, instructionRoleRates, lapeCounts, roleCells } from '../../engine/studies/instructionTables';
import { longCsv, type LongRow } from '../../engine/studies/longCsv';
import { loadTask } from '../../engine/studies/taskPrompt';
import { instructionTableSections, round4 as fmt } from '../../engine/studies/sections';
import { INSTRUCTION_ROLES, LABEL_ROLES } from '../../engine/studies/variantLanguages';
import { subjectLoader } from './evalOptions';
import { jsonl, modelSpecs, writeReport } from './studyOutput';
import type { Command } from './types';
import { PLAN_FLAG, printPlan } from './plan';
import { planSubjects } from '../../engine/eval/plan';
import { DECODE_SAMPLE_ITEMS, sampleDecodeSteps } from '../../engine/plan/decode';

/** results.csv: per variant and item language, then per instruction × label role (task NAME@ROLE instruction, language ROLE labels). */
function resultRows(r: InstructionComparison): LongRow[] {
  const rows: LongRow[] = [];
  for (const s of r.summaries) {
    for (const [metric, value] of [['accuracy', s.accuracy], ['failure_rate', s.failureRate], ['off_target_rate', s.offTargetRate], ['undetermined_rate', s.undeterminedRate]] as const) {
      if (value !== null) rows.push({ model: r.model, task: `${r.task}@${s.variant}`, language: s.language, metric, value });
    }
  }
  const cells = roleCells(r);
  for (const instruction of INSTRUCTION_ROLES) {
    for (const labels of LABEL_ROLES) {
      const c = cells.get(`${instruction}|${labels}`);
      if (!c) continue;
      const at = { model: r.model, task: `${r.task}@${instruction} instruction`, language: `${labels} labels` };
      for (const [metric, value] of [['accuracy', c.accuracy], ['failure_rate', c.failureRate], ['off_target_rate', c.offTargetRate], ['mcnemar_p', c.test?.p ?? null]] as const) if (value !== null) rows.push({ ...at, metric, value });
    }
  }
  return rows;
}

export const compareInstructionsCommand: Command = {
  name: 'compare-instructions',
  usage: 'compare-instructions TASK.prompt… --dataset items.jsonl… --out DIR [--models A,B] [--max-new-tokens N] [--limit N] [--no-neurons] [--overwrite] [--plan]',
  summary: 'instruction-language study (methods §6): accuracy by instruction × label language with McNemar marks, failure and off-target rates per task × instruction language, variant-specific neurons; several tasks and models in one run',
  options: {
    models: { kind: 'string', help: 'comma-separated model entries as `eval` takes them (checkpoint folders, default, MODEL@wanda:mt:fr-en:0.5, MODEL@lrp2:fr) (default: the first prompt\'s model, else the embedded model)' },
    model: { kind: 'string', help: 'one checkpoint folder (the same as --models with one entry)' },
    dataset: { kind: 'list', help: 'JSONL per task, in the order of the task files (one for all when given once): fields fill the template; "label" (gold answer or its index), "lang" (the item\'s language)' },
    'max-new-tokens': { kind: 'string', help: 'answer length (default: config.maxOutputTokens, else 16)' },
    limit: { kind: 'string', help: 'use only the first N items of each dataset' },
    'no-neurons': { kind: 'flag', help: 'skip the variant-specific neuron statistics' },
    seed: { kind: 'string', help: 'seed of pruning variants and their calibration sampling (default 0)' },
    'calibration-sequences': { kind: 'string', help: 'pruning variants: calibration sequences (default 100)' },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an existing output folder' },
    ...PLAN_FLAG,
  },
  async run(ctx) {
    const a = ctx.args;
    const files = a.positionals;
    if (files.length === 0) throw new UserError('compare-instructions', 'give the task .prompt file(s)');
    const tasks = files.map((f) => loadTask(f));
    const datasets = a.list('dataset');
    if (datasets.length === 0) throw new UserError('--dataset', 'is required (a JSONL file per task, or one for all)');
    if (datasets.length !== 1 && datasets.length !== tasks.length) throw new UserError('--dataset', `${datasets.length} datasets for ${tasks.length} task files: give one per task, in the same order, or one for all`);
    if (a.string('model') !== undefined && a.string('models') !== undefined) throw new UserError('--model', 'give --model or --models, not both');
    const limit = a.string('limit') !== undefined ? a.int('limit', 0, 1) : undefined;
    const items = tasks.map((_, i) => readDataset(datasets[datasets.length === 1 ? 0 : i]!, limit));
    const specs = modelSpecs(a.string('models') ?? a.string('model'), tasks[0]!.base.doc.metadata.model, dirname(tasks[0]!.base.file));
    const plan = a.flag('plan');
    const out = plan && !a.string('out') ? undefined : ctx.planOut('folder', { modelDir: specs[0]!.dir, inputs: [...tasks.flatMap((t) => t.variants.map((v) => v.file)), ...datasets, ...specs.slice(1).map((s) => s.dir)], tool: 'polyglot-lens compare-instructions' });
    const loader = subjectLoader(ctx);
    // Ctrl-C and progress as every long command takes them (context.ts).
    const job = ctx.jobOptions();
    const settings = { maxNewTokens: a.string('max-new-tokens') !== undefined ? a.int('max-new-tokens', 0, 1) : undefined, skipNeurons: a.flag('no-neurons') };
    if (plan || !out) {
      try {
        printPlan(ctx, await planSubjects({
          command: 'compare-instructions',
          specs,
          loader,
          startSeconds: ctx.startSeconds,
          work: async (subject) => {
            for (const [i, task] of tasks.entries()) await compareInstructions(subject, task, items[i]!, { ...settings, ...job });
          },
          // Answers stop at a stop token: the first items of the first task (every variant) answered for real.
          decode: (first) => sampleDecodeSteps(first.model, `the first ${DECODE_SAMPLE_ITEMS} items' answers under every variant`, () => compareInstructions(first, tasks[0]!, items[0]!.slice(0, DECODE_SAMPLE_ITEMS), { ...settings, skipNeurons: true, signal: job.signal })),
        }, job));
      } finally {
        await loader.dispose();
      }
      return;
    }
    const target = out;
    const results: InstructionComparison[] = [];
    const t0 = performance.now();
    try {
      for (const spec of specs) {
        const subject = await loader.load(spec, job);
        for (const [i, task] of tasks.entries()) {
          results.push(await compareInstructions(subject, task, items[i]!, { ...settings, ...job }));
        }
      }
    } finally {
      await loader.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    const sections = instructionTableSections(results);
    const withNeurons = results.filter((r) => r.neurons);
    await writeOutputFolder(
      target,
      (tmp) => {
        writeFileSync(join(tmp, 'results.csv'), longCsv(results.flatMap(resultRows)));
        writeFileSync(join(tmp, 'outputs.jsonl'), jsonl(results.flatMap((r) => r.outputs)));
        // One LAPE folder per model × task, variant names as languages (the Language neurons view opens it).
        for (const r of withNeurons) {
          const dir = withNeurons.length === 1 ? join(tmp, 'variant-neurons') : join(tmp, 'variant-neurons', `${r.model}--${r.task}`.replace(/[^A-Za-z0-9._-]+/g, '_'));
          mkdirSync(dir, { recursive: true });
          writeLapeFolder(dir, r.neurons!, { tool: 'polyglot-lens compare-instructions', note: 'languages are instruction variants' });
        }
        writeReport(tmp, `${tasks.map((t) => basename(t.base.file)).join(', ')} — instruction variants`, sections);
      },
    );
    const roles = (r: InstructionComparison) => Object.fromEntries([...roleCells(r)].map(([k, c]) => [k.replace('|', ' instruction, ') + ' labels', { accuracy: fmt(c.accuracy), n: c.n, ...(c.test ? { mcnemarP: Number(c.test.p.toPrecision(3)), mark: c.test.mark } : {}) }]));
    ctx.print({
      out: target.arg,
      models: specs.map((s) => s.spec),
      tasks: tasks.map((t) => t.name),
      items: items.map((x) => x.length),
      results: results.map((r) => ({
        model: r.model,
        task: r.task,
        variants: r.variants,
        languages: r.languages,
        roles: roles(r),
        failureRate: Object.fromEntries([...instructionRoleRates(r)].map(([k, v]) => [k, fmt(v.failureRate)])),
        offTargetRate: Object.fromEntries([...instructionRoleRates(r)].map(([k, v]) => [k, fmt(v.offTargetRate)])),
        summaries: r.summaries.map((s) => ({ ...s, accuracy: fmt(s.accuracy), failureRate: fmt(s.failureRate), offTargetRate: fmt(s.offTargetRate), undeterminedRate: fmt(s.undeterminedRate) })),
        variantNeurons: r.neurons ? lapeCounts(r.neurons) : null,
        onlyUnderOneVariant: r.neurons ? Object.fromEntries(Object.entries(exclusiveNeurons(r.neurons)).map(([v, list]) => [v, list.length])) : null,
      })),
      seconds: Math.round(seconds * 1000) / 1000,
    });
  },
};
