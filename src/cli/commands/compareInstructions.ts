/**
 * `compare-instructions TASK.prompt --dataset items.jsonl --out DIR`: the instruction-language
 * study (methods.md §6) — every item through every instruction variant; task score,
 * instruction-following failure and off-target rates per variant and language; the failing
 * outputs listed; the neurons active under only one variant (lape.json, Language neurons view).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../engine/errors';
import { writeOutputFolder } from '../../engine/io/outputs';
import { lapeJson, writeLapeFolder } from '../../engine/lape/files';
import { readDataset } from '../../engine/studies/dataset';
import { compareInstructions } from '../../engine/studies/instructions';
import { longCsv, type LongRow } from '../../engine/studies/longCsv';
import { loadTask } from '../../engine/studies/taskPrompt';
import { instructionSections, round4 as fmt } from '../../engine/studies/sections';
import { jsonl, loadModels, modelDirs, writeReport } from './studyOutput';
import type { Command } from './types';

export const compareInstructionsCommand: Command = {
  name: 'compare-instructions',
  usage: 'compare-instructions TASK.prompt --dataset items.jsonl --out DIR [--model DIR] [--max-new-tokens N] [--limit N] [--no-neurons] [--overwrite]',
  summary: 'instruction-language comparison (methods §6): score, instruction-following failure and off-target rates per variant and language; variant-specific neurons',
  options: {
    model: { kind: 'string', help: 'Hugging Face checkpoint folder (default: the prompt\'s model, else the embedded model)' },
    dataset: { kind: 'string', help: 'JSONL: fields fill the template; "label" (gold answer or its index), "lang" (expected output language)' },
    'max-new-tokens': { kind: 'string', help: 'answer length (default: config.maxOutputTokens, else 16)' },
    limit: { kind: 'string', help: 'use only the first N items' },
    'no-neurons': { kind: 'flag', help: 'skip the variant-specific neuron statistics' },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an existing output folder' },
  },
  async run(ctx) {
    const a = ctx.args;
    const file = a.positionals[0];
    if (!file) throw new UserError('compare-instructions', 'give the task .prompt file');
    const task = loadTask(file);
    const items = readDataset(a.required('dataset'), a.string('limit') !== undefined ? a.int('limit', 0, 1) : undefined);
    const modelDefault = task.base.doc.metadata.model !== undefined ? join(task.base.file, '..', task.base.doc.metadata.model) : undefined;
    const dirs = modelDirs(a.string('model'), modelDefault);
    const target = ctx.planOut('folder', { modelDir: dirs[0]!.dir, inputs: [...task.variants.map((v) => v.file), a.required('dataset')], tool: 'polyglot-lens compare-instructions' });
    const [{ label, model }] = loadModels(ctx, dirs);
    const t0 = performance.now();
    const r = await compareInstructions(model, task, items, {
      maxNewTokens: a.string('max-new-tokens') !== undefined ? a.int('max-new-tokens', 0, 1) : undefined,
      skipNeurons: a.flag('no-neurons'),
      ...ctx.jobOptions(),
    });
    const seconds = (performance.now() - t0) / 1000;
    const rows: LongRow[] = r.summaries.flatMap((s) =>
      (
        [
          ['accuracy', s.accuracy],
          ['failure_rate', s.failureRate],
          ['off_target_rate', s.offTargetRate],
          ['undetermined_rate', s.undeterminedRate],
        ] as const
      )
        .filter(([, v]) => v !== null)
        .map(([metric, value]) => ({ model: label, task: `${r.task}@${s.variant}`, language: s.language, metric, value: value! })),
    );
    const sections = instructionSections(r, label);
    await writeOutputFolder(
      target,
      (tmp) => {
        writeFileSync(join(tmp, 'results.csv'), longCsv(rows));
        writeFileSync(join(tmp, 'outputs.jsonl'), jsonl(r.outputs));
        if (r.neurons) mkdirSync(join(tmp, 'variant-neurons'));
        if (r.neurons) writeLapeFolder(join(tmp, 'variant-neurons'), r.neurons, { tool: 'polyglot-lens compare-instructions', note: 'languages are instruction variants' });
        writeReport(tmp, `${basename(file)} — instruction variants`, sections);
      },
    );
    ctx.print({
      out: target.arg,
      task: r.task,
      model: label,
      variants: r.variants,
      items: items.length,
      summaries: r.summaries.map((s) => ({ ...s, accuracy: fmt(s.accuracy), failureRate: fmt(s.failureRate), offTargetRate: fmt(s.offTargetRate), undeterminedRate: fmt(s.undeterminedRate) })),
      variantNeurons: r.neurons ? Object.fromEntries(Object.entries(lapeJson(r.neurons).neurons).map(([v, layers]) => [v, layers.reduce((n, l) => n + l.length, 0)])) : null,
      seconds: Math.round(seconds * 1000) / 1000,
    });
    await model.dispose();
  },
};
