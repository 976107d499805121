/**
 * The warm-up's weight sizes (src/extension/weightBytes.ts): a folder is listed once while it stands
 * as it was, not on every editor switch, but its weight files are measured on every call (a file
 * overwritten in place leaves the folder's mtime alone); a listing taken within the folder's mtime
 * tick is not kept; a failed read is not kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightBytes, type FolderReads } from '../../src/extension/weightBytes';
import { tempDir } from '../lape/helpers';

type Folders = Record<string, { mtimeMs: number; files: Record<string, number> }>;

/** An in-memory folder tree at a settable clock that counts the reads made of it. */
function fakeFolders(folders: Folders, clock = { now: 1e6 }) {
  const counts = { list: 0, size: 0 };
  const unreadable = new Set<string>();
  const reads: FolderReads = {
    stamp: (dir) => {
      const f = folders[dir];
      if (!f) throw new Error(`ENOENT: ${dir}`);
      return { id: `${dir}:${f.mtimeMs}`, mtimeMs: f.mtimeMs };
    },
    list: (dir) => (counts.list++, Object.keys(folders[dir]!.files)),
    size: (file) => {
      counts.size++;
      if (unreadable.has(file)) throw new Error(`EACCES: ${file}`);
      const cut = file.lastIndexOf('/');
      return folders[file.slice(0, cut)]!.files[file.slice(cut + 1)]!;
    },
    nowMs: () => clock.now,
  };
  return { reads, counts, unreadable, clock };
}

test('switching back and forth to prompts of one model lists its folder once; a file overwritten in place is measured anew', () => {
  const folders: Folders = { '/m/7b': { mtimeMs: 1, files: { 'model-00001-of-00002.safetensors': 9e9, 'model-00002-of-00002.safetensors': 4e9, 'config.json': 700, 'tokenizer.json': 2e6 } } };
  const { reads, counts } = fakeFolders(folders);
  const w = new WeightBytes(reads);
  for (let i = 0; i < 5; i++) assert.equal(w.of('/m/7b'), 13e9);
  assert.equal(counts.list, 1);
  // Overwritten in place (cp over it, save_pretrained to the same name): the folder's mtime stays.
  folders['/m/7b']!.files['model-00002-of-00002.safetensors'] = 5e9;
  assert.equal(w.of('/m/7b'), 14e9);
  // A file renamed in moves the folder's mtime: listed again.
  folders['/m/7b'] = { mtimeMs: 2, files: { 'model.safetensors': 14e9 } };
  assert.equal(w.of('/m/7b'), 14e9);
  assert.equal(w.of('/m/7b'), 14e9);
  assert.equal(counts.list, 2);
});

test('a listing taken within the folder mtime tick is not kept: a change in the same tick is seen', () => {
  const folders: Folders = { '/m/new': { mtimeMs: 1e6, files: { 'a.safetensors': 10 } } };
  const { reads, counts, clock } = fakeFolders(folders);
  const w = new WeightBytes(reads);
  assert.equal(w.of('/m/new'), 10);
  folders['/m/new']!.files['b.safetensors'] = 5; // same tick: the mtime does not move
  assert.equal(w.of('/m/new'), 15);
  assert.equal(counts.list, 2);
  clock.now += 60_000;
  assert.equal(w.of('/m/new'), 15);
  assert.equal(w.of('/m/new'), 15);
  assert.equal(counts.list, 3);
});

test('a folder without weight files has no size; an unreadable folder or file has none and is asked again', () => {
  const folders: Folders = { '/m/empty': { mtimeMs: 5, files: { 'config.json': 10 } } };
  const { reads, counts, unreadable } = fakeFolders(folders);
  const w = new WeightBytes(reads);
  assert.equal(w.of('/m/empty'), undefined);
  assert.equal(w.of('/m/empty'), undefined);
  assert.equal(counts.list, 1);
  assert.equal(w.of('/m/missing'), undefined);
  folders['/m/missing'] = { mtimeMs: 1, files: { 'pytorch_model.bin': 42 } };
  assert.equal(w.of('/m/missing'), 42);
  // A weight file that cannot be read yet (permissions, an un-fetched git-annex link).
  unreadable.add('/m/missing/pytorch_model.bin');
  assert.equal(w.of('/m/missing'), undefined);
  unreadable.clear();
  assert.equal(w.of('/m/missing'), 42);
});

test('on disk: the sizes of .safetensors/.bin/.pt/.pth files summed; a weight file renamed in or rewritten in place counts', () => {
  const dir = join(tempDir(), 'ckpt');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.safetensors'), Buffer.alloc(300));
  writeFileSync(join(dir, 'b.bin'), Buffer.alloc(20));
  writeFileSync(join(dir, 'config.json'), '{}');
  const w = new WeightBytes();
  assert.equal(w.of(dir), 320);
  writeFileSync(join(dir, '..', 'c.pt.tmp'), Buffer.alloc(5));
  renameSync(join(dir, '..', 'c.pt.tmp'), join(dir, 'c.pt'));
  assert.equal(w.of(dir), 325);
  writeFileSync(join(dir, 'a.safetensors'), Buffer.alloc(400));
  assert.equal(w.of(dir), 425);
});
