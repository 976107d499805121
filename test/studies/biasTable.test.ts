/**
 * The numeric-bias table (methods.md §7): language pairs as the grouping, one row per pair × post
 * model × range with pre, post and gold side by side, bootstrap intervals of post − pre against an
 * independent Python reference (bias_table_reference.py, rerun live when /usr/bin/python3 exists),
 * and undefined statistics in words.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { undefinedBecause, type BiasItem, type BiasRun } from '../../src/engine/studies/bias';
import { biasTable, deltaRows, type DeltaInterval } from '../../src/engine/studies/biasTable';
import { languageOrPair, readDataset } from '../../src/engine/studies/dataset';
import { biasTableSection } from '../../src/engine/studies/sections';
import { histogramEntropy, modeShare } from '../../src/engine/stats/peakedness';
import { variantEntriesProblem } from '../../src/shared/modelSpec';

interface RefDelta { value: number | null; ci: [number | null, number | null]; defined: number }
interface Fixture {
  resamples: number;
  seed: number;
  items: { lang: string; gold: number; pre: number; post: number }[];
  rows: { group: string; n: number; kurtosis: (number | null)[]; mode_share: (number | null)[]; tau: (number | null)[]; delta_tau: RefDelta; delta_kurtosis: RefDelta; delta_mode_share: RefDelta }[];
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'studies', 'bias-table.json');
const range = { min: 1, max: 5 };

function runs(f: Fixture): BiasRun[] {
  const item = (model: string, x: Fixture['items'][number], index: number, argmax: number): BiasItem => ({ model, index, prompt: '', scores: [1, 2, 3, 4, 5], distribution: [0.2, 0.2, 0.2, 0.2, 0.2], argmax, expected: argmax, gold: x.gold, lang: x.lang });
  return [
    { model: 'base', range, items: f.items.map((x, i) => item('base', x, i, x.pre)) },
    { model: 'base@aligned', range, items: f.items.map((x, i) => item('base@aligned', x, i, x.post)) },
  ];
}

const close = (got: number, want: number | null, what: string): void => {
  if (want === null) assert.ok(!Number.isFinite(got), `${what}: reference says undefined, got ${got}`);
  else assert.ok(Math.abs(got - want) < 1e-9, `${what}: ${got} vs ${want}`);
};

function checkDelta(got: DeltaInterval, want: RefDelta, what: string): void {
  close(got.value, want.value, `${what} value`);
  assert.equal(got.defined, want.defined, `${what}: resamples where both sides are defined`);
  close(got.ci[0], want.ci[0], `${what} CI low`);
  close(got.ci[1], want.ci[1], `${what} CI high`);
}

function check(f: Fixture): void {
  const rows = biasTable(runs(f), { resamples: f.resamples, seed: f.seed });
  assert.deepEqual(rows.map((r) => `${r.group}|${r.post?.model}|${r.range}`), ['en-fr|base@aligned|1-5', 'en-de|base@aligned|1-5', 'en-zh|base@aligned|1-5', 'all|base@aligned|1-5']);
  rows.forEach((r, i) => {
    const want = f.rows[i]!;
    assert.equal(r.group, want.group);
    assert.equal(r.n, want.n);
    close(r.pre.kurtosis, want.kurtosis[0]!, `${r.group} kurtosis pre`);
    close(r.post!.kurtosis, want.kurtosis[1]!, `${r.group} kurtosis post`);
    close(r.gold!.kurtosis, want.kurtosis[2]!, `${r.group} kurtosis gold`);
    close(r.pre.modeShare, want.mode_share[0]!, `${r.group} modal share pre`);
    close(r.post!.modeShare, want.mode_share[1]!, `${r.group} modal share post`);
    close(r.gold!.modeShare, want.mode_share[2]!, `${r.group} modal share gold`);
    close(r.pre.tau, want.tau[0]!, `${r.group} tau pre`);
    close(r.post!.tau, want.tau[1]!, `${r.group} tau post`);
    checkDelta(r.delta!.tau, want.delta_tau, `${r.group} Δτ`);
    checkDelta(r.delta!.kurtosis, want.delta_kurtosis, `${r.group} Δkurtosis`);
    checkDelta(r.delta!.modeShare, want.delta_mode_share, `${r.group} Δmodal share`);
  });
}

test('pre/post/gold and the bootstrap intervals of post − pre equal the independent reference (committed fixture)', () => {
  check(JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture);
});

const python = existsSync('/usr/bin/python3');
test('the fixture is what the reference computes now', { skip: python ? false : '/usr/bin/python3 is absent (the committed fixture is still checked)' }, () => {
  const out = join(mkdtempSync(join(tmpdir(), 'pl-bias-table-')), 'bias-table.json');
  const r = spawnSync('/usr/bin/python3', [join(__dirname, 'bias_table_reference.py'), out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  check(JSON.parse(readFileSync(out, 'utf8')) as Fixture);
});

test('undefined statistics are words in the table, never NaN, null or empty; the always-defined modal share stands beside them', () => {
  const f = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const section = biasTableSection(biasTable(runs(f), { resamples: 50, seed: 1 }));
  assert.equal(section.kind, 'table');
  if (section.kind !== 'table') return;
  const { columns, rows } = section.data;
  assert.deepEqual(columns.slice(0, 7), ['pair', 'post model', 'range', 'items', 'kurtosis pre', 'kurtosis post', 'kurtosis gold']);
  const de = rows.find((r) => r[0] === 'en-de')!;
  const zh = rows.find((r) => r[0] === 'en-zh')!;
  const col = (name: string): number => columns.indexOf(name);
  assert.equal(de[col('kurtosis post')], 'undefined: every answer is 4');
  assert.equal(de[col('modal share post')], '1.00');
  assert.equal(de[col('τ-b post')], 'undefined: every answer is 4');
  assert.equal(de[col('Δkurtosis [95% CI]')], 'undefined (one side undefined)');
  assert.equal(zh[col('kurtosis gold')], 'undefined: every gold score is 3');
  assert.equal(zh[col('τ-b pre')], 'undefined: every gold score is 3');
  for (const row of rows) for (const cell of row) assert.ok(cell !== null && cell !== '' && !/NaN|null/.test(String(cell)), `cell ${JSON.stringify(cell)} in ${row[0]}`);
  // results.csv rows of the differences: an undefined one is NaN here and an empty field in the file.
  const d = deltaRows('mtqe', biasTable(runs(f), { resamples: 50, seed: 1 }));
  assert.deepEqual(d.filter((x) => x.language === 'en-fr').map((x) => x.metric), ['delta_kendall_tau_b', 'delta_kendall_tau_b_ci_low', 'delta_kendall_tau_b_ci_high', 'delta_kurtosis', 'delta_kurtosis_ci_low', 'delta_kurtosis_ci_high', 'delta_mode_share', 'delta_mode_share_ci_low', 'delta_mode_share_ci_high']);
  assert.ok(d.every((x) => x.model === 'base@aligned' && x.task === 'mtqe:1-5'));
});

test('one model: one row per pair × model × range, no pre/post columns', () => {
  const f = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const [base] = runs(f);
  const rows = biasTable([base!, { ...base!, range: { min: 0, max: 9 } }]);
  assert.deepEqual(rows.map((r) => `${r.group}|${r.pre.model}|${r.range}`), ['en-fr|base|1-5', 'en-de|base|1-5', 'en-zh|base|1-5', 'all|base|1-5', 'en-fr|base|0-9', 'en-de|base|0-9', 'en-zh|base|0-9', 'all|base|0-9']);
  const section = biasTableSection(rows);
  assert.ok(section.kind === 'table' && section.data.columns.includes('kurtosis gold') && !section.data.columns.includes('kurtosis pre'));
});

test('language pairs: "lang": "en-de" is a group of its own; codes are normalised, anything else refused with the line', () => {
  assert.equal(languageOrPair('en-de'), 'en-de');
  assert.equal(languageOrPair('eng-deu'), 'en-de');
  assert.equal(languageOrPair(' fr '), 'fr');
  assert.equal(languageOrPair('en-en'), undefined);
  assert.equal(languageOrPair('en-de-fr'), undefined);
  assert.equal(languageOrPair('english'), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'pl-pairs-'));
  const file = join(dir, 'items.jsonl');
  writeFileSync(file, '{"lang": "en-de", "text": "a", "gold": 3}\n{"lang": "eng-zho", "text": "b", "gold": 1}\n');
  assert.deepEqual(readDataset(file).map((i) => i.lang), ['en-de', 'en-zh']);
  writeFileSync(file, '{"lang": "en-xx", "text": "a", "gold": 3}\n');
  assert.throws(() => readDataset(file), /items\.jsonl:1: "lang" must be a language code like fr, or a language pair like en-de/);
});

test('peakedness is defined where kurtosis is not; the words say which value every answer is', () => {
  assert.equal(modeShare([3, 3, 3]), 1);
  assert.equal(histogramEntropy([3, 3, 3]), 0);
  assert.equal(modeShare([1, 2, 2, 5]), 0.5);
  assert.equal(histogramEntropy([1, 2, 3, 4]), 2);
  assert.equal(undefinedBecause([3, 3, 3]), 'undefined: every answer is 3');
  assert.equal(undefinedBecause([4], 'gold score'), 'undefined: 1 gold score');
});

test('the editor\'s model-entry box: variants of the loaded model (@SPEC) and MODEL@SPEC parse, typos are named', () => {
  assert.equal(variantEntriesProblem('@lrp2:fr, default@wanda:mt:fr-en:0.5, ../models/base'), undefined);
  assert.match(variantEntriesProblem('@lrp2:en')!, /^@lrp2:en: expected lrp2:LANG/);
  assert.match(variantEntriesProblem('default@wand:0.5')!, /unknown variant method "wand"/);
  assert.equal(variantEntriesProblem(' , '), 'name at least one entry, e.g. @lrp2:fr');
});

test('a difference or interval end that rounds to zero prints 0.00, never -0.00 or +0.00', () => {
  const f = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const [row] = biasTable(runs(f), { resamples: 50, seed: 1 }).filter((r) => r.delta !== null);
  const near = (value: number): DeltaInterval => ({ value, ci: [-0.004, 0.001], defined: 50, resamples: 50 });
  const section = biasTableSection([{ ...row!, delta: { tau: near(-0.001), kurtosis: near(0.003), modeShare: near(-0.02) } }]);
  assert.ok(section.kind === 'table');
  if (section.kind !== 'table') return;
  const { columns, rows } = section.data;
  const cell = (name: string): unknown => rows[0]![columns.indexOf(name)];
  assert.equal(cell('Δτ-b [95% CI]'), '0.00 [0.00, 0.00]');
  assert.equal(cell('Δkurtosis [95% CI]'), '0.00 [0.00, 0.00]');
  assert.equal(cell('Δmodal share [95% CI]'), '-0.02 [0.00, 0.00]');
});
