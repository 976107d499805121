/**
 * The editor's engine methods (test/helpers/editor-methods.ts) on the tiny Gemma and Gemma 2
 * checkpoints read from their committed pytorch_model.bin files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archCase, writeArchBinCase } from '../reference/arch-cases';
import { runEditorMethods } from '../helpers/editor-methods';

for (const name of ['gemma-mqa-tied-f32', 'gemma2-window4-softcap-f32']) {
  test(`${name}: the editor's engine methods run end to end`, async () => {
    const work = mkdtempSync(join(tmpdir(), `pl-worker-${name}-`));
    try {
      const dir = writeArchBinCase(archCase(name), join(work, 'model'), { max_position_embeddings: 256 });
      // Gated MLPs: q/k/v share ln1, gate/up share ln2.
      const info = await runEditorMethods(work, dir, 'The cat sits on the mat.', ['q/k/v', 'o', 'gate/up', 'down']);
      assert.equal(info.weightFormat, 'pytorch');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
