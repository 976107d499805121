/**
 * The output policy's temp folders (issue 16, probe 5) and the graph cache's eviction (probe 2):
 * an interrupted write leaves nothing, a later run removes only dead temp folders of ours, and the
 * cache evicts only graphs it wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphCache } from '../../src/engine/cache';
import { TEMP_MARKER } from '../../src/engine/io/outputs';
import { cli } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

const OUTPUTS = join(__dirname, '..', '..', 'src', 'engine', 'io', 'outputs.ts');

/** A child that starts writing an output folder (and a file), says where its temp is, and waits. */
const CHILD = `
const { planOutput, writeOutputFolder, writeOutputFile } = require(${JSON.stringify(OUTPUTS)});
const { writeFileSync, readdirSync } = require('node:fs');
const { join, dirname } = require('node:path');
const [dir, kind] = process.argv.slice(1);
const out = join(dir, kind === 'file' ? 'acts.safetensors' : 'report');
const t = planOutput(out, { kind });
const fill = (tmp) => {
  writeFileSync(kind === 'file' ? tmp : join(tmp, 'model.safetensors'), 'half a file');
  process.stdout.write(readdirSync(dir).join(',') + '\\n');
  setInterval(() => {}, 1000);
  return new Promise(() => {});
};
kind === 'file' ? writeOutputFile(t, fill) : writeOutputFolder(t, fill);
`;

async function interrupt(signal: NodeJS.Signals, kind: 'file' | 'folder'): Promise<{ code: number | null; during: string[]; after: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pl-sig-'));
  try {
    const p = spawn(process.execPath, ['--import', 'tsx', '-e', CHILD, dir, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
    const during = await new Promise<string[]>((resolve, reject) => {
      let buf = '';
      p.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.trim().split(','));
      });
      p.on('exit', () => reject(new Error(`child exited early: ${buf}`)));
    });
    const code = await new Promise<number | null>((resolve) => {
      p.on('exit', (c) => resolve(c));
      p.kill(signal);
    });
    return { code, during, after: readdirSync(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  for (const kind of ['folder', 'file'] as const) {
    test(`${signal} during an output ${kind} write removes the temp folder; a partial result never has a result's name`, async () => {
      const r = await interrupt(signal, kind);
      assert.equal(r.during.length, 1);
      assert.match(r.during[0]!, /^\.(report|acts\.safetensors)\.polyglot-lens-tmp-\d+$/, 'hidden temp name while writing');
      assert.equal(r.code, code);
      assert.deepEqual(r.after, []);
    });
  }
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('the next run removes stale temp folders of ours (marker and dead PID) and nothing else', () => {
  const tiny = writeTinyModel({ seed: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'pl-stale-'));
  try {
    const dead = deadPid();
    const temp = (name: string, marker?: object): void => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'model.safetensors'), 'half');
      if (marker) writeFileSync(join(dir, name, TEMP_MARKER), JSON.stringify(marker));
    };
    temp(`.old.polyglot-lens-tmp-${dead}`, { pid: dead });
    temp(`.nomarker.polyglot-lens-tmp-${dead}`);
    temp(`.alive.polyglot-lens-tmp-${process.pid}`, { pid: process.pid });
    temp(`.mismatch.polyglot-lens-tmp-${dead}`, { pid: dead + 1 });
    temp('user-folder', { pid: dead });
    const r = cli(['capture', '--model', tiny.dir, '--ids', '1,5', '--hooks', 'logits', '--out', join(dir, 'a.safetensors')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), [`.alive.polyglot-lens-tmp-${process.pid}`, `.mismatch.polyglot-lens-tmp-${dead}`, `.nomarker.polyglot-lens-tmp-${dead}`, 'a.safetensors', 'user-folder']);
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('graph cache eviction and clear touch only graphs the cache wrote (and its dead temp files), never other files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-cache-own-'));
  try {
    // A user's files, older than any graph, larger than the cap, one even named like a graph.
    const video = join(dir, 'holiday.mp4');
    writeFileSync(video, Buffer.alloc(1000, 7));
    const impostor = join(dir, `graph-${'0'.repeat(32)}.onnx`);
    writeFileSync(impostor, 'not a graph of ours');
    const old = new Date(Date.now() - 86_400_000);
    utimesSync(video, old, old);
    utimesSync(impostor, old, old);
    // A temp file of a graph write killed mid-way (dead PID) is ours to remove; a live one is not.
    writeFileSync(join(dir, `graph-${'1'.repeat(32)}.onnx.tmp-${deadPid()}`), 'half');
    writeFileSync(join(dir, `graph-${'2'.repeat(32)}.onnx.tmp-${process.pid}`), 'in progress');
    const cache = new GraphCache(dir, 250);
    cache.remember(new Uint8Array(100).fill(1));
    cache.remember(new Uint8Array(100).fill(2));
    cache.remember(new Uint8Array(100).fill(3));
    const graphs = readdirSync(dir).filter((f) => /^graph-[0-9a-f]{32}\.onnx$/.test(f) && f !== `graph-${'0'.repeat(32)}.onnx`);
    assert.equal(graphs.length, 2, 'the cap counts only own graphs: two 100-byte graphs fit 250 bytes');
    assert.equal(readFileSync(video).length, 1000);
    GraphCache.clear(dir);
    assert.deepEqual(readdirSync(dir).sort(), [`graph-${'0'.repeat(32)}.onnx`, `graph-${'2'.repeat(32)}.onnx.tmp-${process.pid}`, 'holiday.mp4']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
