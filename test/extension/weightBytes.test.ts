/**
 * The warm-up's weight sizes (src/extension/weightBytes.ts): a folder is listed and its weight
 * files measured once while its mtime stands, not on every editor switch; a changed folder is read
 * again; a folder that cannot be read has no size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightBytes, type FolderReads } from '../../src/extension/weightBytes';
import { tempDir } from '../lape/helpers';

type Folders = Record<string, { mtimeMs: number; files: Record<string, number> }>;

/** An in-memory folder tree that counts the reads made of it. */
function fakeFolders(folders: Folders) {
  const counts = { mtime: 0, list: 0, size: 0 };
  const reads: FolderReads = {
    mtimeMs: (dir) => {
      counts.mtime++;
      const f = folders[dir];
      if (!f) throw new Error(`ENOENT: ${dir}`);
      return f.mtimeMs;
    },
    list: (dir) => (counts.list++, Object.keys(folders[dir]!.files)),
    size: (file) => {
      counts.size++;
      const cut = file.lastIndexOf('/');
      return folders[file.slice(0, cut)]!.files[file.slice(cut + 1)]!;
    },
  };
  return { reads, counts };
}

test('switching back and forth to prompts of one model lists its folder and measures its weights once', () => {
  const folders: Folders = { '/m/7b': { mtimeMs: 1, files: { 'model-00001-of-00002.safetensors': 9e9, 'model-00002-of-00002.safetensors': 4e9, 'config.json': 700, 'tokenizer.json': 2e6 } } };
  const { reads, counts } = fakeFolders(folders);
  const w = new WeightBytes(reads);
  for (let i = 0; i < 5; i++) assert.equal(w.of('/m/7b'), 13e9);
  assert.deepEqual({ list: counts.list, size: counts.size }, { list: 1, size: 2 });
  // A checkpoint rewritten in place of the old one: the folder's mtime moves, so it is read again.
  folders['/m/7b'] = { mtimeMs: 2, files: { 'model.safetensors': 14e9 } };
  assert.equal(w.of('/m/7b'), 14e9);
  assert.equal(w.of('/m/7b'), 14e9);
  assert.deepEqual({ list: counts.list, size: counts.size }, { list: 2, size: 3 });
});

test('a folder without weight files has no size (kept too); an unreadable one has none and is asked again', () => {
  const folders: Folders = { '/m/empty': { mtimeMs: 5, files: { 'config.json': 10 } } };
  const { reads, counts } = fakeFolders(folders);
  const w = new WeightBytes(reads);
  assert.equal(w.of('/m/empty'), undefined);
  assert.equal(w.of('/m/empty'), undefined);
  assert.equal(counts.list, 1);
  assert.equal(w.of('/m/missing'), undefined);
  folders['/m/missing'] = { mtimeMs: 1, files: { 'pytorch_model.bin': 42 } };
  assert.equal(w.of('/m/missing'), 42);
});

test('on disk: the sizes of .safetensors/.bin/.pt/.pth files summed; a weight file renamed into the folder counts', () => {
  const dir = join(tempDir(), 'ckpt');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.safetensors'), Buffer.alloc(300));
  writeFileSync(join(dir, 'b.bin'), Buffer.alloc(20));
  writeFileSync(join(dir, 'config.json'), '{}');
  const w = new WeightBytes();
  assert.equal(w.of(dir), 320);
  writeFileSync(join(dir, '..', 'c.pt.tmp'), Buffer.alloc(5));
  renameSync(join(dir, '..', 'c.pt.tmp'), join(dir, 'c.pt'));
  // A coarse-clock filesystem may keep the folder's mtime within one tick: set it past any doubt.
  utimesSync(dir, new Date(), new Date(Date.now() + 10_000));
  assert.equal(w.of(dir), 325);
});
