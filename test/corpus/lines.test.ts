/**
 * readLines: the same lines as node:readline (\n, \r\n, lone \r, BOM, no final newline), chunk
 * boundaries included, and a line over the cap is an error naming file:line (issue 16, probe 10).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../../src/engine/corpus/lines';

async function both(text: string): Promise<[string[], string[]]> {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lines-'));
  try {
    const f = join(dir, 'a.txt');
    writeFileSync(f, text);
    const ours: string[] = [];
    for await (const { line, n } of readLines(f)) {
      assert.equal(n, ours.length + 1);
      ours.push(line);
    }
    const ref: string[] = [];
    for await (const l of createInterface({ input: createReadStream(f, { encoding: 'utf8' }), crlfDelay: Infinity })) ref.push(ref.length === 0 ? l.replace(/^\ufeff/, '') : l);
    return [ours, ref];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('readLines splits exactly as readline does', async () => {
  const filler = 'x'.repeat(65536 - 3); // puts a \r\n across the 64 KiB stream chunk boundary
  for (const text of ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', 'a\rb\r', '\ufeffhé\n\nwörld', `${filler}ab\r\ncd\n`, `${filler}abc\r\nd`, '\n\n\r\n\r']) {
    const [ours, ref] = await both(text);
    assert.deepEqual(ours, ref, JSON.stringify(text.slice(-12)));
  }
});

test('a line longer than the cap is an error naming the file and line, before it is buffered whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lines-'));
  try {
    const f = join(dir, 'big.jsonl');
    writeFileSync(f, `short\n${'y'.repeat(300_000)}\nafter\n`);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const { line } of readLines(f, undefined, 100_000)) seen.push(line);
      })(),
      (e: Error) => e.message === `${f}:2: line is longer than 100000 characters`,
    );
    assert.deepEqual(seen, ['short']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
