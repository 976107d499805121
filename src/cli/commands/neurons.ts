import { openCorpus, CORPUS_HELP } from '../../engine/corpus/open';
import { collectLapeCounts, lapeFromCounts, DEFAULT_ENTROPY_QUANTILE, DEFAULT_PROB_QUANTILE, type LapeCounts } from '../../engine/lape/lape';
import { PLAN_OPTIONS, planModelJob, planRequested } from './plan';
import { lapePartial } from '../../engine/lape/partial';
import { modelFingerprint } from '../../engine/shard/fingerprint';
import { writePartialInto } from '../../engine/shard/partial';
import { shardLabel } from '../../engine/shard/shard';
import { writeLapeFolder } from '../../engine/lape/files';
import { DEFAULT_BATCH_TOKENS } from '../../engine/stats/batches';
import { writeOutputFolder } from '../../engine/io/outputs';
import { lapeSummary } from './lapeSummary';
import type { Args } from '../args';
import { UserError } from '../../engine/errors';
import { checkOneshotMode, MODEL_OPTION, ONESHOT_MODE_OPTION, SHARD_OPTION, shardArg, type Command } from './types';
import { neuronsIndexCommand } from './neuronsIndex';
import { join } from 'node:path';
import type { Figure } from '../../../webview/render/figures';
import { writeNeuronsReport } from '../figures';

/** --top-rate, or its older name --entropy-quantile (not both). */
function topRate(a: Args): number {
  if (a.string('top-rate') !== undefined && a.string('entropy-quantile') !== undefined) throw new UserError('--top-rate', 'give --top-rate or --entropy-quantile, not both');
  return a.string('entropy-quantile') !== undefined ? a.number('entropy-quantile', DEFAULT_ENTROPY_QUANTILE) : a.number('top-rate', DEFAULT_ENTROPY_QUANTILE);
}

export const neuronsCommand: Command = {
  name: 'neurons',
  subcommands: [neuronsIndexCommand],
  usage:
    'neurons [--model DIR] --corpus FILE|DIR|udhr:CODES --out DIR [--languages fr,en] [--max-length N] [--max-tokens-per-lang N] [--prob-quantile 0.95] [--top-rate 0.01] [--mode oneshot] [--shard i/N] [--plan [--target 2h]]',
  summary: 'find language-specific neurons (LAPE, methods §2); writes lape.json, neuron-stats.safetensors, neurons.csv, report.html and figures/*.svg|png to a new folder',
  options: {
    ...MODEL_OPTION,
    corpus: { kind: 'string', help: CORPUS_HELP },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite; written atomically)' },
    overwrite: { kind: 'flag', help: 'replace an earlier neurons folder of ours (never any other folder)' },
    languages: { kind: 'string', help: 'comma-separated languages to analyse, in output order (default: all in the corpus)' },
    'max-length': { kind: 'string', help: 'truncate each text to this many tokens (default 512, or the model maximum if smaller)' },
    'max-tokens-per-lang': { kind: 'string', help: 'stop reading a language after this many tokens (default: all)' },
    'prob-quantile': { kind: 'string', help: `the bar is the round(n·q)-th smallest of all activation probabilities (default ${DEFAULT_PROB_QUANTILE})` },
    'top-rate': { kind: 'string', help: `share of ALL neurons kept, lowest entropy first, among those over the bar (default ${DEFAULT_ENTROPY_QUANTILE})` },
    'entropy-quantile': { kind: 'string', help: 'older name of --top-rate' },
    'batch-tokens': { kind: 'string', help: `tokens per model run, batch × padded length (default ${DEFAULT_BATCH_TOKENS})` },
    ...SHARD_OPTION,
    ...PLAN_OPTIONS,
    ...ONESHOT_MODE_OPTION,
  },
  async run(ctx) {
    const a = ctx.args;
    checkOneshotMode(a, 'neurons');
    const corpusArg = a.required('corpus');
    const shard = shardArg(a);
    const plan = planRequested(ctx);
    const target = plan && !a.string('out') ? undefined : ctx.planOut('folder', { inputs: [corpusArg.startsWith('udhr:') ? undefined : corpusArg], tool: shard ? 'polyglot-lens neurons --shard' : 'polyglot-lens neurons' });
    const corpus = openCorpus(corpusArg);
    const langs = a.string('languages')?.split(',').map((s) => s.trim()).filter(Boolean);
    const maxTokens = a.string('max-tokens-per-lang') !== undefined ? a.int('max-tokens-per-lang', 0, 1) : undefined;
    const maxLength = a.string('max-length') !== undefined ? a.int('max-length', 0, 1) : undefined;
    const model = ctx.loadModel();
    const t0 = performance.now();
    const count = (): Promise<LapeCounts> => collectLapeCounts(model, corpus, {
      shard,
      languages: langs,
      maxLength,
      maxTokensPerLang: maxTokens,
      probQuantile: a.number('prob-quantile', DEFAULT_PROB_QUANTILE),
      entropyQuantile: topRate(a),
      batchTokens: a.int('batch-tokens', DEFAULT_BATCH_TOKENS, 1),
      ...ctx.jobOptions(),
    });
    if (plan || !target) return planModelJob(ctx, 'neurons', model, count);
    const out = target.arg;
    const counts = await count();
    const seconds = (performance.now() - t0) / 1000;
    if (shard) {
      const p = lapePartial(counts, { name: model.name, fingerprint: modelFingerprint(model.ckpt) }, shard);
      await writeOutputFolder(target, (tmp) => writePartialInto(tmp, p.content, p.tensors));
      ctx.print({ out, kind: 'neurons', shard: shardLabel(shard), tokens: Object.fromEntries(counts.languages.map((l, i) => [l, counts.tokenCounts[i]])), seconds: Math.round(seconds * 1000) / 1000 });
      return;
    }
    const run = lapeFromCounts(model.name, counts);
    let figures: Figure[] = [];
    await writeOutputFolder(target, async (tmp) => {
      // The report draws the Language neurons panel itself; figures/ holds its figures as SVG and PNG files.
      figures = await writeNeuronsReport(tmp, run.result, (m) => ctx.warn(m));
      writeLapeFolder(tmp, run, { tool: 'polyglot-lens neurons' });
    });
    ctx.print({
      ...lapeSummary(out, run),
      report: join(out, 'report.html'),
      figures: { dir: join(out, 'figures'), count: figures.length, formats: ['svg', 'png'] },
      seconds: Math.round(seconds * 1000) / 1000,
      tokensPerSecond: Math.round(run.tokenCounts.reduce((x, y) => x + y, 0) / seconds),
    });
  },
};
