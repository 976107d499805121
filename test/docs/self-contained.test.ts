// A user has only the repository: user-facing text never sends them to ../shared, and no committed
// file names a path on the machine it was written on. Links between docs resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');
const text = (f: string): boolean => /\.(md|ts|mjs|js|py|sh|json|prompt|ya?ml|txt)$/.test(f) && !f.endsWith('package-lock.json') && !f.startsWith('test/fixtures/');

test('no committed file names an absolute machine path', () => {
  const hits = tracked.filter(text).filter((f) => existsSync(join(ROOT, f))).flatMap((f) =>
    read(f).split('\n').flatMap((line, i) => (/(^|[\s'"`(=])\/(work|root|home)\//.test(line) && f !== 'test/docs/self-contained.test.ts' ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(hits, []);
});

test('user-facing docs and CLI help never point at ../shared; doc links resolve', () => {
  const userFacing = tracked.filter((f) => /^(README\.md|docs\/.*\.md|models\/default\/README\.md|examples\/.*|src\/cli\/.*\.ts)$/.test(f));
  assert.ok(userFacing.includes('docs/methods.md'));
  for (const f of userFacing) {
    read(f).split('\n').forEach((line, i) => {
      // The README may say that tests use ../shared/models when present (they skip otherwise).
      if (f === 'README.md' && /skip/.test(line)) return;
      if (f === 'docs/performance.md' && /before the benchmark moved off/.test(line)) return;
      assert.ok(!/\.\.\/shared\/(docs|bench)|shared\/docs\/methods/.test(line), `${f}:${i + 1} points at ../shared: ${line.trim()}`);
    });
  }
  for (const f of tracked.filter((x) => /^(README\.md|docs\/.*\.md)$/.test(x))) {
    for (const m of read(f).matchAll(/\]\(([^)#]+\.md)(#[^)]*)?\)/g)) {
      if (/^https?:/.test(m[1]!)) continue;
      assert.ok(existsSync(join(ROOT, dirname(f), m[1]!)), `${f} links to ${m[1]}, which does not exist`);
    }
  }
});

test('docs/methods.md names every reference repository and states its deliberate differences', () => {
  const m = read('docs/methods.md');
  for (const repo of ['RUCAIBox/Language-Specific-Neurons', 'locuslab/wanda', 'hwichan0720/pruning_for_multilinguality']) assert.ok(m.includes(repo), repo);
  for (const section of ['## 2. Language-specific neurons', '## 3. Wanda importance and pruning', '## 4. Translation features']) assert.ok(m.includes(section), section);
  assert.equal((m.match(/Where we differ/g) ?? []).length, 3);
});
