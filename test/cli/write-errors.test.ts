/**
 * An output written onto a full disk (issue 21, item 11): Node reports a failed write as
 * "ENOSPC: no space left on device, write" with no file at all. Through the real bin, with --out
 * on a full tmpfs in a private mount namespace: one line naming the output, exit 1, nothing left
 * behind (no temp folder, no partial output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../helpers/cli';
import { inMountNamespace, unshareSkip } from '../helpers/mount';
import { inTempDir } from '../helpers/temp';
import { activationCounts } from '../helpers/torch-zip';

const skip = unshareSkip();

// Full: nothing fits. Nearly full: the temp folder and its marker fit, the default model's
// neuron statistics (about 200 KB) do not — the failing write is inside the job's own files.
for (const [what, free, commands] of [['full', 0, ['lape', 'n']], ['nearly full', 24, ['n']]] as const) {
  test(`${commands.length === 2 ? 'import-lape and neurons' : 'neurons'} with --out on a ${what} disk: one line naming --out, nothing left`, { skip }, inTempDir('pl-enospc-', (work) => {
    const en = join(work, 'activation.en.train.x');
    const fr = join(work, 'activation.fr.train.x');
    writeFileSync(en, activationCounts([[0, 2, 4], [3, 0, 1]], 5));
    writeFileSync(fr, activationCounts([[1, 2, 0], [3, 0, 1]], 5));
    const mnt = join(work, 'mnt');
    mkdirSync(mnt);
    // A 64 KiB tmpfs filled up to `free` KiB: dd stops at ENOSPC (its exit status is not ours).
    const fill = free === 0 ? 'dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; true' : `dd if=/dev/zero of="$MNT/fill" bs=1k count=${64 - free} 2>/dev/null; true`;
    const run = {
      lape: '"$NODE" "$BIN" import-lape "$EN" "$FR" --out "$MNT/lape"',
      n: '"$NODE" "$BIN" neurons --corpus udhr:en,fr --max-tokens-per-lang 60 --max-length 16 --out "$MNT/n"',
    };
    const script = `mount -t tmpfs -o size=64k tmpfs "$MNT" && (${fill}) && ${commands.map((c) => `${run[c]} 2> "$WORK/${c}.err"; echo $? > "$WORK/${c}.rc"; `).join('')}ls -A "$MNT" > "$WORK/listing"`;
    const r = inMountNamespace(script, { MNT: mnt, NODE: process.execPath, BIN, EN: en, FR: fr, WORK: work });
    assert.equal(r.status, 0, r.stderr);
    for (const name of commands) {
      const out = name;
      const err = readFileSync(join(work, `${name}.err`), 'utf8');
      assert.equal(readFileSync(join(work, `${name}.rc`), 'utf8').trim(), '1', err);
      // One error line (a warning may come first: the figures' PNG could not be rendered either).
      const lines = err.trimEnd().split('\n').filter((l) => !l.startsWith('polyglot-lens: warning: '));
      assert.equal(lines.length, 1, err);
      assert.match(lines[0]!, new RegExp(`^polyglot-lens: .*mnt/${out}: cannot write the output: no space left on the device \\(ENOSPC\\); nothing was written$`));
    }
    assert.deepEqual(readFileSync(join(work, 'listing'), 'utf8').split('\n').filter(Boolean), ['fill'], 'no output and no temp folder left');
  }));
}
