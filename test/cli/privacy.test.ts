/**
 * Privacy (issue 16, probe 9): a run writes nothing outside its output and the cache folder; in
 * particular onnxruntime's telemetry (a device id and an event queue under ~/.cache/Microsoft)
 * stays off, and an empty XDG_CACHE_HOME does not put the cache in the current folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cli } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

test('a run writes no telemetry under the home folder, and only the output and the cache', () => {
  const work = mkdtempSync(join(tmpdir(), 'pl-privacy-'));
  try {
    const model = writeTinyModel({ seed: 9 }, join(work, 'model')).dir;
    const home = join(work, 'home');
    const cwd = join(work, 'cwd');
    mkdirSync(home);
    mkdirSync(cwd);
    const env = { HOME: home, XDG_CACHE_HOME: '', POLYGLOT_LENS_CACHE: undefined, ORT_DISABLE_TELEMETRY: undefined };
    const r = cli(['capture', '--model', model, '--ids', '1,5,9', '--hooks', 'logits', '--out', join(cwd, 'a.safetensors')], { cwd, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(filesUnder(cwd), ['a.safetensors']);
    const inHome = filesUnder(home);
    assert.ok(!inHome.some((f) => f.includes('Microsoft')), `no onnxruntime telemetry: ${inHome.join(', ')}`);
    assert.ok(inHome.length > 0 && inHome.every((f) => /^\.cache\/polyglot-lens\/graph-[0-9a-f]{32}\.onnx$/.test(f)), inHome.join(', '));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
