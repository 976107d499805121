// The results contract (results.csv long format) and the one table (bold best per column in the
// metric's direction, † for p < 0.05 against the first model), its Markdown/LaTeX forms, and the
// report renderer's pure parts (sorting, one bar chart per task).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricProblem, parseResultsCsv, RESULTS_CSV_HEADER, tableMetrics, toResultsCsv, type ResultRow } from '../../src/shared/results/rows';
import { taskDeltas } from '../../src/shared/results/deltas';
import { evalOutput, resultsFiles } from '../../src/engine/eval/outputs';
import { buildResultsTable } from '../../src/shared/results/table';
import { latexEscape, resultsLatex, resultsMarkdown } from '../../src/shared/results/format';
import { deltaRows, nextSort, resultsExports, resultsTableModel, sortedModelOrder, taskCharts } from '../../webview/render/results';
import { LIGHT_THEME } from '../../webview/render/color';

const ROWS: ResultRow[] = [
  { model: 'dense', task: 'perplexity', language: 'fr', metric: 'perplexity', value: 20 },
  { model: 'dense', task: 'perplexity', language: 'fr', metric: 'bits_per_char', value: 1.5 },
  { model: 'dense', task: 'translate', language: 'fr-en', metric: 'chrf', value: 40 },
  { model: 'm@wanda:mt:fr-en:0.5', task: 'perplexity', language: 'fr', metric: 'perplexity', value: 18 },
  { model: 'm@wanda:mt:fr-en:0.5', task: 'perplexity', language: 'fr', metric: 'p_value', value: 0.01 },
  { model: 'm@wanda:mt:fr-en:0.5', task: 'translate', language: 'fr-en', metric: 'chrf', value: 35 },
  { model: 'm@wanda:mt:fr-en:0.5', task: 'translate', language: 'fr-en', metric: 'p_value', value: 0.2 },
  { model: 'a,"b"', task: 'translate', language: 'fr-en', metric: 'off_target_rate', value: null },
];

test('results.csv: exact header, long format, quoting, round trip', () => {
  const csv = toResultsCsv(ROWS);
  assert.equal(csv.split('\n')[0], RESULTS_CSV_HEADER);
  assert.equal(RESULTS_CSV_HEADER, 'model,task,language,metric,value');
  assert.equal(csv.split('\n')[4], 'm@wanda:mt:fr-en:0.5,perplexity,fr,perplexity,18');
  assert.equal(csv.split('\n')[8], '"a,""b""",translate,fr-en,off_target_rate,');
  assert.deepEqual(parseResultsCsv(csv), ROWS);
  assert.throws(() => parseResultsCsv('model,task\n'), /header must be/);
  assert.throws(() => parseResultsCsv(`${RESULTS_CSV_HEADER}\na,b,c,d,xyz\n`), /results.csv:2: value "xyz"/);
});

test('results table: primary metric per column, best in the metric direction, † only for p < 0.05', () => {
  const t = buildResultsTable(ROWS);
  assert.deepEqual(t.columns.map((c) => `${c.task}/${c.language}/${c.metric}`), ['perplexity/fr/perplexity', 'translate/fr-en/chrf']);
  assert.deepEqual(t.models, ['dense', 'm@wanda:mt:fr-en:0.5', 'a,"b"']);
  // perplexity: lower is better → the pruned 18; chrF: higher → dense 40.
  assert.equal(t.cells[1]![0]!.best, true);
  assert.equal(t.cells[0]![0]!.best, false);
  assert.equal(t.cells[0]![1]!.best, true);
  // Only two-sided p-values in these rows: the marks follow them with the direction of the change.
  assert.equal(t.significance, 'two-sided');
  assert.equal(t.cells[1]![0]!.significant, true);
  assert.equal(t.cells[1]![0]!.mark, 'better');
  assert.equal(t.cells[1]![1]!.significant, false);
  assert.equal(t.cells[2]![0], null);
  const md = resultsMarkdown(t);
  assert.ok(md.includes('| m@wanda:mt:fr-en:0.5 | **18.00**† | 35.00 |'), md);
  assert.ok(md.includes('| dense | 20.00 | **40.00** |'), md);
  assert.ok(md.includes('two-sided paired bootstrap'), md);
  const tex = resultsLatex(t);
  assert.ok(tex.includes('m@wanda:mt:fr-en:0.5 & \\textbf{18.00}$^{\\dagger}$ & 35.00 \\\\'), tex);
  assert.equal(latexEscape('a_b%c&d'), 'a\\_b\\%c\\&d');
});

