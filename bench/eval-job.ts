/**
 * Engine side of bench/eval.mjs. `prepare`: writes the workload (token ids of the demo
 * classification items, each label's continuation, and translation prompts) from the real task
 * code, so the PyTorch baseline scores exactly the same ids. `run`: times the engine on it.
 *   node --import tsx bench/eval-job.ts prepare MODEL_DIR OUT.json N_TRANSLATE NEW_TOKENS [N_CLASSIFY]
 *   node --import tsx bench/eval-job.ts run MODEL_DIR WORKLOAD.json THREADS RUNS
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../src/engine/model/model';
import { greedyGenerate } from '../src/engine/generate';
import { openEvalCorpora } from '../src/engine/eval/data';
import { readLabelledData } from '../src/engine/eval/datasets';
import { labelScores, labelSequences, scoreLabelsCached, scoreLabelsFull, type LabelSequences } from '../src/engine/eval/tasks/classify';
import { translationItems } from '../src/engine/eval/tasks/translate';
import { BUILTIN_TRANSLATION_TEMPLATE, loadPromptTemplate, type EvalTemplate } from '../src/engine/eval/template';

interface Workload { classify: LabelSequences[]; classifyLast: LabelSequences[]; translate: number[][]; newTokens: number }

/** The same items with the label at the end, where the shared prefix is long (the usual layout). */
const LABEL_LAST: EvalTemplate = { source: 'bench', render: (v) => `Which language is this text written in? ${String(v.text)} Answer: ${String(v.label)}` };

async function prepare(dir: string, out: string, nTranslate: number, newTokens: number, nClassify: number): Promise<void> {
  const model = LoadedModel.load(dir, { threads: 1 });
  const template = loadPromptTemplate(join('examples', 'eval', 'langid.prompt'));
  const labels = template.metadata!.polyglot.labels!;
  // Every 36/n-th item, so a subset still covers all six languages.
  const all = (await readLabelledData(join('examples', 'eval', 'langid.jsonl'), { classes: labels, labels })).items;
  const items = all.filter((_, i) => i % Math.max(1, Math.round(all.length / nClassify)) === 0);
  const classify = items.map((it) => labelSequences({ name: 'x', model }, template, it.vars, labels, it.where));
  const classifyLast = items.map((it) => labelSequences({ name: 'x', model }, LABEL_LAST, it.vars, labels, it.where));
  const { test, dev } = openEvalCorpora('udhr:fr,en');
  const eos = model.tokenizer.eosId !== null ? model.tokenizer.idToToken(model.tokenizer.eosId)! : '';
  const tr = await translationItems(test, dev, 'fr', 'en', eos, { template: BUILTIN_TRANSLATION_TEMPLATE, shots: 1, seed: 0, limit: nTranslate });
  const w: Workload = { classify, classifyLast, translate: tr.map((t) => model.tokenizer.encode(t.prompt)), newTokens };
  writeFileSync(out, JSON.stringify(w));
  console.log(JSON.stringify({ classify: classify.length, labels: labels.length, translate: w.translate.length, promptTokens: w.translate.map((p) => p.length) }));
}

async function best<T>(runs: number, fn: () => Promise<T>): Promise<[number, T]> {
  let t = Infinity;
  let r: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    r = await fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return [t, r!];
}

async function run(dir: string, workload: string, threads: number, runs: number): Promise<void> {
  const w = JSON.parse(readFileSync(workload, 'utf8')) as Workload;
  const model = LoadedModel.load(dir, { threads });
  const subject = { name: 'bench', model };
  const predict = async (full: boolean, set = w.classify): Promise<number[]> => {
    const out: number[] = [];
    for (const s of set) {
      const scores = labelScores(full ? await scoreLabelsFull(subject, s) : await scoreLabelsCached(subject, s), 'sequence-mean');
      out.push(scores.indexOf(Math.max(...scores)));
    }
    return out;
  };
  await predict(false); // build the sessions once, outside the timing
  await predict(true);
  await greedyGenerate(model, w.translate[0]!, { maxNewTokens: 2, stopIds: [] });
  const [tc, preds] = await best(runs, () => predict(false));
  const [tf, predsFull] = await best(runs, () => predict(true));
  const [tl, predsLast] = await best(runs, () => predict(false, w.classifyLast));
  const [tlf] = await best(runs, () => predict(true, w.classifyLast));
  // One label alone (prefix + that label, no cache): the cost of "one item" the shortcut is compared with.
  const [t1] = await best(runs, () => predict(true, w.classifyLast.map((s) => ({ prefix: s.prefix, continuations: [s.continuations[0]!] }))));
  const [tt, gen] = await best(runs, async () => {
    const g: number[][] = [];
    for (const p of w.translate) g.push((await greedyGenerate(model, p, { maxNewTokens: w.newTokens, stopIds: [] })).generatedIds);
    return g;
  });
  console.log(JSON.stringify({
    classify_items_s: w.classify.length / tc,
    classify_full_items_s: w.classify.length / tf,
    translate_items_s: w.translate.length / tt,
    classify_last_items_s: w.classify.length / tl,
    classify_last_full_items_s: w.classify.length / tlf,
    one_label_items_s: w.classify.length / t1,
    predictions: preds,
    predictions_last: predsLast,
    predictions_full: predsFull,
    generated: gen,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
  await model.dispose();
}

const [cmd, dir, a, b, c, d] = process.argv.slice(2);
if (cmd === 'prepare') void prepare(dir!, a!, Number(b ?? 10), Number(c ?? 16), Number(d ?? 36));
else if (cmd === 'run') void run(dir!, a!, Number(b ?? 2), Number(c ?? 3));
else throw new Error('usage: eval-job.ts prepare|run …');
