/**
 * `neurons impact --lape DIR --corpus C --out DIR`: the perplexity-impact matrix of Tang et al.
 * (engine/lape/perplexityImpact.ts): deactivate language D's LAPE neurons, measure the change
 * of mean NLL (Δ log-perplexity) on every language L's text. Writes impact.json and impact.csv
 * (long format: deactivated,language,metric,value) and prints the verdicts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus, CORPUS_HELP } from '../../engine/corpus/open';
import { readLapeJson } from '../../engine/lape/files';
import { impactVerdicts, perplexityImpact } from '../../engine/lape/perplexityImpact';
import { planOutput, writeOutputFolder } from '../../engine/io/outputs';
import { DEFAULT_BATCH_TOKENS } from '../../engine/stats/batches';
import { MODEL_OPTION, type Command } from './types';
import { PLAN_OPTIONS, planModelJob, planRequested } from './plan';

const split = (s: string | undefined): string[] | undefined => s?.split(',').map((x) => x.trim()).filter(Boolean);

export const neuronsImpactCommand: Command = {
  name: 'neurons impact',
  usage: 'neurons impact [--model DIR] --lape DIR/lape.json --corpus FILE|DIR|udhr:CODES --out DIR [--languages fr,en] [--deactivated fr,en] [--append-eos] [--plan [--target 2h]]',
  summary: "perplexity-impact matrix (Tang et al.): each language's LAPE neurons deactivated, Δ mean NLL on every language; writes impact.json and impact.csv",
  options: {
    ...MODEL_OPTION,
    lape: { kind: 'string', help: 'lape.json written by `neurons` (or its folder)' },
    corpus: { kind: 'string', help: CORPUS_HELP },
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours' },
    languages: { kind: 'string', help: 'evaluated languages (columns), default: all of the corpus' },
    deactivated: { kind: 'string', help: 'deactivated languages (rows), default: every language of the LAPE file' },
    'max-length': { kind: 'string', help: 'truncate each text to this many tokens (default 512, or the model maximum)' },
    'batch-tokens': { kind: 'string', help: `tokens per model run (default ${DEFAULT_BATCH_TOKENS})` },
    'append-eos': { kind: 'flag', help: 'append the tokenizer EOS to every text (as the default model card measures)' },
    ...PLAN_OPTIONS,
  },
  async run(ctx) {
    const a = ctx.args;
    const lapeArg = a.required('lape');
    const lapeFile = lapeArg.endsWith('.json') ? lapeArg : join(lapeArg, 'lape.json');
    const lape = readLapeJson(lapeFile);
    const corpusArg = a.required('corpus');
    const corpus = openCorpus(corpusArg);
    const plan = planRequested(ctx);
    const model = ctx.loadModel();
    const impact = (): ReturnType<typeof perplexityImpact> => perplexityImpact(model, corpus, lape, {
      languages: split(a.string('languages')),
      deactivated: split(a.string('deactivated')),
      maxLength: a.string('max-length') !== undefined ? a.int('max-length', 0, 1) : undefined,
      batchTokens: a.int('batch-tokens', DEFAULT_BATCH_TOKENS, 1),
      appendEos: a.flag('append-eos'),
      ...(plan ? { signal: ctx.signal } : ctx.jobOptions()),
    });
    if (plan) return planModelJob(ctx, 'neurons impact', model, impact);
    const target = planOutput(a.required('out'), { kind: 'folder', overwrite: a.flag('overwrite'), model: model.ckpt.dir, inputs: [lapeFile, corpusArg.startsWith('udhr:') ? undefined : corpusArg], tool: 'polyglot-lens neurons impact' });
    const r = await impact();
    const verdicts = impactVerdicts(r);
    const rows = ['deactivated,language,metric,value'];
    r.languages.forEach((l, j) => rows.push(`dense,${l},mean_nll,${r.dense[j]}`, `dense,${l},tokens,${r.tokens[j]}`));
    r.deactivated.forEach((d, i) => r.languages.forEach((l, j) => rows.push(`${d},${l},delta_nll,${r.delta[i]![j]}`)));
    await writeOutputFolder(target, (tmp) => {
      writeFileSync(join(tmp, 'impact.json'), `${JSON.stringify({ model: model.name, lape: lapeFile, ...r, verdicts })}\n`);
      writeFileSync(join(tmp, 'impact.csv'), `${rows.join('\n')}\n`);
    });
    ctx.print({
      out: target.path,
      languages: r.languages,
      deactivated: r.deactivated,
      neuronCounts: r.neuronCounts,
      diagonalIsRowMax: verdicts.filter((v) => v.rowMax).map((v) => v.lang),
      diagonalIsColMax: verdicts.filter((v) => v.colMax).map((v) => v.lang),
    });
    await model.dispose();
  },
};