test('report renderer: sorting by a column and one bar chart per task', () => {
  const t = buildResultsTable(ROWS);
  assert.deepEqual(sortedModelOrder(t, 0, false), [1, 0, 2]); // 18, 20, missing last
  assert.deepEqual(sortedModelOrder(t, 1, true), [0, 1, 2]);
  assert.deepEqual(sortedModelOrder(t, -1, false), [2, 0, 1]);
  const charts = taskCharts(LIGHT_THEME, ROWS, 400);
  assert.deepEqual(charts.map((c) => `${c.task}:${c.metric}`), ['perplexity:perplexity', 'translate:chrf']);
  assert.equal((charts[1]!.svg.match(/data-model=/g) ?? []).length, 2);
  assert.ok(charts[0]!.svg.includes('data-value="18"'));
});

test('a task with a code column: code perplexity is charted apart, so the languages keep their own scale', () => {
  const rows: ResultRow[] = ['dense', 'pruned'].flatMap((model, i) => [
    { model, task: 'perplexity', language: 'fr', metric: 'perplexity', value: 20 + i },
    { model, task: 'perplexity', language: 'de', metric: 'perplexity', value: 25 + i },
    { model, task: 'perplexity', language: 'code', metric: 'perplexity', value: 400 + 100 * i },
  ]);
  const charts = taskCharts(LIGHT_THEME, rows, 400);
  assert.deepEqual(charts.map((c) => `${c.task}:${c.part ?? 'languages'}`), ['perplexity:languages', 'perplexity:code']);
  const languages = [...charts[0]!.svg.matchAll(/data-language="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(languages)], ['fr', 'de', 'avg']);
  assert.deepEqual([...new Set([...charts[1]!.svg.matchAll(/data-language="([^"]+)"/g)].map((m) => m[1]))], ['code']);
  // The languages' longest bar spans the chart: the largest language value sets the scale, not code's 500.
  const widths = (svg: string): number[] => [...svg.matchAll(/<rect[^>]*data-value="[^"]+"[^>]*>/g)].map((m) => Number(/width="([\d.]+)"/.exec(m[0])![1]));
  const w = widths(charts[0]!.svg);
  assert.ok(Math.min(...w) > 0.7 * Math.max(...w), `language bars ${w.join(', ')} are on their own scale`);
});

test('Results panel model: sorted rows, aria-sort on the sorted header, bold flags and † in the text', () => {
  const t = buildResultsTable(ROWS);
  const m = resultsTableModel(t, 0, false);
  assert.deepEqual(m.header.map((h) => `${h.col}:${h.sort}`), ['-1:none', '0:ascending', '1:none']);
  assert.deepEqual(m.header.map((h) => h.label), ['model', 'fr', 'fr-en']);
  assert.deepEqual(m.header.map((h) => h.title), ['model', 'perplexity fr (ppl)', 'translate fr-en (chrf)']);
  assert.deepEqual(m.tasks, [{ label: 'perplexity (ppl)', span: 1 }, { label: 'translate (chrF)', span: 1 }]);
  assert.deepEqual(m.rows.map((r) => r.model), ['m@wanda:mt:fr-en:0.5', 'dense', 'a,"b"']);
  assert.deepEqual(m.rows[0]!.cells.map((c) => [c.text, c.best, c.significant]), [['18.00†', true, true], ['35.00', false, false]]);
  assert.deepEqual(m.rows[1]!.cells.map((c) => [c.text, c.best]), [['20.00', false], ['40.00', true]]);
  assert.deepEqual(m.rows[2]!.cells.map((c) => c.text), ['', '']);
  assert.deepEqual(resultsTableModel(t, 1, true).rows.map((r) => r.model), ['dense', 'm@wanda:mt:fr-en:0.5', 'a,"b"']);
  // Unsorted: the evaluation's order (the first model, what † is against, on top); by name on request.
  assert.deepEqual(resultsTableModel(t, null, false).rows.map((r) => r.model), ['dense', 'm@wanda:mt:fr-en:0.5', 'a,"b"']);
  assert.ok(resultsTableModel(t, null, false).header.every((h) => h.sort === 'none'));
  assert.deepEqual(resultsTableModel(t, -1, false).rows.map((r) => r.model), ['a,"b"', 'dense', 'm@wanda:mt:fr-en:0.5']);
  assert.deepEqual(nextSort({ col: null, descending: false }, 0), { col: 0, descending: false });
  // Activating a header: a new column sorts ascending, the same column flips.
  assert.deepEqual(nextSort({ col: -1, descending: false }, 1), { col: 1, descending: false });
  assert.deepEqual(nextSort({ col: 1, descending: false }, 1), { col: 1, descending: true });
  assert.deepEqual(nextSort({ col: 1, descending: true }, 0), { col: 0, descending: false });
});

test('Results panel exports: the CLI files\' text; a chosen table metric changes columns, bold and charts', () => {
  const out = evalOutput('test', [], [], { resamples: 10, seed: 1 }, [], ROWS);
  const files = resultsFiles(out, '', 'T');
  assert.deepEqual(resultsExports(ROWS, undefined, { significance: 'one-sided' }), { csv: files['results.csv'], tex: files['results.tex'], md: files['results.md'] });
  const metrics = tableMetrics(['bits_per_char']);
  assert.deepEqual(metrics, { perplexity: 'bits_per_char', translate: 'chrf', classify: 'accuracy' });
  const t = buildResultsTable(ROWS, metrics);
  assert.deepEqual(t.columns.map((c) => c.metric), ['bits_per_char', 'chrf']);
  assert.deepEqual(t.models, ['dense', 'm@wanda:mt:fr-en:0.5', 'a,"b"']);
  assert.equal(t.cells[0]![0]!.value, 1.5);
  assert.equal(t.cells[0]![0]!.best, true, 'the only value of its column');
  assert.equal(resultsExports(ROWS, metrics, { significance: 'one-sided' }).tex, resultsFiles({ ...out, tableMetrics: metrics }, '', 'T')['results.tex']);
  assert.ok(taskCharts(LIGHT_THEME, ROWS, 400, metrics)[0]!.svg.includes('data-value="1.5"'));
  assert.equal(metricProblem('bleu', ['classify']), 'bleu is a translate metric, and task translate is not declared');
  assert.equal(metricProblem('bleu', ['translate'], ['chrf']), 'two metrics for task translate');
  assert.equal(metricProblem('bleu', ['translate']), undefined);
});

test('Compare panel deltas: variant − first model per task and language, † only where the tested metric has p < 0.05', () => {
  const d = taskDeltas(ROWS, 'm@wanda:mt:fr-en:0.5', 'x/results.csv')!;
  assert.equal(d.base, 'dense');
  assert.deepEqual(d.deltas.map((x) => `${x.task}/${x.language}/${x.metric}:${x.delta}:${x.p}:${x.better}`), [
    'perplexity/fr/perplexity:-2:0.01:true',
    'perplexity/fr/bits_per_char:null:null:null',
    'translate/fr-en/chrf:-5:0.2:false',
  ]);
  assert.deepEqual(deltaRows(d).map((r) => [r.dense, r.variant, r.delta]), [['20.00', '18.00', '−2.00†'], ['1.500', '–', '–'], ['40.00', '35.00', '−5.00']]);
  assert.equal(taskDeltas(ROWS, 'dense', 'x'), undefined, 'the first model has no deltas against itself');
  assert.equal(taskDeltas(ROWS, 'unknown', 'x'), undefined);
});
