/**
 * The graph cache on a full or read-only file system (issue 21, item 14): `analyze` through the
 * real bin with --cache-dir on a full tmpfs, and on a read-only one, mounted in a private mount
 * namespace (`unshare`; skipped where unprivileged namespaces are off). The run falls back to no
 * cache and says so in one note; no `graph-*.onnx.tmp-PID` is left; the report is complete.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/cli';
import { inMountNamespace, unshareSkip } from '../helpers/mount';
import { writeTinyModel } from '../helpers/tiny-model';

const skip = unshareSkip();

for (const kind of ['full', 'read-only'] as const) {
  test(`analyze with the cache folder on a ${kind} file system: exit 0, one note, no temp file, complete report`, { skip }, () => {
    const work = mkdtempSync(join(tmpdir(), 'pl-cachefull-'));
    try {
      writeTinyModel({ seed: 14 }, join(work, 'model'));
      const prompt = join(work, 'a.prompt');
      writeFileSync(prompt, '---\nmodel: ./model\n---\nHello world\n');
      const mnt = join(work, 'mnt');
      mkdirSync(mnt);
      const out = join(work, 'report');
      // Full: a 64 KiB tmpfs whose cache folder exists, then a file fills every byte that is left.
      const prepare = kind === 'full'
        ? `mount -t tmpfs -o size=64k tmpfs "$MNT" && mkdir "$MNT/cache" && (dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; true)`
        : `mount -t tmpfs -o size=64k tmpfs "$MNT" && mkdir "$MNT/cache" && mount -o remount,ro "$MNT"`;
      const script = `${prepare} && "$NODE" "$BIN" analyze "$PROMPT" --out "$OUT" --threads 1 --cache-dir "$MNT/cache"; rc=$?; ls -a "$MNT/cache" > "$WORK/listing"; exit $rc`;
      const r = inMountNamespace(script, { MNT: mnt, NODE: process.execPath, BIN, PROMPT: prompt, OUT: out, WORK: work });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readFileSync(join(work, 'listing'), 'utf8').split('\n').filter((f) => f && f !== '.' && f !== '..'), [], 'no graph and no temp file in the cache folder');
      const notes = r.stderr.trimEnd().split('\n').filter((l) => l.includes('cache folder'));
      assert.equal(notes.length, 1, r.stderr);
      assert.match(notes[0]!, new RegExp(`^polyglot-lens: note: .*mnt/cache: cannot store graphs in the cache folder \\((ENOSPC|EROFS)\\); continuing without caching them$`));
      assert.ok(existsSync(join(out, 'report.html')) && existsSync(join(out, 'report.json')));
      assert.deepEqual(readdirSync(work).filter((f) => f.includes('tmp')), []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
