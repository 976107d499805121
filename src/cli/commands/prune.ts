import { UserError } from '../../engine/errors';
import { createVariant, exportPrunedCheckpoint, parseNM, pruneFromSources, PRUNE_METHODS, PRUNE_MODES, checkSparsity, type PruneMethod, type PruneMode, type PruneSettings } from '../../engine/pruning';
import type { MagnitudeScope } from '../../engine/pruning/types';
import { buildPruneCalibration } from '../../engine/pruning/fromSources';
import { calibrationFromStats, wandaPartial } from '../../engine/pruning/partial';
import { readAndMerge } from '../../engine/merge';
import { writeOutputFolder } from '../../engine/io/outputs';
import { modelFingerprint } from '../../engine/shard/fingerprint';
import { writePartialInto } from '../../engine/shard/partial';
import { shardLabel } from '../../engine/shard/shard';
import { MODEL_OPTION, SHARD_OPTION, shardArg, type Command } from './types';
import { PLAN_OPTIONS, planModelJob, planRequested } from './plan';
import { linearWeightCount, recordVariantBuild, selectionSecondsPerWeight } from '../../engine/plan/variants';

export const pruneCommand: Command = {
  name: 'prune',
  usage:
    'prune [--model DIR] --method wanda|magnitude|random|prog --sparsity S --calibration SOURCE … [--corpus C] [--code-calibration SOURCE] [--mode sequential|oneshot] [--scope matrix|row] [--nm 2:4] [--seed N] [--calibration-sequences N] [--calibration-length N] [--reference-compatible] [--dtype source|F32] [--shard i/N | --calibration-stats DIR] --out DIR [--plan [--target 2h]]',
  summary: 'prune every linear layer of the decoder blocks (methods §3) and write a loadable checkpoint folder with pruning.json',
  options: {
    ...MODEL_OPTION,
    method: { kind: 'string', help: `${PRUNE_METHODS.join(', ')}` },
    sparsity: { kind: 'string', help: 'fraction of weights zeroed, in (0, 1): of each row (wanda, prog, magnitude --scope row) or of each matrix (magnitude); optional with --nm: N/M' },
    calibration: { kind: 'list', help: 'wanda: the calibration source; prog: the translation set (mono:LANG, udhr:CODES, mt:SRC-TGT, code:GLOB, FILE.jsonl/.txt); repeat it (or join with +) to mix sources' },
    corpus: { kind: 'string', help: 'corpus for mono:/mt: sources: your parallel data as .tsv (lang<TAB>text) or .jsonl {"lang","text"}, or a FLORES-200 folder (default: UDHR)' },
    scope: { kind: 'string', help: 'magnitude: one threshold per weight matrix (matrix, default, as the reference) or per output row (row)' },
    'reference-compatible': { kind: 'flag', help: 'count calibration padding as the reference code does, and use its magnitude threshold rule (methods §3)' },
    'code-calibration': { kind: 'string', help: 'prog: the code calibration source (e.g. code:**/*.py)' },
    mode: { kind: 'string', help: 'wanda/prog: sequential (default) or oneshot' },
    nm: { kind: 'string', help: 'N:M semi-structured sparsity, e.g. 2:4 (M must divide every d_in)' },
    seed: { kind: 'string', help: 'seed for random pruning and calibration sampling (default 0)' },
    'calibration-sequences': { kind: 'string', help: 'calibration sequences (default 100)' },
    'calibration-length': { kind: 'string', help: 'tokens per calibration sequence (default 512, capped at the model maximum)' },
    dtype: { kind: 'string', help: 'stored dtype: source (default, as the input checkpoint) or F32' },
    out: { kind: 'string', help: 'output checkpoint folder (must not exist unless --overwrite; never in, inside or above the model folder; written atomically)' },
    overwrite: { kind: 'flag', help: 'replace an earlier pruned folder of ours (never any other folder)' },
    ...SHARD_OPTION,
    ...PLAN_OPTIONS,
    'calibration-stats': { kind: 'string', help: 'one-shot wanda/prog from merged statistics (the folder `merge` wrote from --shard partials) instead of --calibration' },
  },
  async run(ctx) {
    const a = ctx.args;
    // Every argument is checked before the model loads, so a typo costs nothing and writes nothing.
    const fileSources = [...a.list('calibration').flatMap((c) => c.split('+')), a.string('code-calibration')].filter((s): s is string => !!s && !/^(mono|mt|code|udhr):/.test(s));
    const shard = shardArg(a);
    const statsDir = a.string('calibration-stats');
    const plan = planRequested(ctx);
    const target = plan && !a.string('out') ? undefined : ctx.planOut('folder', { inputs: [...fileSources, statsDir], tool: shard ? 'polyglot-lens prune --shard' : 'polyglot-lens prune' });
    const method = a.required('method') as PruneMethod;
    if (!PRUNE_METHODS.includes(method)) throw new UserError('--method', `must be one of ${PRUNE_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
    const mode = a.string('mode') as PruneMode | undefined;
    if (mode !== undefined && !PRUNE_MODES.includes(mode)) throw new UserError('--mode', `must be sequential or oneshot, got ${JSON.stringify(mode)}`);
    const nm = a.string('nm') !== undefined ? parseNM(a.required('nm'), '--nm') : undefined;
    if ((shard || statsDir) && !(method === 'wanda' || method === 'prog')) throw new UserError(shard ? '--shard' : '--calibration-stats', `applies to wanda and prog (calibrated methods), not ${method}`);
    if ((shard || statsDir) && mode !== 'oneshot') throw new UserError(shard ? '--shard' : '--calibration-stats', 'needs --mode oneshot (sequential pruning recalibrates after each block, so its statistics cannot be split)');
    if (shard && statsDir) throw new UserError('--shard', 'cannot be combined with --calibration-stats');
    const sparsity = a.string('sparsity') !== undefined ? a.number('sparsity', 0) : undefined;
    if (sparsity !== undefined) checkSparsity(sparsity, '--sparsity');
    else if (!nm && !shard) throw new UserError('--sparsity', 'is required (or give --nm)');
    const calibrations = a.list('calibration');
    const calibration = calibrations.length ? calibrations.join('+') : undefined;
    const scope = a.string('scope');
    if (scope !== undefined && scope !== 'matrix' && scope !== 'row') throw new UserError('--scope', `must be matrix or row, got ${JSON.stringify(scope)}`);
    if (scope !== undefined && method !== 'magnitude') throw new UserError('--scope', `applies to --method magnitude only, not ${method}`);
    const corpus = a.string('corpus');
    if (corpus !== undefined && !calibration) throw new UserError('--corpus', 'feeds mono:/mt: calibration sources; give --calibration too');
    if ((method === 'wanda' || method === 'prog') && !calibration && !statsDir) throw new UserError('--calibration', `${method} needs a calibration source (e.g. mt:fr-en, mono:ja, texts.jsonl)`);
    if (method === 'prog' && !a.string('code-calibration') && !statsDir) throw new UserError('--code-calibration', 'prog needs a code calibration source (e.g. code:**/*.py)');
    const dtype = a.string('dtype') ?? 'source';
    if (dtype !== 'source' && dtype !== 'F32') throw new UserError('--dtype', `must be source or F32, got ${JSON.stringify(dtype)}`);
    const seed = a.int('seed', 0);
    const model = ctx.loadModel();
    const t0 = performance.now();
    const settings: PruneSettings = {
      method,
      sparsity,
      mode,
      nm,
      seed,
      calibration,
      corpus,
      magnitudeScope: scope as MagnitudeScope | undefined,
      referenceCompatible: a.flag('reference-compatible'),
      codeCalibration: a.string('code-calibration'),
      calibrationSequences: a.string('calibration-sequences') !== undefined ? a.int('calibration-sequences', 0, 1) : undefined,
      calibrationLength: a.string('calibration-length') !== undefined ? a.int('calibration-length', 0, 1) : undefined,
    };
    if (plan || !target) {
      return planModelJob(ctx, 'prune', model, {
        record: async (work): Promise<Record<string, number>> => {
          if (shard) {
            const cal = await buildPruneCalibration(model, settings, { signal: ctx.signal });
            await work.run(() => wandaPartial(model, { name: model.name, fingerprint: '' }, cal, { method, calibration: {} }, shard));
            return {};
          }
          if (statsDir) return { masks: linearWeightCount(model) * selectionSecondsPerWeight(model, method, sparsity ?? (nm ? nm.n / nm.m : 0.5), undefined) };
          return { masks: await recordVariantBuild(model, work, settings, { signal: ctx.signal }) };
        },
      });
    }
    if (shard) {
      const cal = await buildPruneCalibration(model, settings, { ...ctx.jobOptions(), onWarning: (m) => ctx.warn(m) });
      const calSettings = {
        calibration: calibration ?? null,
        codeCalibration: settings.codeCalibration ?? null,
        sequences: settings.calibrationSequences ?? null,
        length: Math.min(settings.calibrationLength ?? 512, model.cfg.maxPositions),
        seed,
      };
      const p = await wandaPartial(model, { name: model.name, fingerprint: modelFingerprint(model.ckpt) }, cal, { method, calibration: calSettings }, shard, ctx.jobOptions());
      await writeOutputFolder(target, (tmp) => writePartialInto(tmp, p.content, p.tensors));
      ctx.print({ out: target.arg, kind: 'wanda', shard: shardLabel(shard), positions: p.content.scalars, seconds: Math.round(performance.now() - t0) / 1000 });
      await model.dispose();
      return;
    }
    const variant = statsDir
      ? await createVariant(model, 'cli', { method, sparsity, mode, nm, seed }, calibrationFromStats(model, modelFingerprint(model.ckpt), readAndMerge([statsDir]), method, statsDir), ctx.jobOptions())
      : await pruneFromSources(model, 'cli', settings, { ...ctx.jobOptions(), onWarning: (m) => ctx.warn(m) });
    const pruneSeconds = (performance.now() - t0) / 1000;
    const r = await exportPrunedCheckpoint(model, variant, target, { dtype });
    const i = variant.info;
    const byKind: Record<string, number> = {};
    for (const kind of new Set(i.linears.map((l) => l.kind))) {
      const ls = i.linears.filter((l) => l.kind === kind);
      byKind[kind] = ls.reduce((n, l) => n + l.zeroed, 0) / ls.reduce((n, l) => n + l.total, 0);
    }
    ctx.print({
      out: r.outDir,
      method: i.method,
      ...(i.mode ? { mode: i.mode } : {}),
      ...(i.nm ? { nm: `${i.nm.n}:${i.nm.m}` } : {}),
      seed: i.seed,
      ...(i.magnitudeScope ? { scope: i.magnitudeScope } : {}),
      ...(i.referenceCompatible ? { referenceCompatible: true } : {}),
      targetSparsity: i.targetSparsity,
      achievedSparsity: i.achievedSparsity,
      achievedByKind: byKind,
      calibration: i.calibration,
      files: r.files,
      seconds: Math.round(pruneSeconds * 1000) / 1000,
    });
    await model.dispose();
  },
};
