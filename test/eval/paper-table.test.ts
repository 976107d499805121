// Study 1's tables as Kim et al. print them: rows named θ, θ_Rand, θ_{Fr-En}, θ^{Prog}_{Zh-En},
// LRP2 (or the user's labels), grouped by base model, a column per language plus Avg., bold best,
// † = significantly better than dense θ by the one-sided paired bootstrap (default), ‡ = worse;
// the two-sided option; intervals; LaTeX (booktabs, multirow) that compiles, and Markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapAll, resultRows, AVERAGE_LANGUAGE, type ModelResults } from '../../src/engine/eval/evaluate';
import { analyseResults, presentation } from '../../src/engine/eval/session';
import { evalOutput, resultsFiles, tableOptions } from '../../src/engine/eval/outputs';
import { buildResultsTable, formatValue } from '../../src/shared/results/table';
import { resultsLatex, resultsMarkdown } from '../../src/shared/results/format';
import { labelLatex, labelMarkdown, labelPlain, labelSvg, modelLabels, paperLabel, parseLabel } from '../../src/shared/results/labels';
import { accuracyFromStats } from '../../src/engine/eval/metrics/classification';
import { parseResultsCsv, PRIMARY_METRIC } from '../../src/shared/results/rows';
import { resultsTableModel, taskCharts } from '../../webview/render/results';
import { LIGHT_THEME } from '../../webview/render/color';

interface Case { metric: string; seed: number; resamples: number; a: number[][]; b: number[][]; p: number; p_better: number; p_worse: number; ci_a: number[] }
const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eval', 'bootstrap-one-sided.json'), 'utf8')) as { tests: Case[] };
// Accuracy, seed 7, 40 items: system b is significantly worse than a (one-sided p 0.007), and a better than b.
const acc7 = ref.tests.find((c) => c.metric === 'accuracy' && c.seed === 7)!;
const acc12345 = ref.tests.find((c) => c.metric === 'accuracy' && c.seed === 12345)!;

test('paper row names from model entries; labels as LaTeX, Markdown, SVG and text', () => {
  assert.equal(paperLabel('default'), 'θ');
  assert.equal(paperLabel('models/xglm-564M'), 'θ');
  assert.equal(paperLabel('default@random:0.5'), 'θ_Rand');
  assert.equal(paperLabel('default@wanda:mt:fr-en:0.5'), 'θ_{Fr-En}');
  assert.equal(paperLabel('default@wanda:mono:fr:0.5'), 'θ_{Fr}');
  assert.equal(paperLabel('default@prog:mt:zh-en+code:src/**/*.ts:0.5'), 'θ^Prog_{Zh-En}');
  assert.equal(paperLabel('default@lrp2:fr:2-4'), 'LRP2');
  assert.equal(paperLabel('default@magnitude:0.3'), 'θ_Mag');
  // Two rows of one group that would share a name get their sparsity; a user's label wins.
  assert.deepEqual(modelLabels(['default', 'default@wanda:mt:fr-en:0.3', 'default@wanda:mt:fr-en:0.5', 'other', 'other@random:0.5'], [undefined, undefined, 'mine']),
    ['θ', 'θ_{Fr-En}', 'mine', 'θ', 'θ_Rand']);
  assert.deepEqual(modelLabels(['default', 'default@wanda:mt:fr-en:0.3', 'default@wanda:mt:fr-en:0.5']), ['θ', 'θ_{Fr-En} 30%', 'θ_{Fr-En} 50%']);
  assert.deepEqual(parseLabel('θ^{Prog}_{Zh-En}'), [{ kind: 'text', text: 'θ' }, { kind: 'sup', text: 'Prog' }, { kind: 'sub', text: 'Zh-En' }]);
  assert.equal(labelLatex('θ^{Prog}_{Zh-En}'), '$\\theta^{\\text{Prog}}_{\\text{Zh-En}}$');
  assert.equal(labelLatex('θ_Rand'), '$\\theta_{\\text{Rand}}$');
  assert.equal(labelLatex('LRP2'), 'LRP2');
  assert.equal(labelLatex('my\\_model & co'), 'my\\_model \\& co');
  assert.equal(labelMarkdown('θ^{Prog}_{Zh-En}'), 'θ<sup>Prog</sup><sub>Zh-En</sub>');
  assert.equal(labelPlain('θ^{Prog}_{Zh-En}'), 'θ^Prog_{Zh-En}');
  assert.equal(labelSvg('θ_{Fr-En}', 10), 'θ<tspan dy="3" font-size="7.5">Fr-En</tspan><tspan dy="-3"></tspan>');
});

