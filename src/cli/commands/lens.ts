/**
 * `lens`: the latent-language lens (methods.md §8). On one prompt (--prompt TEXT or a FILE.prompt)
 * every layer's top tokens, target probabilities and language mass (JSON, a table, or DIR/lens.json
 * + DIR/report.html); over a dataset (--dataset items.jsonl --out DIR) the Wendler et al.
 * experiment. Subcommands: `lens fit` (the linear lens), `lens languages` (a token language
 * profile), `lens build` (items from a word list).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../engine/errors';
import { writeOutputFolder } from '../../engine/io/outputs';
import { runLens } from '../../engine/lens/run';
import { renderPrompt } from '../../shared/prompt';
import { deactivateMask } from '../../shared/prompt/runSettings';
import { UNKNOWN_LANGUAGE } from '../../shared/lens';
import { promptModelDir, readPromptFile } from '../promptFile';
import { lensBuildCommand, lensFitCommand, lensLanguagesCommand } from './lensTools';
import { runLensDatasetCommand } from './lensDataset';
import { lensJson, lensKind, linearLensArg, LENS_OPTIONS, profileArg } from './lensOptions';
import { writeReport } from './studyOutput';
import { MODEL_OPTION, type Command } from './types';

export const lensCommand: Command = {
  name: 'lens',
  subcommands: [lensFitCommand, lensLanguagesCommand, lensBuildCommand],
  usage: 'lens (--prompt TEXT | FILE.prompt) [--top K] [--targets a,b] [--lens logit|linear] [--linear DIR] [--languages SPEC] [--json | --out DIR]  |  lens --dataset items.jsonl --out DIR [--plan]',
  summary: 'the latent-language lens (methods §8): every layer decoded through the final norm and unembedding; per layer top tokens, target probabilities and language mass',
  options: {
    ...MODEL_OPTION,
    prompt: { kind: 'string', help: 'text, tokenized with the default special tokens' },
    top: { kind: 'string', help: 'tokens kept per layer and position (default 10)' },
    targets: { kind: 'string', help: 'comma-separated strings whose probability is reported (every token that starts one, with or without a leading space)' },
    dataset: { kind: 'string', help: 'items.jsonl of {"prompt", "answers": {"en": …, "zh": …}, "target"?}: the Wendler experiment (needs --out)' },
    target: { kind: 'string', help: 'the target language of every item (default: each item\'s "target", or its one non-English answer)' },
    resamples: { kind: 'string', help: 'bootstrap resamples for the confidence intervals (default 1000)' },
    seed: { kind: 'string', help: 'bootstrap seed (default 12345)' },
    ...LENS_OPTIONS,
    json: { kind: 'flag', help: 'print one JSON object (the documented shape)' },
    out: { kind: 'string', help: 'output folder: lens.json and report.html (with --dataset also lens.csv and items.jsonl)' },
    overwrite: { kind: 'flag', help: 'replace an earlier lens folder of ours (never any other folder)' },
    plan: { kind: 'flag', help: 'with --dataset: print the job\'s plan (sequences, tokens, forward passes, FLOPs, peak memory, a wall-time estimate from a short measured calibration) and exit without running it' },
  },
  async run(ctx) {
    const a = ctx.args;
    if (a.string('dataset') !== undefined) return runLensDatasetCommand(ctx);
    if (a.flag('plan')) throw new UserError('--plan', 'goes with --dataset (one prompt is no job to plan)');
    const [file, ...extra] = a.positionals;
    if (extra.length) throw new UserError(extra[0]!, 'unexpected argument');
    if ((a.string('prompt') === undefined) === (file === undefined)) throw new UserError('--prompt/FILE.prompt', 'give exactly one of them (or --dataset)');
    const kind = lensKind(ctx);
    let text: string;
    let modelDir: string | undefined;
    let deactivate;
    if (file !== undefined) {
      const { doc, partials } = readPromptFile(file, 'lens');
      const meta = doc.metadata;
      if (meta.polyglot.deactivate?.kind === 'language') throw new UserError(file, 'polyglot.deactivate by language needs LAPE statistics: list the neurons as L{layer}.N{index}');
      modelDir = promptModelDir(ctx, file, meta.model);
      text = renderPrompt(doc, partials, meta.polyglot.examples?.[0] ?? meta.input.default ?? {}).text;
      deactivate = deactivateMask(meta.polyglot.deactivate);
    } else {
      text = a.required('prompt');
    }
    const target = a.string('out') !== undefined ? ctx.planOut('folder', { modelDir, inputs: [file], tool: 'polyglot-lens lens' }) : undefined;
    const model = ctx.loadModel(modelDir);
    const targets = a.string('targets')?.split(',').filter((s) => s !== '');
    const r = await runLens(
      model,
      { text, k: a.int('top', 10, 1), targets, profile: await profileArg(ctx, model), linear: linearLensArg(ctx, model), deactivate },
      ctx.jobOptions(),
    );
    if (target) {
      await writeOutputFolder(target, (tmp) => {
        writeFileSync(join(tmp, 'lens.json'), `${JSON.stringify(lensJson(r, kind, true))}\n`);
        writeReport(tmp, `${model.name} — latent language`, [{ kind: 'latentLanguage', title: 'Latent language', data: r }]);
      });
      ctx.print({ out: target.arg, report: join(target.arg, 'report.html'), layers: r.layers, tokens: r.tokens.length, lens: kind });
      return;
    }
    if (a.flag('json')) {
      ctx.print(lensJson(r, kind));
      return;
    }
    // A table: the last position's top token per layer, its language, and the targets.
    const v = r.lenses.find((x) => x.kind === kind)!;
    const T = r.tokens.length;
    const lines = [`${model.name}, ${kind} lens, last token ${JSON.stringify(r.tokens[T - 1]!.text)}${r.profile ? `, languages from ${r.profile}` : ''}`];
    lines.push(['layer', 'top token', 'p', 'language', ...v.targets.map((t) => `p(${t.text})`)].join('\t'));
    for (let l = 0; l < r.layers; l++) {
      const at = (l * T + T - 1) * r.k;
      const info = r.vocab[String(v.topIds[at])]!;
      lines.push([l, JSON.stringify(info.text), Math.exp(v.topLogp[at]!).toFixed(4), r.languages.length === 0 ? '-' : info.lang >= 0 ? r.languages[info.lang] : UNKNOWN_LANGUAGE, ...v.targets.map((t) => t.p[l * T + T - 1]!.toExponential(2))].join('\t'));
    }
    ctx.write(`${lines.join('\n')}\n`);
  },
};
