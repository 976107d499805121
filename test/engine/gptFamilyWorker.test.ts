/**
 * The editor's engine methods (test/helpers/editor-methods.ts) on tiny GPT-2, BLOOM and XGLM
 * checkpoints.
 */
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { ONE_PER_FAMILY } from '../reference/gpt-family-cases';
import { runEditorMethods } from '../helpers/editor-methods';

for (const c of ONE_PER_FAMILY) {
  test(`${c.spec.family}: the editor's engine methods run end to end`, async () => {
    const work = mkdtempSync(join(tmpdir(), `pl-worker-${c.spec.family}-`));
    try {
      const dir = writeTinyGpt({ ...c.spec, maxPositions: 256 }, join(work, 'model')).dir;
      // Linears that share one input (XGLM's q/k/v) are scored once, under a joint name.
      await runEditorMethods(work, dir, c.text, c.spec.family === 'xglm' ? ['q/k/v', 'o', 'fc1', 'fc2'] : ['qkv', 'o', 'fc1', 'fc2']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