function models(): ModelResults[] {
  const r = (task: 'classify', language: string, stats: number[][]) => ({ task, language, metrics: { accuracy: accuracyFromStats(stats.reduce((s, x) => [s[0]! + x[0]!, s[1]! + x[1]!], [0, 0])) }, stats: { classify: stats }, items: [], itemsPerSecond: 1 });
  return [
    { model: 'default', results: [r('classify', 'fr', acc7.a), r('classify', 'de', acc12345.a)] },
    { model: 'default@random:0.5', results: [r('classify', 'fr', acc7.b), r('classify', 'de', acc12345.b)] },
    { model: 'default@wanda:mt:fr-en:0.5', results: [r('classify', 'fr', acc7.a), r('classify', 'de', acc12345.a)] },
    // A second model group: its variant is tested against its own dense model, and it is better.
    { model: 'other', results: [r('classify', 'fr', acc7.b), r('classify', 'de', acc12345.b)] },
    { model: 'other@wanda:mt:fr-en:0.5', results: [r('classify', 'fr', acc7.a), r('classify', 'de', acc12345.b)] },
  ];
}

test('one-sided tests against each group\'s dense model equal the reference; rows carry p_better, p_worse and the Avg.', () => {
  const all = models();
  const p = presentation(all.map((m) => m.model));
  assert.deepEqual(p.baselines, { default: 'default', 'default@random:0.5': 'default', 'default@wanda:mt:fr-en:0.5': 'default', other: 'other', 'other@wanda:mt:fr-en:0.5': 'other' });
  const { sig, rows } = analyseResults(all, { resamples: acc7.resamples, seed: acc7.seed }, { ...PRIMARY_METRIC }, p);
  const get = (model: string, language: string, metric: string): number | null | undefined => rows.find((x) => x.model === model && x.language === language && x.metric === metric)?.value;
  // fr: 40 items, seed 7, 1000 resamples: the reference's numbers.
  const worse = ref.tests.find((c) => c.metric === 'accuracy' && c.seed === 7 && c.p_worse < 0.05)!;
  const better = ref.tests.find((c) => c.metric === 'accuracy' && c.seed === 7 && c.p_better < 0.05)!;
  assert.equal(get('default@random:0.5', 'fr', 'p_worse'), worse.p_worse);
  assert.equal(get('default@random:0.5', 'fr', 'p_better'), 1);
  assert.equal(get('default@random:0.5', 'fr', 'p_value'), worse.p);
  assert.equal(get('other@wanda:mt:fr-en:0.5', 'fr', 'p_better'), better.p_better);
  assert.equal(get('default@wanda:mt:fr-en:0.5', 'fr', 'p_value'), 1, 'identical to dense');
  assert.equal(get('default', 'fr', 'p_value'), undefined, 'no test of a group\'s own baseline');
  // Avg.: the mean of the languages, tested with the stratified bootstrap.
  assert.equal(get('default', AVERAGE_LANGUAGE, 'accuracy'), (acc7.a.filter((x) => x[0]).length / 40 + acc12345.a.filter((x) => x[0]).length / 25) / 2);
  assert.ok(get('default@random:0.5', AVERAGE_LANGUAGE, 'p_worse')! < 0.05);
  // Intervals: every model, every language and the average; the dense fr interval is the reference's.
  const ci = sig.intervals.find((x) => x.model === 'default' && x.language === 'fr')!.ci;
  assert.deepEqual(ci, acc7.ci_a.map((v) => v));
  assert.ok(sig.intervals.some((x) => x.model === 'other' && x.language === AVERAGE_LANGUAGE));
  assert.equal(sig.averages.length, 5);
  // results.csv round-trips the new rows.
  assert.equal(rows.filter((x) => x.language === AVERAGE_LANGUAGE && x.metric === 'accuracy').length, 5);
  assert.deepEqual(resultRows(all, sig), resultRows(all, bootstrapAll(all, { resamples: acc7.resamples, seed: acc7.seed, baselines: p.baselines })));
});

