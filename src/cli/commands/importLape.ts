import { importedLapeCounts, languageOfFile } from '../../engine/lape/import';
import { lapeFromCounts, DEFAULT_ENTROPY_QUANTILE, DEFAULT_PROB_QUANTILE } from '../../engine/lape/lape';
import { writeLapeFolder } from '../../engine/lape/files';
import { writeOutputFolder } from '../../engine/io/outputs';
import { lapeSummary } from './lapeSummary';
import type { Command } from './types';

export const importLapeCommand: Command = {
  name: 'import-lape',
  usage: 'import-lape [LANG=]FILE… --out DIR [--model-name NAME] [--prob-quantile 0.95] [--top-rate 0.01]',
  summary:
    'LAPE from per-language activation counts computed elsewhere (the reference activation.py: over_zero, n) as .safetensors or .json; writes the same folder as neurons, for the Language neurons panel',
  options: {
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite; written atomically)' },
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours (never any other folder)' },
    'model-name': { kind: 'string', help: 'model name recorded in the output (default: none)' },
    'prob-quantile': { kind: 'string', help: `quantile of all activation probabilities used as the bar (default ${DEFAULT_PROB_QUANTILE})` },
    'top-rate': { kind: 'string', help: `share of ALL neurons kept, lowest entropy first, among those over the bar (default ${DEFAULT_ENTROPY_QUANTILE})` },
  },
  async run(ctx) {
    const a = ctx.args;
    const target = ctx.planOut('folder', { inputs: a.positionals.map((f) => languageOfFile(f).file), tool: 'polyglot-lens import-lape' });
    const out = target.arg;
    const counts = importedLapeCounts(a.positionals, {
      probQuantile: a.number('prob-quantile', DEFAULT_PROB_QUANTILE),
      entropyQuantile: a.number('top-rate', DEFAULT_ENTROPY_QUANTILE),
    });
    const run = lapeFromCounts(a.string('model-name') ?? '', counts);
    await writeOutputFolder(target, (tmp) => writeLapeFolder(tmp, run, { tool: 'polyglot-lens import-lape' }));
    ctx.print(lapeSummary(out, run));
  },
};
