// `eval` end to end through bin/polyglot-lens on the default model (the shipped demo tasks), and
// its bad-input errors: one line naming the argument or file:line, non-zero exit, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { parseResultsCsv } from '../../src/shared/results/rows';

const tmp = mkdtempSync(join(tmpdir(), 'pl-eval-cli-'));

test('eval: dense and a variant on all three demo tasks; results files, p_value rows, report page', () => {
  const out = join(tmp, 'run');
  const r = cli(['eval', '--models', 'default,default@random:0.3', '--task', 'perplexity,translate,classify', '--languages', 'en,fr', '--pairs', 'fr-en', '--limit', '3', '--max-new-tokens', '8', '--resamples', '200', '--threads', '1', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { models: string[]; table: unknown[] };
  assert.deepEqual(printed.models, ['default', 'default@random:0.3']);
  for (const f of ['results.json', 'results.csv', 'results.md', 'results.tex', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  const csv = readFileSync(join(out, 'results.csv'), 'utf8');
  assert.equal(csv.split('\n')[0], 'model,task,language,metric,value');
  const rows = parseResultsCsv(csv);
  const metrics = new Set(rows.map((x) => x.metric));
  for (const m of ['perplexity', 'bits_per_char', 'chrf', 'bleu', 'off_target_rate', 'accuracy', 'macro_f1', 'p_value']) assert.ok(metrics.has(m), m);
  // p_value rows only for the second model, one per task × language.
  const ps = rows.filter((x) => x.metric === 'p_value');
  assert.ok(ps.every((x) => x.model === 'default@random:0.3'));
  assert.deepEqual(ps.map((x) => `${x.task}:${x.language}`).sort(), ['classify:avg', 'classify:de', 'classify:en', 'classify:es', 'classify:fr', 'classify:ru', 'classify:zh', 'perplexity:avg', 'perplexity:en', 'perplexity:fr', 'translate:fr-en']);
  // Beside the two-sided p: the one-sided ones, and the Avg. value of tasks with two or more languages.
  assert.equal(rows.filter((x) => x.metric === 'p_better').length, ps.length);
  assert.equal(rows.filter((x) => x.metric === 'p_worse').length, ps.length);
  assert.deepEqual(rows.filter((x) => x.language === 'avg' && !x.metric.startsWith('p_')).map((x) => `${x.model}:${x.task}:${x.metric}`), ['default:perplexity:perplexity', 'default:classify:accuracy', 'default@random:0.3:perplexity:perplexity', 'default@random:0.3:classify:accuracy']);
  // Random pruning makes perplexity worse: never † (better) there, whatever the p-value.
  const md = readFileSync(join(out, 'results.md'), 'utf8');
  assert.ok(md.includes('| default | θ |') && md.includes('|  | θ<sub>Rand</sub> |'), md);
  assert.ok(!/θ<sub>Rand<\/sub> \| [\d.]+†/.test(md), md);
  assert.ok(md.includes('one-sided paired bootstrap'), md);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { results: { task: string; items: unknown[] }[]; bootstrap: { resamples: number } };
  assert.equal(json.bootstrap.resamples, 200);
  assert.equal(json.results.find((x) => x.task === 'translate')!.items.length, 3);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.includes('"kind":"results"'));
  const tex = readFileSync(join(out, 'results.tex'), 'utf8');
  assert.ok(tex.includes('\\documentclass{article}') && tex.includes('\\multirow{2}{*}{default} & $\\theta$ &'), tex);
  const jsonCi = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { intervals: { model: string; language: string; ci: number[] }[]; pValues: { pBetter: number; ciDelta: number[] }[] };
  assert.ok(jsonCi.intervals.some((x) => x.model === 'default' && x.language === 'avg' && x.ci[0]! <= x.ci[1]!));
  assert.ok(jsonCi.pValues.every((x) => x.pBetter > 0 && x.pBetter <= 1 && x.ciDelta.length === 2));
});

test('eval: bad input is one line naming the problem, and writes nothing', () => {
  const badJsonl = join(tmp, 'bad.jsonl');
  writeFileSync(badJsonl, '{"lang":"en","label":"English","text":"ok"}\n{"lang":"en","label":"Klingon","text":"x"}\n');
  const cases: [string[], RegExp][] = [
    [['--task', 'nope'], /^polyglot-lens: --task: unknown task "nope"/],
    [['--task', 'perplexity', '--models', 'default@wanda:0.5'], /default@wanda:0.5: wanda needs a calibration source/],
    [['--task', 'perplexity', '--models', 'default@magnitude:1.5'], /default@magnitude:1.5: must be a number strictly between 0 and 1/],
    [['--task', 'perplexity', '--models', 'no/such/folder'], /no\/such\/folder: no checkpoint folder/],
    [['--task', 'classify', '--data', badJsonl], new RegExp(`${badJsonl}:2: label "Klingon" is not one of the declared labels`)],
    [['--task', 'translate', '--pairs', 'fr-fr'], /--pairs: fr-fr: source and target are the same language/],
    [['--task', 'classify', '--metric', 'bleu'], /^polyglot-lens: --metric: bleu is a translate metric, and task translate is not declared$/m],
    [['--task', 'classify', '--metric', 'accuracy,macro_f1'], /^polyglot-lens: --metric: two metrics for task classify$/m],
  ];
  for (const [args, re] of cases) {
    const out = join(tmp, `bad-${Math.random().toString(36).slice(2)}`);
    const withModels = args.includes('--models') ? args : ['--models', 'default', ...args];
    const r = cli(['eval', ...withModels, '--out', out]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(out));
  }
});

test('a calibration shortfall is warned by eval and sweep as prune warns it, and kept in results.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-eval-warn-'));
  const cal = join(dir, 'cal.jsonl');
  writeFileSync(cal, '{"text":"Le chien blanc voit le nouveau livre."}\n{"text":"The white dog sees the new book."}\n');
  const shortfall = `${cal}: only 2 texts, fewer than the 100 sequences asked; using 2`;
  const pr = cli(['prune', '--method', 'wanda', '--sparsity', '0.5', '--calibration', cal, '--threads', '1', '--out', join(dir, 'pruned')]);
  assert.equal(pr.code, 0, pr.stderr);
  assert.ok(pr.stderr.includes(`polyglot-lens: warning: ${shortfall}`), pr.stderr);
  const spec = `default@wanda:${cal}:0.5`;
  const ev = cli(['eval', '--models', `default,${spec}`, '--task', 'perplexity', '--languages', 'fr', '--limit', '1', '--resamples', '10', '--threads', '1', '--out', join(dir, 'eval')]);
  assert.equal(ev.code, 0, ev.stderr);
  assert.ok(ev.stderr.includes(`polyglot-lens: warning: ${spec}: ${shortfall}`), ev.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'eval', 'results.json'), 'utf8')) as { models: { name: string; info?: { warnings?: string[] } }[] };
  assert.deepEqual(json.models.find((m) => m.name === spec)?.info?.warnings, [shortfall]);
  const sw = cli(['sweep', '--methods', 'wanda', '--calibrations', cal, '--sparsities', '0.5', '--task', 'perplexity', '--languages', 'fr', '--limit', '1', '--resamples', '10', '--threads', '1', '--out', join(dir, 'sweep')]);
  assert.equal(sw.code, 0, sw.stderr);
  assert.ok(sw.stderr.includes(`: ${shortfall}`), sw.stderr);
});