test('the paper table: groups, labels, Avg. column, † for better and ‡ for worse (one-sided), two-sided on request', () => {
  const all = models();
  const p = presentation(all.map((m) => m.model));
  const { sig, rows } = analyseResults(all, { resamples: 1000, seed: 7 }, { ...PRIMARY_METRIC }, p);
  const out = evalOutput('test', all, [], { resamples: 1000, seed: 7 }, sig, rows, { ...PRIMARY_METRIC }, p);
  const t = buildResultsTable(rows, PRIMARY_METRIC, tableOptions(out));
  assert.equal(t.significance, 'one-sided');
  assert.deepEqual(t.columns.map((c) => `${c.language}${c.average ? '*' : ''}`), ['fr', 'de', 'avg*']);
  assert.deepEqual(t.labels, ['θ', 'θ_Rand', 'θ_{Fr-En}', 'θ', 'θ_{Fr-En}']);
  assert.deepEqual(t.groups, ['default', 'default', 'default', 'other', 'other']);
  const marks = t.cells.map((row) => row.map((c) => c?.mark ?? '-').join(','));
  // θ_Rand is significantly worse in fr and on average (‡), never †; the other group's variant is better in fr (†).
  assert.equal(marks[1], 'worse,-,worse');
  assert.equal(marks[2], '-,-,-');
  assert.equal(marks[4]!.split(',')[0], 'better');
  assert.equal(t.cells[0]![2]!.value, (t.cells[0]![0]!.value! + t.cells[0]![1]!.value!) / 2);
  // Bold: best of each column within its group (θ and θ_{Fr-En} tie in the first group).
  assert.deepEqual(t.cells.map((row) => row[0]!.best), [true, false, true, false, true]);
  const md = resultsMarkdown(t);
  assert.ok(md.startsWith('| model |  | fr | de | Avg. |\n|---|---|---:|---:|---:|\n| default | θ | **'), md);
  assert.ok(md.includes('|  | θ<sub>Rand</sub> | '), md);
  assert.ok(/θ<sub>Rand<\/sub> \| [\d.]+‡ \| [\d.]+ \| [\d.]+‡ \|/.test(md), md);
  assert.ok(md.includes('one-sided paired bootstrap'), md);
  const tex = resultsLatex(t);
  for (const piece of ['\\usepackage{booktabs}', '\\usepackage{multirow}', '\\toprule', '\\midrule', '\\bottomrule', '\\multirow{3}{*}{default}', '\\multirow{2}{*}{other}',
    '\\multicolumn{3}{c}{classify (acc.)}', '\\cmidrule(lr){3-5}', '$\\theta_{\\text{Rand}}$', '$^{\\ddagger}$', '$^{\\dagger}$', 'Model & & fr & de & Avg. \\\\', 'one-sided paired bootstrap']) {
    assert.ok(tex.includes(piece), `${piece} in\n${tex}`);
  }
  // Two-sided: the sacreBLEU p with the direction of the change; the caption says which.
  const two = buildResultsTable(rows, PRIMARY_METRIC, { ...tableOptions(out), significance: 'two-sided' });
  assert.equal(two.significance, 'two-sided');
  assert.equal(two.cells[1]![0]!.mark, 'worse');
  assert.ok(resultsMarkdown(two).includes('two-sided'));
  // The files, the panel model and the charts show the same marks.
  const files = resultsFiles(out, '', 'T');
  assert.equal(files['results.md'], md);
  assert.deepEqual(parseResultsCsv(files['results.csv']), rows);
  const json = JSON.parse(files['results.json']) as { significance: unknown; intervals: unknown[]; models: { name: string; label: string; group: string; against: string | null }[]; results: { ci: Record<string, number[]> }[] };
  assert.deepEqual(json.significance, { test: 'one-sided', level: 0.05 });
  assert.deepEqual(json.models.map((m) => [m.label, m.group, m.against]), [['θ', 'default', null], ['θ_Rand', 'default', 'default'], ['θ_{Fr-En}', 'default', 'default'], ['θ', 'other', null], ['θ_{Fr-En}', 'other', 'other']]);
  assert.equal(json.results[0]!.ci.accuracy!.length, 2);
  const m = resultsTableModel(t, null, false);
  assert.deepEqual(m.rows.map((r) => `${r.groupStart ? r.group : ''}|${r.label}|${r.cells.map((c) => c.mark ?? '').join(',')}`), ['default|θ|,,', '|θ_Rand|worse,,worse', '|θ_{Fr-En}|,,', 'other|θ|,,', '|θ_{Fr-En}|better,,better']);
  const chart = taskCharts(LIGHT_THEME, rows, 400, PRIMARY_METRIC, tableOptions(out))[0]!.svg;
  assert.equal((chart.match(/data-mark="‡"/g) ?? []).length, 2);
  assert.equal((chart.match(/data-mark="†"/g) ?? []).length, 2);
  assert.ok(chart.includes('<tspan dy="3.3" font-size="8.3">Rand</tspan>'), 'labels with subscripts');
});

