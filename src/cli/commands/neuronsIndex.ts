/**
 * `neurons index --corpus … --top K --out DIR`: every neuron's K strongest activations over a
 * corpus, with text, token and position (engine/neuron/indexJob.ts). An existing index for the
 * same model, corpus and settings is reused; one for another model or corpus is rebuilt.
 */
import { existsSync } from 'node:fs';
import { openCorpus, CORPUS_HELP } from '../../engine/corpus/open';
import { UserError } from '../../engine/errors';
import { planOutput, writeOutputFolder } from '../../engine/io/outputs';
import { buildNeuronIndex, DEFAULT_TOP } from '../../engine/neuron/indexJob';
import { corpusFingerprint, modelFingerprint } from '../../engine/neuron/fingerprint';
import { readManifest, sameKey, writeIndexFolder, EXAMPLES_FILE, type IndexKey } from '../../engine/neuron/indexFiles';
import { DEFAULT_BATCH_TOKENS } from '../../engine/stats/batches';
import { MODEL_OPTION, type Command } from './types';
import { PLAN_OPTIONS, planModelJob, planRequested } from './plan';
import { join } from 'node:path';

export const neuronsIndexCommand: Command = {
  name: 'index',
  usage: 'neurons index [--model DIR] --corpus FILE|DIR|udhr:CODES --out DIR [--top K] [--languages fr,en] [--max-length N] [--max-tokens-per-lang N] [--plan [--target 2h]]',
  summary: `every neuron's top-K activating corpus tokens (default K ${DEFAULT_TOP}); writes DIR/top-examples.jsonl and DIR/manifest.json, reused while model and corpus are unchanged`,
  options: {
    ...MODEL_OPTION,
    corpus: { kind: 'string', help: CORPUS_HELP },
    out: { kind: 'string', help: 'index folder: created, reused when it matches, rebuilt when the model or corpus changed' },
    top: { kind: 'string', help: `examples kept per neuron (default ${DEFAULT_TOP})` },
    languages: { kind: 'string', help: 'comma-separated languages, in corpus order by default' },
    'max-length': { kind: 'string', help: 'truncate each text to this many tokens (default 512, or the model maximum if smaller)' },
    'max-tokens-per-lang': { kind: 'string', help: 'stop reading a language after this many tokens (default: all)' },
    'batch-tokens': { kind: 'string', help: `tokens per model run, batch × padded length (default ${DEFAULT_BATCH_TOKENS})` },
    ...PLAN_OPTIONS,
  },
  async run(ctx) {
    const a = ctx.args;
    const spec = a.required('corpus');
    const corpus = openCorpus(spec);
    const languages = a.string('languages')?.split(',').map((s) => s.trim()).filter(Boolean);
    const maxTokens = a.string('max-tokens-per-lang') !== undefined ? a.int('max-tokens-per-lang', 0, 1) : undefined;
    const maxLength = a.string('max-length') !== undefined ? a.int('max-length', 0, 1) : undefined;
    const top = a.int('top', DEFAULT_TOP, 1);
    const indexOptions = { top, languages, maxLength, maxTokensPerLang: maxTokens, batchTokens: a.int('batch-tokens', DEFAULT_BATCH_TOKENS, 1) };
    if (planRequested(ctx)) {
      const model = ctx.loadModel();
      return planModelJob(ctx, 'neurons index', model, () => buildNeuronIndex(model, corpus, indexOptions));
    }
    const out = a.required('out');
    const existing = existsSync(out) ? readManifest(out) : undefined;
    if (existsSync(out) && !existing) throw new UserError(out, 'exists and is not a neuron index folder (no manifest.json); choose a new --out');
    // The shared output policy (io/outputs.ts), checked before the model loads: never an input or
    // the model folder; an existing index is replaced only when it is an output folder of ours.
    const target = planOutput(out, {
      kind: 'folder',
      overwrite: existing !== undefined,
      model: ctx.modelDir(),
      inputs: [spec.startsWith('udhr:') ? undefined : spec],
      tool: 'polyglot-lens neurons index',
    });
    const model = ctx.loadModel();
    const key: IndexKey = {
      model: { name: model.name, fingerprint: modelFingerprint(model), nLayers: model.cfg.nLayers, dMlp: model.cfg.dMlp },
      corpus: { name: spec, fingerprint: corpusFingerprint(spec) },
      settings: { top, languages: languages?.length ? languages : null, maxLength: maxLength ?? null, maxTokensPerLang: maxTokens ?? null },
    };
    if (existing && sameKey(existing, key)) {
      ctx.print({ out, file: join(out, EXAMPLES_FILE), reused: true, sequences: existing.sequences, tokens: existing.tokens });
      return;
    }
    const t0 = performance.now();
    const run = await buildNeuronIndex(model, corpus, { ...indexOptions, ...ctx.jobOptions() });
    const seconds = (performance.now() - t0) / 1000;
    await writeOutputFolder(target, (tmp) => void writeIndexFolder(tmp, run, model.tokenizer, key));
    ctx.print({
      out,
      file: join(out, EXAMPLES_FILE),
      reused: false,
      rebuilt: existing !== undefined,
      neurons: run.nLayers * run.dMlp,
      top,
      languages: run.languages,
      sequences: run.sequences,
      tokens: run.tokens,
      // Texts held at once (those some neuron keeps, plus one batch): bounded by neurons × K, not the corpus.
      peakKeptTexts: run.peakKept,
      seconds: Math.round(seconds * 1000) / 1000,
      tokensPerSecond: Math.round(run.tokens / seconds),
    });
  },
};
