import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm test` ran ~750 tests that write tiny models, caches and reports into temporary folders, and
// left ~250-500 of them (about 0.5 GB) in the user's temp dir on every run. The runner now gives
// the run a folder of its own there and removes it at the end.
test('the test runner leaves nothing in the temp dir', () => {
  const parent = mkdtempSync(join(tmpdir(), 'pl-runner-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: parent, SKIP_E2E: '1' };
    delete env.NODE_TEST_CONTEXT; // the nested runner reports on its own, not to this one
    // test/prompt/template.test.ts writes prompt folders with mkdtemp and does not remove them.
    const r = spawnSync(process.execPath, ['scripts/test.mjs', 'test/prompt/template.test.ts'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass [1-9]/);
    assert.deepEqual(readdirSync(parent), []);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
