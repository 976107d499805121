import { parseCalibrationArg, DEFAULT_LENGTH, DEFAULT_SEED, DEFAULT_SEQUENCES, DEFAULT_SHOTS } from '../../engine/calibration';
import { collectFeatureStats, finishFeatures } from '../../engine/features/features';
import { featuresPartial } from '../../engine/features/partial';
import { modelFingerprint } from '../../engine/shard/fingerprint';
import { writePartialInto } from '../../engine/shard/partial';
import { shardLabel } from '../../engine/shard/shard';
import { writeFeaturesFolder } from '../../engine/features/files';
import { DEFAULT_OVERLAP_K } from '../../engine/features/overlap';
import { writeOutputFolder } from '../../engine/io/outputs';
import { UserError } from '../../engine/errors';
import type { OverlapSource } from '../../shared/features';
import { checkOneshotMode, MODEL_OPTION, ONESHOT_MODE_OPTION, SHARD_OPTION, shardArg, type Command } from './types';
import { PLAN_OPTIONS, planModelJob, planRequested } from './plan';
import { join } from 'node:path';
import type { Figure } from '../../../webview/render/figures';
import { writeFeaturesReport } from '../figures';

function overlapSource(v: string | undefined): OverlapSource | undefined {
  if (v === undefined || v === 'hidden_states' || v === 'linear_inputs') return v;
  throw new UserError('--overlap-source', `must be hidden_states or linear_inputs, got ${v}`);
}

export const featuresCommand: Command = {
  name: 'features',
  usage: 'features [--model DIR] --calibration NAME=SOURCE … --out DIR [--corpus C] [--sequences 100] [--length 512] [--shots 4] [--seed 0] [--overlap-k 0.3] [--overlap-source hidden_states|linear_inputs] [--mode oneshot] [--shard i/N] [--plan [--target 2h]]',
  summary: 'translation features (methods §4): importances, overlap maps, scatter and large-magnitude features; writes a new folder with report.html and figures/*.svg|png',
  options: {
    ...MODEL_OPTION,
    calibration: { kind: 'list', help: 'NAME=SOURCE, repeatable; SOURCE is mono:LANG, mt:SRC-TGT, code:GLOB or a .jsonl {"text"} / .txt file' },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite; written atomically)' },
    overwrite: { kind: 'flag', help: 'replace an earlier features folder of ours (never any other folder)' },
    corpus: { kind: 'string', help: 'parallel corpus for mono:/mt: (FLORES-200 folder, .jsonl, .tsv; default: UDHR)' },
    sequences: { kind: 'string', help: `sequences per setting (default ${DEFAULT_SEQUENCES})` },
    length: { kind: 'string', help: `tokens per sequence, truncated (default ${DEFAULT_LENGTH})` },
    shots: { kind: 'string', help: `demonstrations per sequence for mono:/mt: (default ${DEFAULT_SHOTS})` },
    seed: { kind: 'string', help: `sampling seed (default ${DEFAULT_SEED})` },
    'overlap-k': { kind: 'string', help: `top/bottom share of features for the overlap maps, a fraction (default ${DEFAULT_OVERLAP_K} = 30 %)` },
    'overlap-source': { kind: 'string', help: 'what overlap.json compares: hidden_states (per-dimension L2 norms of the hidden states, the paper\'s maps; default) or linear_inputs (RMS of the linear layers\' inputs)' },
    scatter: { kind: 'string', help: 'MT,MONO: the settings plotted in the scatter (default: first mt and the mono of its source language)' },
    ...SHARD_OPTION,
    ...PLAN_OPTIONS,
    ...ONESHOT_MODE_OPTION,
  },
  async run(ctx) {
    const a = ctx.args;
    checkOneshotMode(a, 'features');
    const requests = a.list('calibration').map((c) => parseCalibrationArg(c));
    const fileSources = requests.map((r) => r.source).filter((s) => !/^(mono|mt|code):/.test(s));
    const shard = shardArg(a);
    const plan = planRequested(ctx);
    const target = plan && !a.string('out') ? undefined : ctx.planOut('folder', { inputs: [a.string('corpus'), ...fileSources], tool: shard ? 'polyglot-lens features --shard' : 'polyglot-lens features' });
    const [mt, mono] = (a.string('scatter') ?? '').split(',').map((s) => s.trim() || undefined);
    const model = ctx.loadModel();
    const opts = {
      corpus: a.string('corpus'),
      sequences: a.int('sequences', DEFAULT_SEQUENCES, 1),
      length: Math.min(a.int('length', DEFAULT_LENGTH, 1), model.cfg.maxPositions),
      shots: a.int('shots', DEFAULT_SHOTS, 1),
      seed: a.int('seed', DEFAULT_SEED, 0),
      overlapK: a.number('overlap-k', DEFAULT_OVERLAP_K),
      overlapSource: overlapSource(a.string('overlap-source')),
      scatter: a.string('scatter') ? { mt, mono } : undefined,
    };
    const collect = (): ReturnType<typeof collectFeatureStats> => collectFeatureStats(model, requests, { ...opts, shard, ...ctx.jobOptions() });
    if (plan || !target) return planModelJob(ctx, 'features', model, collect);
    const out = target.arg;
    const stats = await collect();
    if (shard) {
      const settings = { requests, ...opts, corpus: opts.corpus ?? null, overlapSource: opts.overlapSource ?? null, scatter: opts.scatter ?? null };
      const p = featuresPartial(stats, { name: model.name, fingerprint: modelFingerprint(model.ckpt) }, opts.corpus ?? 'udhr', settings, shard);
      await writeOutputFolder(target, (tmp) => writePartialInto(tmp, p.content, p.tensors));
      ctx.print({ out, kind: 'features', shard: shardLabel(shard), settings: stats.collected.map((s) => ({ id: s.id, sequences: s.sequences, positions: s.positions })) });
      return;
    }
    const run = finishFeatures(stats, opts);
    run.warnings.forEach((w) => ctx.warn(w));
    let figures: Figure[] = [];
    await writeOutputFolder(target, async (tmp) => {
      writeFeaturesFolder(tmp, run, { tool: 'polyglot-lens features', model: model.name });
      // The report draws the Translation features panel itself; figures/ holds its figures as SVG and PNG files.
      figures = await writeFeaturesReport(tmp, run.analysis, model.name, (m) => ctx.warn(m));
    });
    ctx.print({
      out,
      settings: run.settings.map((s) => ({ id: s.id, kind: s.kind, label: s.label, sequences: s.sequences, positions: s.positions })),
      scatter: run.scatterIds ?? null,
      overlap: { source: run.analysis.overlap!.source, k: run.analysis.overlap!.k },
      largeMagnitudeTop: run.analysis.largeMagnitude!.dims.slice(0, 5).join(','),
      report: join(out, 'report.html'),
      figures: { dir: join(out, 'figures'), count: figures.length, formats: ['svg', 'png'] },
    });
  },
};
