/**
 * `overview --out DIR`: the README's first command. One report that tells the three studies on
 * the embedded default model in seconds, each section small (few texts, few items) and preceded by
 * one sentence of what it shows and the exact command — and editor action — that reproduces it at
 * full size on the user's own model:
 *   1. language-specific neurons per layer and language (LAPE, methods.md §2);
 *   2. the translation-feature quadrant scatter (§4);
 *   3. dense vs θ_{src-tgt} (Wanda on translation) vs θ_Rand on a translation and a zero-shot task,
 *      with † / ‡ (§3, §5);
 *   4. the instruction-language table (§6);
 *   5. a numeric-bias histogram (§7).
 * The demo data is the toy world's (examples/), which the default model was trained on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../engine/corpus/open';
import { demoFile, demoTranslation } from '../../engine/eval/demo';
import { reportScript } from '../../engine/eval/outputs';
import { resultsSections, tableOptions } from '../../engine/eval/outputs';
import { runEvaluation } from '../../engine/eval/session';
import { parseModelSpec } from '../../engine/eval/subjects';
import { prepareTask, type EvalTaskSpec } from '../../engine/eval/tasks';
import { collectFeatureStats, finishFeatures } from '../../engine/features/features';
import { writeOutputFolder } from '../../engine/io/outputs';
import { runLape } from '../../engine/lape/lape';
import { packageRoot } from '../../engine/paths';
import { scoreItems } from '../../engine/studies/bias';
import { readDataset } from '../../engine/studies/dataset';
import { compareInstructions } from '../../engine/studies/instructions';
import { biasSections, instructionTableSections } from '../../engine/studies/sections';
import { loadPromptFile, loadTask } from '../../engine/studies/taskPrompt';
import { PRIMARY_METRIC } from '../../shared/results/rows';
import { renderReportHtml, renderReportJson } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import { subjectLoader } from './evalOptions';
import { MODEL_OPTION, type Command } from './types';

/** The sizes of the first run: small enough for seconds on two cores, large enough to show each finding. */
export const OVERVIEW = {
  lapeLanguages: ['en', 'fr', 'de', 'es', 'ru', 'ja', 'zh', 'ar', 'hi', 'el', 'ko', 'th'],
  lapeTokensPerLanguage: 384,
  featureSequences: 12,
  featureLength: 128,
  calibrationSequences: 8,
  calibrationLength: 128,
  translationPairs: ['en-fr'],
  translationItems: 8,
  translationTokens: 20,
  instructionItems: 20,
  biasItems: 48,
  resamples: 1000,
} as const;

/**
 * How each section runs at full size on the user's own model: the CLI line and the editor action
 * (its title first). Tested: every option is one its command accepts, every action a contributed command.
 */
export const FULL_SIZE = {
  languageNeurons: {
    command: `./bin/polyglot-lens neurons --model YOUR_MODEL --corpus udhr:${OVERVIEW.lapeLanguages.join(',')} --out lape`,
    editor: 'Polyglot Lens: Find Language Neurons (UDHR languages picked, or the active prompt\'s polyglot.corpus; a FLORES-200 folder works as --corpus too; docs/lape-and-features.md)',
  },
  translationFeatures: {
    command: './bin/polyglot-lens features --model YOUR_MODEL --calibration fr-en=mt:fr-en --calibration fr=mono:fr --out features',
    editor: 'Polyglot Lens: Map Translation Features (100 sequences of 512 tokens per setting by default; docs/lape-and-features.md)',
  },
  pruning: {
    command: './bin/polyglot-lens eval --models YOUR_MODEL,YOUR_MODEL@wanda:mt:en-fr:0.5,YOUR_MODEL@random:0.5 --task translate,classify --corpus FLORES200_DIR --pairs en-fr --classify-prompt YOUR_TASK.prompt --data YOUR_ITEMS.jsonl --out pruning',
    editor: 'Polyglot Lens: Evaluate (polyglot.eval) on a .prompt file listing these models (examples/eval/classify.prompt), then the Results panel; sweep runs every method × calibration × sparsity (docs/cli.md)',
  },
  instructionLanguage: {
    command: './bin/polyglot-lens compare-instructions YOUR_TASK.prompt --dataset YOUR_ITEMS.jsonl --models YOUR_MODEL --out instructions',
    editor: 'Polyglot Lens: Compare Instructions… on the task\'s .prompt file, with variant files beside it (YOUR_TASK.ja.prompt, YOUR_TASK.mt.prompt; this demo: examples/studies/animal-fr.prompt; docs/studies.md)',
  },
  numericBias: {
    command: './bin/polyglot-lens bias YOUR_SCORE.prompt --dataset YOUR_ITEMS.jsonl --models BASE_MODEL,ALIGNED_MODEL --ranges 1-5,0-9,1-100 --out bias',
    editor: 'Polyglot Lens: Measure Numeric Bias… on the scoring .prompt file (this demo: examples/studies/size.prompt; by language pair: examples/studies/mtqe.prompt; docs/studies.md)',
  },
} as const;

