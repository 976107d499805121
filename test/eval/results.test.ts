// The results contract (results.csv long format) and the one table (bold best per column in the
// metric's direction, † for p < 0.05 against the first model), its Markdown/LaTeX forms, and the
// report renderer's pure parts (sorting, one bar chart per task).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResultsCsv, RESULTS_CSV_HEADER, toResultsCsv, type ResultRow } from '../../src/shared/results/rows';
import { buildResultsTable } from '../../src/shared/results/table';
import { latexEscape, resultsLatex, resultsMarkdown } from '../../src/shared/results/format';
import { sortedModelOrder, taskCharts } from '../../webview/render/results';
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
  assert.equal(t.cells[1]![0]!.significant, true);
  assert.equal(t.cells[1]![1]!.significant, false);
  assert.equal(t.cells[2]![0], null);
  const md = resultsMarkdown(t);
  assert.ok(md.includes('| m@wanda:mt:fr-en:0.5 | **18.00**† | 35.00 |'), md);
  assert.ok(md.includes('| dense | 20.00 | **40.00** |'), md);
  const tex = resultsLatex(t);
  assert.ok(tex.includes('m@wanda:mt:fr-en:0.5 & \\textbf{18.00}$^\\dagger$ & 35.00 \\\\'), tex);
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
