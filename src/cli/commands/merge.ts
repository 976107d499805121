import { UserError } from '../../engine/errors';
import { mergeToFolder } from '../../engine/merge';
import { writeFeaturesReport, writeNeuronsReport } from '../figures';
import type { Command } from './types';

export const mergeCommand: Command = {
  name: 'merge',
  usage: 'merge PARTIAL_DIR… --out DIR',
  summary:
    'combine the partial statistics of N shards (neurons/features/prune … --shard i/N) into the folder one run would have written; refuses partials of other models, corpora or settings, and sets with a gap or a duplicate',
  options: {
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite; written atomically): the neurons or features folder, or merged Wanda statistics for prune --calibration-stats' },
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours (never any other folder)' },
  },
  async run(ctx) {
    const dirs = ctx.args.positionals;
    if (dirs.length === 0) throw new UserError('merge', 'give the partial folders to merge (e.g. merge part-0 part-1 part-2 --out merged)');
    const target = ctx.planOut('folder', { inputs: dirs, tool: 'polyglot-lens merge' });
    const out = target.arg;
    const t0 = performance.now();
    // The merged folder is the one a single run writes: statistics, report.html and figures/.
    const warn = (m: string): void => ctx.warn(m);
    const s = await mergeToFolder(dirs, target, {
      neurons: async (tmp, run) => void (await writeNeuronsReport(tmp, run.result, warn)),
      features: async (tmp, run) => void (await writeFeaturesReport(tmp, run.analysis, run.analysis.model.name, warn)),
    });
    ctx.print({ out, ...s, seconds: Math.round(performance.now() - t0) / 1000 });
  },
};
