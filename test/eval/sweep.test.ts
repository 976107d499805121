// `sweep`: the grid of variants, one results table, and resumption cell by cell (a finished
// cell is read back, never recomputed; a rerun with other settings is refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';
import { sweepModels } from '../../src/engine/eval/sweep';

test('sweep grid: dense first, wanda/prog per calibration, magnitude/random once per sparsity', () => {
  assert.deepEqual(sweepModels({ base: 'm', methods: ['wanda', 'magnitude', 'prog'], calibrations: ['mt:fr-en', 'mono:fr'], sparsities: [0.2, 0.5], codeCalibration: 'code:*.ts' }), [
    'm',
    'm@wanda:mt:fr-en:0.2', 'm@wanda:mt:fr-en:0.5', 'm@wanda:mono:fr:0.2', 'm@wanda:mono:fr:0.5',
    'm@magnitude:0.2', 'm@magnitude:0.5',
    'm@prog:mt:fr-en+code:*.ts:0.2', 'm@prog:mt:fr-en+code:*.ts:0.5', 'm@prog:mono:fr+code:*.ts:0.2', 'm@prog:mono:fr+code:*.ts:0.5',
  ]);
  assert.throws(() => sweepModels({ base: 'm', methods: ['prog'], calibrations: ['mt:fr-en'], sparsities: [0.5] }), /code calibration/);
});

test('sweep: runs every cell once, resumes after a lost cell, refuses other settings', () => {
  const tiny = writeTinyModel({ seed: 3 });
  const tmp = mkdtempSync(join(tmpdir(), 'pl-sweep-'));
  const corpus = join(tmp, 'c.jsonl');
  writeFileSync(corpus, ['{"lang":"en","text":"hello there"}', '{"lang":"en","text":"good morning to you"}', '{"lang":"fr","text":"bonjour à tous"}', '{"lang":"fr","text":"merci beaucoup"}'].join('\n') + '\n');
  const out = join(tmp, 'sweep');
  const args = ['sweep', '--model', tiny.dir, '--methods', 'magnitude,random', '--sparsities', '0.3,0.6', '--task', 'perplexity', '--corpus', corpus, '--resamples', '100', '--threads', '1', '--out', out];
  const first = cli(args);
  assert.equal(first.code, 0, first.stderr);
  const r1 = JSON.parse(first.stdout) as { models: string[]; computed: number; reused: number };
  assert.equal(r1.models.length, 5);
  assert.deepEqual([r1.computed, r1.reused], [5, 0]);
  assert.match(first.stderr, /sweep: 1\/5 .* ETA/);
  const csv1 = readFileSync(join(out, 'results.csv'), 'utf8');
  assert.equal(csv1.split('\n')[0], 'model,task,language,metric,value');
  // dense has no p_value; each variant has one per language and one for the average over the two
  assert.equal((csv1.match(/,p_value,/g) ?? []).length, 12);
  assert.equal((csv1.match(/,avg,p_better,/g) ?? []).length, 4);
  const md = readFileSync(join(out, 'results.md'), 'utf8');
  assert.equal(md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| model')).length, 5);
  // Paper row names: two sparsities of one method are told apart by their sparsity.
  assert.ok(md.includes('| θ<sub>Mag</sub> 30% |') && md.includes('| θ<sub>Rand</sub> 60% |'), md);
  // A crash after some cells: lose two finished cells (as if never written) and rerun.
  const cells = readdirSync(join(out, 'cells')).sort();
  assert.equal(cells.length, 5);
  rmSync(join(out, 'cells', cells[1]!));
  rmSync(join(out, 'cells', cells[3]!));
  const before = Object.fromEntries(cells.filter((_, i) => i !== 1 && i !== 3).map((c) => [c, readFileSync(join(out, 'cells', c), 'utf8')]));
  const second = cli(args);
  assert.equal(second.code, 0, second.stderr);
  const r2 = JSON.parse(second.stdout) as { computed: number; reused: number };
  assert.deepEqual([r2.computed, r2.reused], [2, 3]);
  for (const [c, text] of Object.entries(before)) assert.equal(readFileSync(join(out, 'cells', c), 'utf8'), text, 'a finished cell is not rewritten');
  assert.equal(readFileSync(join(out, 'results.csv'), 'utf8'), csv1, 'same results after resuming');
  assert.deepEqual(readdirSync(out).filter((f) => f.includes('tmp')), []);
  // Different settings into the same folder are refused, and nothing changes.
  const other = cli(args.map((a) => (a === '0.3,0.6' ? '0.3' : a)));
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /holds a sweep with different settings/);
  assert.equal(readFileSync(join(out, 'results.csv'), 'utf8'), csv1);
  assert.ok(existsSync(join(out, 'report.html')));
});