const ex = (...p: string[]): string => join(packageRoot(), 'examples', ...p);

/** A section's lead: what it shows, the command for the full-size run on your model, and the editor action. */
function lead(title: string, what: string, full: { command: string; editor: string }): ReportSection {
  return { kind: 'text', title, data: { text: what, ...full } };
}

export const overviewCommand: Command = {
  name: 'overview',
  usage: 'overview --out DIR [--overwrite]',
  summary: 'the first run: one report telling the three studies on the default model in seconds (language neurons, translation features, pruning with †, instruction languages, numeric bias), each section with the command that runs it at full size',
  options: {
    ...MODEL_OPTION,
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an earlier output folder of ours' },
  },
  async run(ctx) {
    const t0 = performance.now();
    const target = ctx.planOut('folder', { tool: 'polyglot-lens overview' });
    const model = ctx.loadModel();
    // Wall and CPU seconds per section (the machine may be shared: CPU time says what it cost).
    const seconds: Record<string, { wall: number; cpu: number }> = {};
    const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      const s = performance.now();
      const c = process.cpuUsage();
      const r = await f();
      const d = process.cpuUsage(c);
      seconds[name] = { wall: Math.round(performance.now() - s) / 1000, cpu: Math.round((d.user + d.system) / 1000) / 1000 };
      return r;
    };
    const sections: ReportSection[] = [];
    // Ctrl-C and progress as every long command takes them (context.ts).
    const o = ctx.jobOptions();

    // 1. Language-specific neurons.
    const lape = await timed('languageNeurons', () => runLape(model, openCorpus(`udhr:${OVERVIEW.lapeLanguages.join(',')}`), { ...o, maxTokensPerLang: OVERVIEW.lapeTokensPerLanguage }));
    sections.push(
      lead('1. Language-specific neurons (LAPE, Tang et al. 2024)', `Neurons that fire for one language far more than for the others, counted per layer and language: the default model on ${OVERVIEW.lapeTokensPerLanguage} tokens of the UDHR in each of ${OVERVIEW.lapeLanguages.length} languages.`,
        FULL_SIZE.languageNeurons),
      { kind: 'languageNeurons', title: 'Language-specific neurons per layer and language', data: lape.result },
    );

    // 2. Translation features: importance on translation vs monolingual text, the quadrant scatter.
    const features = await timed('translationFeatures', async () => {
      const stats = await collectFeatureStats(model, [{ name: 'fr-en', source: 'mt:fr-en' }, { name: 'fr', source: 'mono:fr' }], { ...o, sequences: OVERVIEW.featureSequences, length: OVERVIEW.featureLength });
      return finishFeatures(stats, {});
    });
    sections.push(
      lead('2. Translation features (Kim et al. 2024)', `Each linear layer's input features placed by their importance on French→English translation prompts against French-only text (${OVERVIEW.featureSequences} sequences of ${OVERVIEW.featureLength} tokens each): the quadrants separate features that matter for translation from those that matter for the language alone.`,
        FULL_SIZE.translationFeatures),
      { kind: 'features', title: 'Translation-feature quadrant scatter (fr→en vs fr)', data: features.analysis },
    );

    // 3. Pruning: dense vs translation-calibrated Wanda vs random, translation and a zero-shot task.
    const pair = OVERVIEW.translationPairs[0]!;
    const specs = ['default', `default@wanda:mt:${pair}:0.5`, 'default@random:0.5'].map((s) => parseModelSpec(s));
    const taskSpecs: EvalTaskSpec[] = [
      { kind: 'translate', ...demoTranslation(), pairs: [...OVERVIEW.translationPairs], shots: 1, seed: 0, maxNewTokens: OVERVIEW.translationTokens, limit: OVERVIEW.translationItems },
      { kind: 'classify', data: demoFile('toyworld/animal-fr.jsonl'), template: demoFile('toyworld/animal.prompt') },
    ];
    const loader = subjectLoader(ctx, { threads: ctx.args.int('threads', 0), calibrationSequences: OVERVIEW.calibrationSequences, calibrationLength: OVERVIEW.calibrationLength });
    loader.adopt(model);
    const evaluation = await timed('pruning', async () => {
      try {
        const tasks = await Promise.all(taskSpecs.map((t) => prepareTask(t)));
        return await runEvaluation({ specs, tasks, bootstrap: { resamples: OVERVIEW.resamples, seed: 12345 }, tableMetrics: { ...PRIMARY_METRIC }, loader, tool: 'polyglot-lens overview' }, o);
      } finally {
        await loader.dispose();
      }
    });
    sections.push(
      lead('3. Pruning calibrated on translation keeps translation; random pruning does not (Kim et al. 2024)', `Dense θ against θ_{En-Fr} (Wanda, half of every block's weights pruned, calibrated on English→French translation prompts) and θ_Rand (half pruned at random): chrF on ${OVERVIEW.translationItems} held-out toy-world sentences, and zero-shot accuracy on "is the subject an animal?" (English template, 24 held-out French sentences, label scoring); † / ‡ mark a model significantly better / worse than dense θ (one-sided paired bootstrap, ${OVERVIEW.resamples} resamples, as Kim et al.) — random pruning's collapse is significant, translation-calibrated pruning's small loss is not.`,
        FULL_SIZE.pruning),
      ...resultsSections(evaluation.rows, 'Dense θ vs θ_{En-Fr} vs θ_Rand', evaluation.output.tableMetrics, tableOptions(evaluation.output)),
    );

    // 4. Instruction language.
    const task = loadTask(ex('studies', 'animal-fr.prompt'));
    const instr = await timed('instructionLanguage', () => compareInstructions({ name: 'default', model }, task, readDataset(ex('studies', 'animal-fr.jsonl'), OVERVIEW.instructionItems), { ...o, skipNeurons: true }));
    sections.push(
      lead('4. Instruction language (Enomoto et al. 2025)', `"Is the subject an animal?" on ${OVERVIEW.instructionItems} held-out French sentences with the instruction in English, in French or machine-translated, asking for English or French labels: the default model answers in the instruction's language, so crossed instruction and label languages fail, and those answers are off-target.`,
        FULL_SIZE.instructionLanguage),
      ...instructionTableSections([instr]).filter((s) => s.kind === 'table').slice(0, 3),
    );

    // 5. Numeric bias.
    const scorePrompt = loadPromptFile(ex('studies', 'size.prompt'));
    const range = { min: 1, max: 5 };
    const bias = await timed('numericBias', () => scoreItems({ name: 'default', model }, scorePrompt, readDataset(ex('studies', 'size.jsonl'), OVERVIEW.biasItems), range, o));
    sections.push(
      lead('5. Numeric bias (Sato et al.)', `How the default model spreads its 1–5 answers to "how big is the subject?" over ${OVERVIEW.biasItems} held-out toy-world sentences, beside the true sizes (gold): a peaked model piles its answers on one score; kurtosis, the modal share and Kendall τ-b with gold are in the table.`,
        FULL_SIZE.numericBias),
      ...biasSections([bias], [range], { resamples: OVERVIEW.resamples }).slice(0, 2),
    );

    const script = reportScript();
    await writeOutputFolder(target, (tmp) => {
      writeFileSync(join(tmp, 'report.html'), renderReportHtml(sections, { script, title: `Polyglot Lens — the three studies on ${model.name === 'default' ? 'the default model' : model.name}`, generatedBy: `polyglot-lens overview, ${new Date().toISOString()}` }));
      writeFileSync(join(tmp, 'report.json'), renderReportJson(sections));
    });
    ctx.print({ out: target.arg, report: join(target.arg, 'report.html'), sections: sections.length, seconds: { ...seconds, total: { wall: Math.round(performance.now() - t0) / 1000, cpu: Math.round(process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000) / 1000 } } });
  },
};
