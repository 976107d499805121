/** The CLI contract other tools rely on: commands, JSON shapes, files written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, jsonLines } from '../helpers/cli';
import { readSafetensorsHeader, readTensorF32 } from '../../src/engine/checkpoint/safetensors';
import { sharedModel, skipWithoutModel } from '../helpers/shared';

const stories = sharedModel('stories260K');
const skip = skipWithoutModel('stories260K');
const reference = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'reference', 'stories260K-once.json'), 'utf8')) as { greedy: number[]; hook_post: number[] };

test('generate --json gives the PyTorch reference greedy tokens on stories260K', { skip }, () => {
  const r = cli(['generate', '--model', stories!, '--prompt', 'Once upon a time', '--max-new-tokens', '12', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { promptIds: number[]; generatedIds: number[]; text: string; stoppedBy: string };
  assert.deepEqual(Object.keys(out), ['promptIds', 'generatedIds', 'text', 'stoppedBy']);
  assert.equal(out.stoppedBy, 'max-new-tokens');
  assert.deepEqual(out.promptIds, [1, 403, 407, 261, 378]);
  assert.deepEqual(out.generatedIds, reference.greedy.slice(0, 12));
  assert.equal(out.text, ', there was a little girl named Lily. She');
});

test('tokenize prints one {"ids"} line per input line, with BOS', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-cli-'));
  try {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, '{"text": "Once upon a time"}\n\n{"text": ""}\n{"text": "Lily"}\n');
    const r = cli(['tokenize', '--model', stories!, '--input', input]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonLines(r.stdout), [{ ids: [1, 403, 407, 261, 378] }, { ids: [1] }, { ids: [1, 317] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('capture writes F32 [pos, dim] tensors named by hook, with * expanded and logits as a hook', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-cli-'));
  try {
    const out = join(dir, 'acts.safetensors');
    const r = cli(['capture', '--model', stories!, '--ids', '1,403,407,261,378', '--hooks', 'blocks.*.mlp.hook_post,logits', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const entries = readSafetensorsHeader(out);
    assert.deepEqual(
      entries.map((e) => [e.name, e.dtype, e.shape]).sort(),
      [0, 1, 2, 3, 4].map((l) => [`blocks.${l}.mlp.hook_post`, 'F32', [5, 172]]).concat([['logits', 'F32', [5, 512]]]).sort(),
    );
    const h2 = readTensorF32(entries.find((e) => e.name === 'blocks.2.mlp.hook_post')!);
    let diff = 0;
    reference.hook_post.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - h2[i]!))));
    assert.ok(diff < 1e-4, `hook_post differs from PyTorch by ${diff}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('info --json reports architecture, sizes, dtype, parameters and tokenizer facts', { skip }, () => {
  const r = cli(['info', '--model', stories!, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(info.modelType, 'llama');
  assert.equal(info.dModel, 64);
  assert.equal(info.nLayers, 5);
  assert.equal(info.nHeads, 8);
  assert.equal(info.nKvHeads, 4);
  assert.equal(info.dMlp, 172);
  assert.equal(info.vocabSize, 512);
  assert.equal(info.dtype, 'F32');
  assert.equal(info.tiedEmbeddings, true);
  // 512·64 embedding + 5 layers · (2·64 norms + 64·64 q + 2·32·64 k,v + 64·64 o + 3·172·64 mlp) + 64 final norm
  assert.equal(info.parameterCount, 512 * 64 + 5 * (2 * 64 + 64 * 64 + 2 * 32 * 64 + 64 * 64 + 3 * 172 * 64) + 64);
  assert.deepEqual(info.tokenizer, { vocabSize: 512, bosId: 1, eosId: 2, addsBos: true, hasChatTemplate: false });
  assert.deepEqual(info.languages, []);
});

test('usage: no command prints usage with exit 2; --help per command exits 0', () => {
  const r = cli([]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /usage: polyglot-lens <command>/);
  const h = cli(['capture', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--hooks VALUE/);
});
