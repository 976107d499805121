/**
 * `bias` and `compare-instructions` through the real bin on the embedded default model: every
 * number in the output files is recomputed here independently (score distributions from full
 * forwards without the KV cache, statistics from the items, rates from the outputs).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
      if (Number.isNaN(v)) assert.equal(row.value, 'NaN');
      else assert.ok(Math.abs(Number(row.value) - v) < 1e-9, `${range} ${metric}: ${row.value} vs ${v}`);
    }
  }
  assert.ok(rows.some((x) => x.language === 'en' && x.metric === 'kendall_tau_b'), 'per-language rows for items with lang');
  assert.ok(readFileSync(join(out, 'report.html'), 'utf8').includes('scoreHistograms'));
});

test('compare-instructions: outputs are the greedy continuations, answers and rates follow from them, variant neurons written', async () => {
  const out = join(tmp(), 'instr');
  const r = cli(['compare-instructions', join(EX, 'rights.prompt'), '--dataset', join(EX, 'rights-fr.jsonl'), '--limit', '4', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { variants: string[] };
  assert.deepEqual(summary.variants, ['base', 'fr', 'mt']);
  const outputs = jsonLines(readFileSync(join(out, 'outputs.jsonl'), 'utf8')) as { variant: string; prompt: string; output: string; answer: string | null; failure: string | null }[];
  assert.equal(outputs.length, 12);
  const labels: Record<string, string[]> = { base: ['yes', 'no'], fr: ['oui', 'non'], mt: ['yes', 'no'] };
  for (const o of outputs.slice(0, 5)) {
    const gen = await greedyGenerate(model, model.tokenizer.encode(o.prompt), { maxNewTokens: 8 });
    assert.equal(o.output, gen.text);
    const a = readAnswer(o.output, labels[o.variant]!);
    assert.equal(o.answer, a.kind === 'label' ? a.label : null);
  }
  assert.ok(outputs.find((o) => o.variant === 'fr')!.prompt.startsWith('La phrase suivante'));
  const rows = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
  for (const v of ['base', 'fr', 'mt']) {
    const mine = outputs.filter((o) => o.variant === v);
    const row = rows.find((x) => x.task === `rights@${v}` && x.language === 'fr' && x.metric === 'failure_rate')!;
    assert.equal(Number(row.value), mine.filter((o) => o.failure !== null).length / mine.length);
  }
  const lape = JSON.parse(readFileSync(join(out, 'variant-neurons', 'lape.json'), 'utf8')) as { languages: string[] };
  assert.deepEqual(lape.languages, ['base', 'fr', 'mt']);
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
