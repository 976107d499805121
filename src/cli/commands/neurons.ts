import { openCorpus, CORPUS_HELP } from '../../engine/corpus/open';
import { collectLapeCounts, lapeFromCounts, DEFAULT_ENTROPY_QUANTILE, DEFAULT_PROB_QUANTILE } from '../../engine/lape/lape';
import { lapePartial } from '../../engine/lape/partial';
import { modelFingerprint } from '../../engine/shard/fingerprint';
import { writePartial } from '../../engine/shard/partial';
import { shardLabel } from '../../engine/shard/shard';
import { writeLapeFolder } from '../../engine/lape/files';
import { DEFAULT_BATCH_TOKENS } from '../../engine/stats/batches';
import { writeFolderAtomic } from '../../engine/io/atomic';
import { lapeSummary } from './lapeSummary';
import { stderrProgress } from './progress';
import { MODEL_OPTION, SHARD_OPTION, shardArg, type Command } from './types';

export const neuronsCommand: Command = {
  name: 'neurons',
  usage:
    'neurons [--model DIR] --corpus FILE|DIR|udhr:CODES --out DIR [--languages fr,en] [--max-length N] [--max-tokens-per-lang N] [--prob-quantile 0.95] [--entropy-quantile 0.01] [--shard i/N]',
  summary: 'find language-specific neurons (LAPE, methods §2); writes lape.json, neuron-stats.safetensors and neurons.csv to a new folder',
  options: {
    ...MODEL_OPTION,
    corpus: { kind: 'string', help: CORPUS_HELP },
    out: { kind: 'string', help: 'output folder (must not exist; written atomically)' },
    languages: { kind: 'string', help: 'comma-separated languages to analyse, in output order (default: all in the corpus)' },
    'max-length': { kind: 'string', help: 'truncate each text to this many tokens (default 512, or the model maximum if smaller)' },
    'max-tokens-per-lang': { kind: 'string', help: 'stop reading a language after this many tokens (default: all)' },
    'prob-quantile': { kind: 'string', help: `quantile of all activation probabilities used as the bar (default ${DEFAULT_PROB_QUANTILE})` },
    'entropy-quantile': { kind: 'string', help: `share of lowest-entropy passing neurons kept (default ${DEFAULT_ENTROPY_QUANTILE})` },
    'batch-tokens': { kind: 'string', help: `tokens per model run, batch × padded length (default ${DEFAULT_BATCH_TOKENS})` },
    ...SHARD_OPTION,
  },
  async run(ctx) {
    const a = ctx.args;
    const out = a.required('out');
    const corpus = openCorpus(a.required('corpus'));
    const langs = a.string('languages')?.split(',').map((s) => s.trim()).filter(Boolean);
    const maxTokens = a.string('max-tokens-per-lang') !== undefined ? a.int('max-tokens-per-lang', 0, 1) : undefined;
    const maxLength = a.string('max-length') !== undefined ? a.int('max-length', 0, 1) : undefined;
    const shard = shardArg(a);
    const model = ctx.loadModel();
    const t0 = performance.now();
    const counts = await collectLapeCounts(model, corpus, {
      shard,
      languages: langs,
      maxLength,
      maxTokensPerLang: maxTokens,
      probQuantile: a.number('prob-quantile', DEFAULT_PROB_QUANTILE),
      entropyQuantile: a.number('entropy-quantile', DEFAULT_ENTROPY_QUANTILE),
      batchTokens: a.int('batch-tokens', DEFAULT_BATCH_TOKENS, 1),
      onProgress: stderrProgress(),
    });
    const seconds = (performance.now() - t0) / 1000;
    if (shard) {
      const p = lapePartial(counts, { name: model.name, fingerprint: modelFingerprint(model.ckpt) }, shard);
      await writePartial(out, p.content, p.tensors);
      ctx.print({ out, kind: 'neurons', shard: shardLabel(shard), tokens: Object.fromEntries(counts.languages.map((l, i) => [l, counts.tokenCounts[i]])), seconds: Math.round(seconds * 1000) / 1000 });
      return;
    }
    const run = lapeFromCounts(model.name, counts);
    await writeFolderAtomic(out, (tmp) => writeLapeFolder(tmp, run, { tool: 'polyglot-lens neurons' }));
    ctx.print({
      ...lapeSummary(out, run),
      seconds: Math.round(seconds * 1000) / 1000,
      tokensPerSecond: Math.round(run.tokenCounts.reduce((x, y) => x + y, 0) / seconds),
    });
  },
};
