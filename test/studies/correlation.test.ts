/**
 * The numeric-bias statistics (methods.md §7) against scipy: a committed fixture written by
 * make_stats_fixture.py, regenerated live when Debian's python3-scipy is present so the two
 * cannot drift apart.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { averageRanks, excessKurtosis, kendallTauB, pearson, spearman } from '../../src/engine/stats/correlation';

interface Case {
  name: string;
  x: number[];
  y: number[];
  kurtosis_x: number | null;
  kendall_tau_b: number | null;
  pearson: number | null;
  spearman: number | null;
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'studies', 'stats.json');

function check(cases: Case[]): void {
  for (const c of cases) {
    const got = { kurtosis_x: excessKurtosis(c.x), kendall_tau_b: kendallTauB(c.x, c.y), pearson: pearson(c.x, c.y), spearman: spearman(c.x, c.y) };
    for (const [k, v] of Object.entries(got)) {
      const want = c[k as keyof typeof got];
      if (want === null) assert.ok(Number.isNaN(v), `${c.name} ${k}: scipy says undefined, got ${v}`);
      else assert.ok(Math.abs(v - want) < 1e-12, `${c.name} ${k}: ${v} vs scipy ${want}`);
    }
  }
}

test('kurtosis, Kendall tau-b, Pearson, Spearman equal scipy on the committed fixture', () => {
  const { cases } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cases: Case[] };
  assert.ok(cases.length >= 8);
  check(cases);
});

const scipy = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import scipy'], { stdio: 'ignore' }).status === 0;
test('the fixture is what scipy computes now', { skip: scipy ? false : 'Debian python3-scipy is absent (the committed fixture is still checked)' }, () => {
  const out = join(mkdtempSync(join(tmpdir(), 'pl-stats-')), 'stats.json');
  const r = spawnSync('/usr/bin/python3', [join(__dirname, 'make_stats_fixture.py'), out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  check((JSON.parse(readFileSync(out, 'utf8')) as { cases: Case[] }).cases);
});

test('hand-computed values: ranks with ties, kurtosis of a two-point set', () => {
  assert.deepEqual([...averageRanks([10, 20, 10, 30])], [1.5, 3, 1.5, 4]);
  // Two equally likely values: m4/m2² = 1, so excess kurtosis −2.
  assert.equal(excessKurtosis([1, 5, 1, 5]), -2);
  // One disagreeing pair out of three: (2 − 1)/3.
  assert.ok(Math.abs(kendallTauB([1, 2, 3], [1, 3, 2]) - 1 / 3) < 1e-15);
  assert.throws(() => pearson([1, 2], [1]), /equal lengths/);
});
