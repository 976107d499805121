/**
 * The `lens` subcommands that make what a lens run reads: `lens fit` (the linear lens, over a
 * corpus), `lens languages` (a token language profile), `lens build` (dataset items from a word list).
 */
import { writeFileSync } from 'node:fs';
import { readAt, withUserFile } from '../../engine/io/userFile';
import { join } from 'node:path';
import { CORPUS_HELP, openCorpus } from '../../engine/corpus/open';
import { UserError } from '../../engine/errors';
import { writeOutputFile, writeOutputFolder } from '../../engine/io/outputs';
import { buildLensItems, DEFAULT_SHOTS, LENS_TASKS, readWordList, type LensTask, type PromptFormat } from '../../engine/lens/build';
import { fitLinearLens, LINEAR_LENS_FILE, writeLinearLens } from '../../engine/lens/linear';
import { countTokenLanguages, DEFAULT_MIN_COUNT, PROFILE_FILE, RowSource, writeProfile } from '../../engine/lens/profile';
import { normalizeLanguage } from '../../engine/corpus/types';
import type { Args, OptionSpec } from '../args';
import { jsonl } from './studyOutput';
import { MODEL_OPTION, type Command } from './types';
import { PLAN_FLAG, planModelJob } from './plan';

const CORPUS_OPTIONS: Record<string, OptionSpec> = {
  corpus: { kind: 'string', help: CORPUS_HELP },
  languages: { kind: 'string', help: 'comma-separated languages of the corpus to read (default: all)' },
  'max-length': { kind: 'string', help: 'truncate each text to this many tokens (default 512, or the model maximum if smaller)' },
  'max-tokens-per-lang': { kind: 'string', help: 'stop reading a language after this many tokens (default: all)' },
};

function corpusOptions(a: Args): { languages?: string[]; maxLength?: number; maxTokensPerLang?: number } {
  return {
    languages: a.string('languages')?.split(',').map((s) => s.trim()).filter(Boolean),
    maxLength: a.string('max-length') !== undefined ? a.int('max-length', 0, 1) : undefined,
    maxTokensPerLang: a.string('max-tokens-per-lang') !== undefined ? a.int('max-tokens-per-lang', 0, 1) : undefined,
  };
}

const corpusInput = (spec: string): string | undefined => (spec.startsWith('udhr:') ? undefined : spec);

export const lensFitCommand: Command = {
  name: 'fit',
  usage: 'lens fit [--model DIR] --corpus FILE|DIR|udhr:CODES --out DIR [--languages fr,en] [--max-length N] [--max-tokens-per-lang N] [--layers-per-pass N] [--overwrite] [--plan]',
  summary: `fit the linear lens (Din et al.; methods §8) by least squares over the corpus; writes DIR/${LINEAR_LENS_FILE} and DIR/fit.json`,
  options: {
    ...MODEL_OPTION,
    ...CORPUS_OPTIONS,
    'layers-per-pass': { kind: 'string', help: 'layers whose normal equations one pass over the corpus holds (default: as many as half the available memory holds; fewer layers, more passes)' },
    out: { kind: 'string', help: 'output folder' },
    overwrite: { kind: 'flag', help: 'replace an earlier `lens fit` folder of ours' },
    ...PLAN_FLAG,
  },
  async run(ctx) {
    const spec = ctx.args.required('corpus');
    const plan = ctx.args.flag('plan');
    const target = plan && !ctx.args.string('out') ? undefined : ctx.planOut('folder', { inputs: [corpusInput(spec)], tool: 'polyglot-lens lens fit' });
    const corpus = openCorpus(spec);
    const model = ctx.loadModel();
    const t0 = performance.now();
    const fitLens = (): ReturnType<typeof fitLinearLens> => fitLinearLens(model, corpus, {
        ...corpusOptions(ctx.args),
        ...(ctx.args.string('layers-per-pass') !== undefined ? { layersPerPass: ctx.args.int('layers-per-pass', 0, 1) } : {}),
        ...ctx.jobOptions(),
      });
    if (plan || !target) return planModelJob(ctx, 'lens fit', model, fitLens, { shards: false });
    const lens = await fitLens();
    const fit = { model: model.name, corpus: spec, positions: lens.positions, r2: lens.r2.map((x) => Number(x.toFixed(6))), ranks: lens.ranks };
    await writeOutputFolder(target, (tmp) => {
      writeLinearLens(join(tmp, LINEAR_LENS_FILE), model, lens);
      writeFileSync(join(tmp, 'fit.json'), `${JSON.stringify(fit, null, 1)}\n`);
    });
    ctx.print({ out: target.arg, file: join(target.arg, LINEAR_LENS_FILE), ...fit, passes: lens.passes, seconds: Math.round(performance.now() - t0) / 1000 });
  },
};

