/**
 * `bias` and `compare-instructions` through the real bin on the embedded default model: every
 * number in the output files is recomputed here independently (score distributions from full
 * forwards without the KV cache, statistics from the items, rates from the outputs).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { greedyGenerate } from '../../src/engine/generate';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { excessKurtosis, kendallTauB, pearson, spearman } from '../../src/engine/stats/correlation';
import { readAnswer } from '../../src/engine/studies/answers';
import { cli, jsonLines, ROOT } from '../helpers/cli';
import { directDistribution } from './direct';

const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
after(() => model.dispose());
const tmp = (): string => mkdtempSync(join(tmpdir(), 'pl-study-'));
const EX = join(ROOT, 'examples', 'studies');

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

test('bias: items.jsonl distributions equal direct scoring; results.csv equals the statistics of items.jsonl', async () => {
  const out = join(tmp(), 'bias');
  const r = cli(['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--limit', '6', '--ranges', '1-5,0-9', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const items = jsonLines(readFileSync(join(out, 'items.jsonl'), 'utf8')) as { model: string; range: string; index: number; prompt: string; scores: number[]; distribution: number[]; argmax: number; expected: number; gold: number }[];
  assert.equal(items.length, 12);
  for (const it of items.filter((i) => i.index < 2)) {
    assert.ok(it.prompt.endsWith('Score:'), 'the exact rendered text is recorded');
    assert.ok(it.prompt.includes(`from ${it.scores[0]} (broken) to ${it.scores.at(-1)} (perfect)`), 'the template saw the range');
    const want = await directDistribution(model, it.prompt, it.scores);
    it.distribution.forEach((p, k) => assert.ok(Math.abs(p - want[k]!) < 1e-5, `${it.range} item ${it.index} score ${it.scores[k]}: ${p} vs ${want[k]}`));
    assert.equal(it.argmax, it.scores[want.indexOf(Math.max(...want))]);
  }
  const rows = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
  assert.equal(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[0], 'model,task,language,metric,value');
  for (const range of ['1-5', '0-9']) {
    const mine = items.filter((i) => i.range === range);
    const gold = mine.map((i) => i.gold);
    const want: Record<string, number> = {
      kurtosis: excessKurtosis(mine.map((i) => i.argmax)),
      kendall_tau_b: kendallTauB(mine.map((i) => i.argmax), gold),
      pearson: pearson(mine.map((i) => i.argmax), gold),
      spearman_expected: spearman(mine.map((i) => i.expected), gold),
    };
    for (const [metric, v] of Object.entries(want)) {
      const row = rows.find((x) => x.task === `quality:${range}` && x.language === 'all' && x.metric === metric);
      assert.ok(row, `${range} ${metric} row`);
      if (Number.isNaN(v)) assert.equal(row.value, '', 'undefined: an empty field, as in eval\'s results.csv');
      else assert.ok(Math.abs(Number(row.value) - v) < 1e-9, `${range} ${metric}: ${row.value} vs ${v}`);
    }
  }
  assert.ok(rows.some((x) => x.language === 'en' && x.metric === 'kendall_tau_b'), 'per-language rows for items with lang');
  assert.ok(readFileSync(join(out, 'report.html'), 'utf8').includes('scoreHistograms'));
});

test('bias by language pair with a variant as the second model: one row per pair × post model × range, gold beside pre/post, intervals in results.csv', () => {
  const out = join(tmp(), 'pairs');
  // The first 24 items are the en-fr and en-de pairs; a variant entry was refused before ("model folder does not exist").
  const r = cli(['bias', join(EX, 'mtqe.prompt'), '--dataset', join(EX, 'mtqe.jsonl'), '--limit', '24', '--models', 'default,default@magnitude:0.3', '--resamples', '100', '--threads', '1', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { models: string[]; metrics: { model: string; kurtosis: number | null; undefined: Record<string, string> }[] };
  assert.deepEqual(printed.models, ['default', 'default@magnitude:0.3']);
  for (const m of printed.metrics) if (m.kurtosis === null) assert.match(m.undefined.kurtosis!, /^undefined: every answer is \d$/);
  const rows = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
  assert.deepEqual([...new Set(rows.map((x) => x.language))], ['all', 'en-fr', 'en-de']);
  for (const pair of ['en-fr', 'en-de', 'all']) {
    for (const metric of ['gold_kurtosis', 'mode_share', 'entropy']) assert.ok(rows.some((x) => x.model === 'default' && x.language === pair && x.metric === metric), `${pair} ${metric}`);
    for (const metric of ['delta_kendall_tau_b', 'delta_kendall_tau_b_ci_low', 'delta_kurtosis_ci_high', 'delta_mode_share']) assert.ok(rows.some((x) => x.model === 'default@magnitude:0.3' && x.language === pair && x.metric === metric), `${pair} ${metric}`);
  }
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { version: number; sections: { kind: string; title: string; data: { columns?: string[]; rows?: unknown[][] } }[] };
  assert.equal(report.version, 1);
  const table = report.sections.find((x) => x.kind === 'table' && x.data.columns?.[0] === 'pair')!;
  assert.deepEqual(table.data.rows!.map((row) => `${row[0]}|${row[1]}|${row[2]}`), ['en-fr|default@magnitude:0.3|1-5', 'en-de|default@magnitude:0.3|1-5', 'all|default@magnitude:0.3|1-5']);
  assert.ok(table.data.columns!.includes('kurtosis gold') && table.data.columns!.includes('Δτ-b [95% CI]'));
  assert.ok(!JSON.stringify(table.data.rows).includes('NaN') && !table.data.rows!.flat().includes(null));
  // The histogram as figure files a paper can include: its bars are items.jsonl's argmax shares, gold beside them.
  assert.deepEqual(readdirSync(join(out, 'figures')).sort(), ['score-histogram-1-5.png', 'score-histogram-1-5.svg']);
  const svg = readFileSync(join(out, 'figures', 'score-histogram-1-5.svg'), 'utf8');
  assert.match(svg, /^<\?xml[^>]*>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const items = jsonLines(readFileSync(join(out, 'items.jsonl'), 'utf8')) as { model: string; argmax: number; gold: number }[];
  const bars = new Map([...svg.matchAll(/data-model="([^"]+)" data-score="(\d+)" data-share="([\d.]+)"/g)].map((m) => [`${m[1]}|${m[2]}`, Number(m[3])]));
  for (const m of printed.models) {
    const mine = items.filter((x) => x.model === m);
    for (let score = 1; score <= 5; score++) assert.equal(bars.get(`${m}|${score}`), Number((mine.filter((x) => x.argmax === score).length / mine.length).toFixed(4)), `${m} ${score}`);
  }
  const golds = items.filter((x) => x.model === 'default');
  for (let score = 1; score <= 5; score++) assert.equal(bars.get(`gold|${score}`), Number((golds.filter((x) => x.gold === score).length / golds.length).toFixed(4)), `gold ${score}`);
  assert.deepEqual([...readFileSync(join(out, 'figures', 'score-histogram-1-5.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(report.sections.some((x) => x.kind === 'table' && x.title.startsWith('Figures') && JSON.stringify(x.data.rows).includes('figures/score-histogram-1-5.svg')));
});

test('compare-instructions: outputs are the greedy continuations, answers and rates follow from them, variant neurons written', async () => {
  const out = join(tmp(), 'instr');
  const r = cli(['compare-instructions', join(EX, 'rights.prompt'), '--dataset', join(EX, 'rights-fr.jsonl'), '--limit', '4', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { results: { variants: string[]; languages: Record<string, { instruction: string | null; labels: string | null }> }[] };
  assert.deepEqual(summary.results[0]!.variants, ['en', 'fr', 'mt'], 'the base file is named by its variant key');
  assert.deepEqual(summary.results[0]!.languages.mt, { instruction: null, machineTranslated: true, labels: 'en' });
  const outputs = jsonLines(readFileSync(join(out, 'outputs.jsonl'), 'utf8')) as { variant: string; prompt: string; output: string; answer: string | null; failure: string | null; model: string }[];
  assert.equal(outputs.length, 12);
  assert.ok(outputs.every((o) => o.model === 'default'));
  const labels: Record<string, string[]> = { en: ['yes', 'no'], fr: ['oui', 'non'], mt: ['yes', 'no'] };
  for (const o of outputs.slice(0, 5)) {
    const gen = await greedyGenerate(model, model.tokenizer.encode(o.prompt), { maxNewTokens: 8 });
    assert.equal(o.output, gen.text);
    const a = readAnswer(o.output, labels[o.variant]!);
    assert.equal(o.answer, a.kind === 'label' ? a.label : null);
  }
  assert.ok(outputs.find((o) => o.variant === 'fr')!.prompt.startsWith('La phrase suivante'));
  const rows = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
  for (const v of ['en', 'fr', 'mt']) {
    const mine = outputs.filter((o) => o.variant === v);
    const row = rows.find((x) => x.task === `rights@${v}` && x.language === 'fr' && x.metric === 'failure_rate')!;
    assert.equal(Number(row.value), mine.filter((o) => o.failure !== null).length / mine.length);
  }
  const lape = JSON.parse(readFileSync(join(out, 'variant-neurons', 'lape.json'), 'utf8')) as { languages: string[] };
  assert.deepEqual(lape.languages, ['en', 'fr', 'mt']);
});

test('compare-instructions with two model entries (a variant too): the paper\'s tables per model, McNemar marks, off-target judged on short answers', () => {
  const out = join(tmp(), 'instr-models');
  const r = cli(['compare-instructions', join(EX, 'animal-fr.prompt'), '--dataset', join(EX, 'animal-fr.jsonl'), '--limit', '12', '--models', 'default,default@magnitude:0.3', '--threads', '1', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { models: string[]; results: { model: string; roles: Record<string, { accuracy: number; mark?: string }>; offTargetRate: Record<string, number>; variantNeurons: unknown; onlyUnderOneVariant: Record<string, number> | null }[] };
  assert.deepEqual(printed.results.map((x) => x.model), ['default', 'default@magnitude:0.3']);
  const dense = printed.results[0]!;
  // The default model was trained on English/English and French/French only; crossing them fails.
  assert.deepEqual(Object.keys(dense.roles), ['English instruction, English labels', 'English instruction, target labels', 'target instruction, English labels', 'target instruction, target labels', 'machine-translated instruction, target labels']);
  assert.equal(dense.roles['English instruction, English labels']!.accuracy, 1);
  assert.equal(dense.roles['target instruction, English labels']!.mark, '‡');
  assert.ok(dense.offTargetRate.English! > 0, 'answers in the instruction\'s language, not the labels\', are off-target (was always 0)');
  assert.ok(dense.onlyUnderOneVariant && Object.values(dense.onlyUnderOneVariant).some((n) => n > 0));
  assert.equal(printed.results[1]!.variantNeurons, null, 'no LAPE on a pruning variant');
  const outputs = jsonLines(readFileSync(join(out, 'outputs.jsonl'), 'utf8')) as { model: string; variant: string; output: string; offTarget: boolean | null; judgedBy: string; detected: string }[];
  const crossed = outputs.filter((o) => o.model === 'default' && o.variant === 'en_fr');
  assert.ok(crossed.every((o) => /^\s*(yes|no)\b/.test(o.output) && o.offTarget === true && o.judgedBy === 'other-label' && o.detected === 'en'), JSON.stringify(crossed.slice(0, 2)));
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { sections: { kind: string; title: string; data: { columns?: string[]; rows?: unknown[][] } }[] };
  const acc = report.sections.find((x) => x.kind === 'table' && x.title.startsWith('Accuracy by instruction language × label language'))!;
  assert.deepEqual(acc.data.columns, ['model', 'task', 'instruction', 'English labels', 'target-language labels']);
  assert.ok(acc.data.rows!.some((row) => row[0] === 'default@magnitude:0.3'));
  assert.match(String(acc.data.rows!.find((row) => row[0] === 'default' && row[2] === 'target')![3]), /^0\.000‡ \(n=12; p=/);
  assert.ok(report.sections.some((x) => x.kind === 'table' && x.title.startsWith('Neurons active under only one instruction variant')));
});

test('study bad input: one line naming the file or argument, exit 1, nothing written; --out checked before any scoring', () => {
  const dir = tmp();
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"text": "a", "gold": 3}\nnot json\n');
  const cases: [string[], RegExp][] = [
    [['bias', join(EX, 'quality.prompt'), '--dataset', bad, '--out', join(dir, 'o1')], /bad\.jsonl:2: not a JSON object/],
    [['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--ranges', '5-1', '--out', join(dir, 'o2')], /score range max \(1\) must be above min \(5\)/],
    [['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--ranges', 'one-five', '--out', join(dir, 'o3')], /--ranges: "one-five" is not a range/],
    [['bias', join(EX, 'rights.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--out', join(dir, 'o4')], /rights\.prompt: no score range/],
    [['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--out', EX], /contains .*quality\.prompt, which this command reads|output folder already exists/],
    [['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--out', dir], /output folder already exists/],
    [['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--out', join(dir, 'o7'), '--models', `default,${join(dir, 'no-model')}`], /no-model/],
    [['compare-instructions', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--out', join(dir, 'o5')], /needs at least two instruction variants/],
    [['compare-instructions', join(EX, 'rights.prompt'), '--dataset', join(dir, 'missing.jsonl'), '--out', join(dir, 'o6')], /missing\.jsonl: dataset not found/],
  ];
  for (const [args, want] of cases) {
    // A ceiling, not a timing: a refusal that hung would be killed here and fail below.
    const r = cli(args, { timeoutMs: 120_000 });
    assert.equal(r.code, 1, `${args.join(' ')}\n${r.stdout}`);
    assert.match(r.stderr, want);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  for (const o of ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7']) assert.ok(!existsSync(join(dir, o)));
});