test('results.tex compiles with pdflatex as it is (when a TeX engine is installed)', (t) => {
  const probe = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('pdflatex not installed (Debian: texlive-latex-recommended texlive-latex-extra)');
    return;
  }
  const all = models();
  const p = presentation(all.map((m) => m.model), [undefined, undefined, 'θ^{Prog}_{Zh-En}'], 'one-sided');
  const { sig, rows } = analyseResults(all, { resamples: 200, seed: 1 }, { ...PRIMARY_METRIC }, p);
  const out = evalOutput('test', all, [], { resamples: 200, seed: 1 }, sig, rows, { ...PRIMARY_METRIC }, p);
  // A table as wide as Study 1's demo (20 columns) must fit the page, not run off it (before: 584 pt too wide).
  const langs = ['en', 'fr', 'de', 'ru', 'ja', 'zh', 'ar', 'hi', 'es', 'ko', 'it', 'pt', 'nl', 'pl', 'tr', 'vi', 'th', 'id', 'sw', 'fi'];
  const wideDouble = all.map((m) => ({ ...m, results: langs.map((language, i) => ({ ...m.results[i % 2]!, language })) }));
  const wp = presentation(wideDouble.map((m) => m.model), [undefined, undefined, 'θ^{Prog}_{Zh-En}'], 'one-sided');
  const wa = analyseResults(wideDouble, { resamples: 50, seed: 1 }, { ...PRIMARY_METRIC }, wp);
  const wideOut = evalOutput('test', wideDouble, [], { resamples: 50, seed: 1 }, wa.sig, wa.rows, { ...PRIMARY_METRIC }, wp);
  const dir = mkdtempSync(join(tmpdir(), 'pl-tex-'));
  try {
    for (const [name, o] of [['results', out], ['wide', wideOut]] as const) {
      writeFileSync(join(dir, `${name}.tex`), resultsFiles(o, '', 'T')['results.tex']);
      const r = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `${name}.tex`], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout.slice(-2000));
      assert.ok(statSync(join(dir, `${name}.pdf`)).size > 1000);
      const log = readFileSync(join(dir, `${name}.log`), 'utf8');
      assert.ok(!/Undefined control sequence|Missing character|Overfull \\hbox/.test(log), `${name}: ${/Overfull.*|Undefined.*|Missing.*/.exec(log)?.[0]}`);
    }
    assert.ok(readFileSync(join(dir, 'wide.tex'), 'utf8').includes('Model & & en & fr & de & ru & ja & zh & ar & hi & es & ko & it & pt & nl & pl & tr & vi & th & id & sw & fi & Avg.'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a table value that rounds to zero prints without a sign (a code-ppl or accuracy change of -0.0001 is not negative)', () => {
  assert.equal(formatValue('accuracy', -0.0001), '0.000');
  assert.equal(formatValue('accuracy', -0.0006), '-0.001');
  assert.equal(formatValue('accuracy', 0.5), '0.500');
});
