/**
 * Panel exports from the editor go through the output policy (issue 21, item 4): the file the
 * save dialog names is written through a temp folder and a rename, never inside a model folder,
 * never over a symbolic link or a folder (the commit-time re-check is the CLI's, tested in
 * test/cli/output-policy.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportBytes, writeExportFile } from '../../src/extension/panels/exportFile';
import { writeTinyModel } from '../helpers/tiny-model';

const refused = (re: RegExp) => (e: Error): boolean => {
  assert.equal(e.name, 'UserError');
  assert.match(e.message, re);
  return true;
};

test('an export into a model folder, over a link or a folder is refused, naming the path; nothing is written', async () => {
  const work = mkdtempSync(join(tmpdir(), 'pl-export-policy-'));
  try {
    const model = writeTinyModel({ seed: 4 }, join(work, 'model')).dir;
    const before = readdirSync(model).sort();
    const csv = exportBytes('a,b\r\n', 'utf8');
    await assert.rejects(writeExportFile(join(model, 'results.csv'), csv), refused(/model\/results\.csv: is inside .*model, which is a model folder/));
    mkdirSync(join(model, 'charts'));
    await assert.rejects(writeExportFile(join(model, 'charts', 'heat.png'), csv), refused(/is inside .*model, which is a model folder/));
    rmSync(join(model, 'charts'), { recursive: true });
    assert.deepEqual(readdirSync(model).sort(), before, 'nothing written into the model folder');

    const exports = join(work, 'exports');
    mkdirSync(exports);
    writeFileSync(join(work, 'notes.txt'), 'mine');
    symlinkSync(join(work, 'notes.txt'), join(exports, 'link.csv'));
    await assert.rejects(writeExportFile(join(exports, 'link.csv'), csv), refused(/link\.csv: is a symbolic link/));
    assert.equal(readlinkSync(join(exports, 'link.csv')), join(work, 'notes.txt'));
    assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'mine');
    mkdirSync(join(exports, 'folder.csv'));
    await assert.rejects(writeExportFile(join(exports, 'folder.csv'), csv), refused(/folder\.csv: exists and is not a file/));
    assert.deepEqual(readdirSync(exports).sort(), ['folder.csv', 'link.csv'], 'no temp left behind');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('an export replaces the file the save dialog confirmed, through a temp folder, leaving only the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-export-'));
  try {
    const target = join(dir, 'heat.png');
    await writeExportFile(target, exportBytes('iVBORw0KGgo=', 'base64'));
    assert.deepEqual(readdirSync(dir), ['heat.png']);
    assert.deepEqual([...readFileSync(target)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await writeExportFile(target, exportBytes('a,b\r\n', 'utf8'));
    assert.equal(readFileSync(target, 'utf8'), 'a,b\r\n');
    await assert.rejects(writeExportFile(join(dir, 'missing', 'x.csv'), exportBytes('x', 'utf8')), refused(/parent folder .*missing does not exist/));
    assert.deepEqual(readdirSync(dir), ['heat.png'], 'no temp file left behind on failure');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
