/**
 * Bad input: each case gets one line on stderr naming the file or argument and the problem, a
 * non-zero exit, no stack trace, and no output file left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, cli } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

function corruptHeader(file: string, edit: (h: Record<string, { data_offsets: number[]; dtype: string; shape: number[] }>) => void, headerLen?: number): void {
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const h = JSON.parse(buf.subarray(8, 8 + n).toString()) as Record<string, { data_offsets: number[]; dtype: string; shape: number[] }>;
  edit(h);
  let json = JSON.stringify(h);
  json += ' '.repeat(Math.max(0, n - Buffer.byteLength(json)));
  const hb = Buffer.from(json);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerLen ?? hb.length));
  writeFileSync(file, Buffer.concat([len, hb, buf.subarray(8 + n)]));
}

function editConfig(dir: string, edit: (c: Record<string, unknown>) => void): void {
  const f = join(dir, 'config.json');
  const c = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
  edit(c);
  writeFileSync(f, JSON.stringify(c));
}

interface Case {
  name: string;
  break: (dir: string) => void;
  args?: (dir: string, out: string) => string[];
  expect: RegExp;
}

const st = (dir: string): string => join(dir, 'model.safetensors');
const CASES: Case[] = [
  { name: 'truncated safetensors', break: (d) => truncateSync(st(d), 3000), expect: /model\.safetensors: tensor .* runs past the end of the file/ },
  { name: 'file shorter than the header length field', break: (d) => truncateSync(st(d), 5), expect: /model\.safetensors: truncated safetensors file/ },
  { name: 'header length larger than the file', break: (d) => corruptHeader(st(d), () => {}, 10_000_000), expect: /model\.safetensors: header length 10000000 is larger than the file/ },
  {
    name: 'overlapping offsets',
    break: (d) =>
      corruptHeader(st(d), (h) => {
        const names = Object.keys(h).filter((k) => k !== '__metadata__');
        const a = h[names[0]!]!;
        const b = h[names[1]!]!;
        const size = b.data_offsets[1]! - b.data_offsets[0]!;
        b.data_offsets = [a.data_offsets[0]!, a.data_offsets[0]! + size];
      }),
    expect: /model\.safetensors: tensors .* overlap/,
  },
  {
    name: 'header that is not JSON',
    break: (d) => {
      const buf = readFileSync(st(d));
      buf.write('{{{{', 8);
      writeFileSync(st(d), buf);
    },
    expect: /model\.safetensors: safetensors header is not valid JSON/,
  },
  { name: 'shape disagreeing with config', break: (d) => editConfig(d, (c) => (c.intermediate_size = 50)), expect: /model\.safetensors: tensor model\.layers\.0\.mlp\.gate_proj\.weight has shape \[48, 32\] but config\.json implies \[50, 32\]/ },
  { name: 'unsupported dtype', break: (d) => corruptHeader(st(d), (h) => (Object.values(h)[0]!.dtype = 'I8')), expect: /unsupported dtype "I8"/ },
  { name: 'missing config key', break: (d) => editConfig(d, (c) => delete c.hidden_size), expect: /config\.json: missing key hidden_size/ },
  { name: 'wrongly typed config key', break: (d) => editConfig(d, (c) => (c.num_hidden_layers = '2')), expect: /config\.json: key num_hidden_layers must be a positive integer, got "2"/ },
  { name: 'unknown model_type', break: (d) => editConfig(d, (c) => (c.model_type = 'mamba9')), expect: /config\.json: unknown model_type "mamba9" \(supported: llama, mistral, qwen2/ },
  { name: 'malformed config.json', break: (d) => writeFileSync(join(d, 'config.json'), '{"hidden_size": 3,'), expect: /config\.json: not a JSON object/ },
  { name: 'missing tokenizer.json', break: (d) => rmSync(join(d, 'tokenizer.json')), expect: /tokenizer\.json: missing/ },
  { name: 'malformed tokenizer.json', break: (d) => writeFileSync(join(d, 'tokenizer.json'), '{"model": '), expect: /tokenizer\.json: malformed JSON/ },
  { name: 'missing weights', break: (d) => rmSync(st(d)), expect: /no model\.safetensors or model\.safetensors\.index\.json/ },
  { name: 'prompt longer than max_position_embeddings', break: () => {}, args: (d, o) => ['capture', '--model', d, '--prompt', 'x'.repeat(80), '--hooks', 'logits', '--out', o], expect: /input: 81 tokens exceed the model's max_position_embeddings \(64\)/ },
  { name: '--ids outside the vocabulary', break: () => {}, args: (d, o) => ['capture', '--model', d, '--ids', '1,5,264', '--hooks', 'logits', '--out', o], expect: /--ids: token id 264 is outside the vocabulary \(0-263\)/ },
  { name: 'malformed --ids', break: () => {}, args: (d, o) => ['capture', '--model', d, '--ids', '1,x', '--hooks', 'logits', '--out', o], expect: /--ids: expected comma-separated token ids/ },
  { name: 'unknown hook name', break: () => {}, args: (d, o) => ['capture', '--model', d, '--ids', '1,5', '--hooks', 'blocks.0.mlp.hook_middle', '--out', o], expect: /--hooks: unknown hook blocks\.0\.mlp\.hook_middle/ },
  { name: 'hook in a layer that does not exist', break: () => {}, args: (d, o) => ['capture', '--model', d, '--ids', '1,5', '--hooks', 'blocks.7.mlp.hook_post', '--out', o], expect: /layer 7 does not exist \(the model has 2 layers/ },
  { name: 'missing model folder', break: () => {}, args: (d, o) => ['capture', '--model', join(d, 'nope'), '--ids', '1', '--hooks', 'logits', '--out', o], expect: /nope: model folder does not exist/ },
  { name: 'unknown option', break: () => {}, args: (d, o) => ['capture', '--model', d, '--idz', '1', '--out', o], expect: /--idz: unknown option/ },
];

for (const c of CASES) {
  test(`bad input: ${c.name}`, () => {
    const tiny = writeTinyModel({ seed: 21 });
    const work = mkdtempSync(join(tmpdir(), 'pl-bad-'));
    try {
      c.break(tiny.dir);
      const out = join(work, 'out.safetensors');
      const args = c.args?.(tiny.dir, out) ?? ['capture', '--model', tiny.dir, '--ids', '1,5,9', '--hooks', 'logits', '--out', out];
      const r = cli(args);
      assertOneLineError(r, c.expect);
      assert.deepEqual(readdirSync(work), [], 'nothing written');
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
}

test('the model folder is never written to', () => {
  const tiny = writeTinyModel({ seed: 22 });
  const work = mkdtempSync(join(tmpdir(), 'pl-ro-'));
  try {
    const before = readdirSync(tiny.dir).sort();
    const copy = join(work, 'copy');
    cpSync(tiny.dir, copy, { recursive: true });
    const r = cli(['capture', '--model', tiny.dir, '--ids', '1,5,9', '--hooks', 'blocks.*.mlp.hook_post', '--out', join(work, 'a.safetensors')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(tiny.dir).sort(), before);
    for (const f of before) assert.ok(readFileSync(join(tiny.dir, f)).equals(readFileSync(join(copy, f))), `${f} unchanged`);
    assert.ok(existsSync(join(work, 'a.safetensors')));
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('--verbose adds the stack trace', () => {
  const r = cli(['info', '--model', '/nonexistent/model', '--verbose']);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.split('\n').length > 2);
});