export const lensLanguagesCommand: Command = {
  name: 'languages',
  usage: 'lens languages [--model DIR] --corpus FILE|DIR|udhr:CODES --out DIR [--min-count N] [--languages fr,en] [--overwrite] [--plan]',
  summary: `p(language | token) for every token from per-language counts (methods §8); writes DIR/${PROFILE_FILE} and DIR/token-languages.json`,
  options: {
    ...MODEL_OPTION,
    ...CORPUS_OPTIONS,
    'min-count': { kind: 'string', help: `occurrences below which a token falls back to its script, else unknown (default ${DEFAULT_MIN_COUNT})` },
    out: { kind: 'string', help: 'output folder' },
    overwrite: { kind: 'flag', help: 'replace an earlier `lens languages` folder of ours' },
    ...PLAN_FLAG,
  },
  async run(ctx) {
    const spec = ctx.args.required('corpus');
    const plan = ctx.args.flag('plan');
    const target = plan && !ctx.args.string('out') ? undefined : ctx.planOut('folder', { inputs: [corpusInput(spec)], tool: 'polyglot-lens lens languages' });
    const corpus = openCorpus(spec);
    const model = ctx.loadModel();
    const count = (): ReturnType<typeof countTokenLanguages> => countTokenLanguages(model, corpus, { ...corpusOptions(ctx.args), minCount: ctx.args.int('min-count', DEFAULT_MIN_COUNT, 1), ...ctx.jobOptions() });
    if (plan || !target) return planModelJob(ctx, 'lens languages', model, count, { shards: false });
    const p = await count();
    const rows = { counts: 0, case: 0, script: 0, unknown: 0 };
    const names = { [RowSource.Counts]: 'counts', [RowSource.Case]: 'case', [RowSource.Script]: 'script', [RowSource.Unknown]: 'unknown' } as const;
    for (const s of p.source) rows[names[s as keyof typeof names]]++;
    const C = p.languages.length + 1;
    const claimed = p.languages.map((_, l) => {
      let n = 0;
      for (let v = 0; v < p.vocabSize; v++) if (p.matrix[v * C + l]! >= 0.5) n++;
      return n;
    });
    const summary = {
      model: model.name,
      corpus: spec,
      languages: p.languages,
      scripts: Object.fromEntries(p.languages.map((l, i) => [l, p.scripts[i]])),
      tokensCounted: Object.fromEntries(p.languages.map((l, i) => [l, p.totals[i]])),
      tokensClaimed: Object.fromEntries(p.languages.map((l, i) => [l, claimed[i]])),
      rows,
      minCount: p.minCount,
    };
    await writeOutputFolder(target, (tmp) => {
      writeProfile(join(tmp, PROFILE_FILE), model, p, { tool: 'polyglot-lens lens languages' });
      writeFileSync(join(tmp, 'token-languages.json'), `${JSON.stringify(summary, null, 1)}\n`);
    });
    ctx.print({ out: target.arg, file: join(target.arg, PROFILE_FILE), ...summary });
  },
};

/** Whether a file is an items file `lens build` wrote (its first line has prompt, answers and task). */
function isItemsFile(file: string): boolean {
  try {
    // The first line only, through the checked descriptor (never a FIFO, never the whole file).
    const head = withUserFile(file, 'data', ({ fd }) => readAt(file, fd, 0, 1 << 20)).toString('utf8');
    const first = JSON.parse(head.split('\n', 1)[0]!) as Record<string, unknown>;
    return typeof first.prompt === 'string' && typeof first.answers === 'object' && typeof first.task === 'string';
  } catch {
    return false;
  }
}

export const lensBuildCommand: Command = {
  name: 'build',
  usage: 'lens build --words FILE.jsonl|FILE.tsv --task translate|repeat|cloze --tgt LANG [--src LANG] [--shots K] [--seed S] [--format wendler|polyglot] [--sentences FILE.jsonl] --out ITEMS.jsonl [--overwrite]',
  summary: 'dataset items for `lens --dataset` from a parallel word list (Wendler et al.\'s translation, repetition and cloze prompts)',
  options: {
    ...MODEL_OPTION,
    words: { kind: 'string', help: 'word list: JSONL {"en": "cat", "fr": "chat", …} per line, or TSV with a header row of language codes' },
    task: { kind: 'string', help: 'translate, repeat or cloze' },
    src: { kind: 'string', help: 'source language (translate)' },
    tgt: { kind: 'string', help: 'target language' },
    shots: { kind: 'string', help: `demonstrations per prompt (default ${DEFAULT_SHOTS})` },
    seed: { kind: 'string', help: 'seed of the demonstration draw (default 0)' },
    format: { kind: 'string', help: 'wendler (default: French: "chat" - Japanese: "猫") or polyglot (methods §3: French: chat</s>Japanese: 猫</s>, with the model\'s EOS)' },
    sentences: { kind: 'string', help: 'cloze: a {"lang", "text"} JSONL corpus holding the target words' },
    out: { kind: 'string', help: 'the items file to write' },
    overwrite: { kind: 'flag', help: 'replace an earlier items file of ours' },
  },
  async run(ctx) {
    const a = ctx.args;
    const words = a.required('words');
    const task = a.required('task') as LensTask;
    if (!LENS_TASKS.includes(task)) throw new UserError('--task', `must be one of ${LENS_TASKS.join(', ')}, got ${JSON.stringify(task)}`);
    const lang = (name: string): string | undefined => {
      const v = a.string(name);
      if (v === undefined) return undefined;
      const code = normalizeLanguage(v);
      if (!code) throw new UserError(`--${name}`, `${JSON.stringify(v)} is not a language code`);
      return code;
    };
    const format = (a.string('format') ?? 'wendler') as PromptFormat;
    if (format !== 'wendler' && format !== 'polyglot') throw new UserError('--format', `must be wendler or polyglot, got ${JSON.stringify(format)}`);
    const sentencesFile = a.string('sentences');
    const target = ctx.planOut('file', { inputs: [words, sentencesFile], isOurs: isItemsFile, tool: 'polyglot-lens lens build' });
    let sentences: { lang: string; text: string }[] | undefined;
    if (sentencesFile) {
      sentences = [];
      for await (const t of corpusTexts(sentencesFile)) sentences.push(t);
    }
    // The polyglot format ends each line with the model's EOS text; only then is the tokenizer read.
    const eos = format === 'polyglot' ? eosText(ctx) : undefined;
    const { items, skipped } = buildLensItems(readWordList(words), { task, src: lang('src'), tgt: lang('tgt') ?? a.required('tgt'), shots: a.string('shots') !== undefined ? a.int('shots', DEFAULT_SHOTS, 0) : undefined, seed: a.int('seed', 0, 0), format, eos, sentences });
    await writeOutputFile(target, (tmp) => writeFileSync(tmp, jsonl(items)));
    ctx.print({ out: target.arg, items: items.length, skipped, task, format });
  },
};

function eosText(ctx: Parameters<Command['run']>[0]): string {
  const model = ctx.loadModel();
  const id = model.tokenizer.eosId;
  if (id === null) throw new UserError('--format', `${model.name} has no end-of-sequence token; use --format wendler`);
  return model.tokenizer.idToToken(id) ?? '';
}

async function* corpusTexts(spec: string): AsyncGenerator<{ lang: string; text: string }> {
  const corpus = openCorpus(spec);
  const summary = await corpus.scan();
  for (const lang of summary.languages) for await (const t of corpus.texts(lang)) yield { lang, text: t.text };
}
