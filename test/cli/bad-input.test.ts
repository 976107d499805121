/**
 * Bad input: each case gets one line on stderr naming the file or argument and the problem, a
 * non-zero exit, no stack trace, and no output file left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyGpt } from '../helpers/tiny-gpt';
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

/** Replaces the header text itself (for what JSON.stringify cannot write: duplicate keys, null). */
function rawHeader(file: string, edit: (json: string) => string): void {
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  let json = edit(buf.subarray(8, 8 + n).toString());
  json += ' '.repeat(Math.max(0, n - Buffer.byteLength(json)));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileSync(file, Buffer.concat([len, Buffer.from(json), buf.subarray(8 + n)]));
}

/** Adds a second entry under the first tensor's name, pointing at the last tensor's bytes. */
function duplicateFirstTensor(json: string): string {
  const h = JSON.parse(json) as Record<string, { data_offsets: number[] }>;
  const names = Object.keys(h).filter((k) => k !== '__metadata__');
  const last = JSON.stringify(h[names[names.length - 1]!]);
  return `${json.trimEnd().slice(0, -1)},${JSON.stringify(names[0])}:${last}}`;
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
  { name: 'duplicate tensor name (JSON keeps the last)', break: (d) => rawHeader(st(d), duplicateFirstTensor), expect: /model\.safetensors: tensor model\.embed_tokens\.weight is listed twice in the safetensors header/ },
  { name: 'bytes after the last tensor', break: (d) => appendFileSync(st(d), Buffer.alloc(16, 0xee)), expect: /model\.safetensors: 16 bytes after the last tensor belong to no tensor/ },
  {
    name: 'bytes between tensors',
    break: (d) =>
      corruptHeader(st(d), (h) => {
        // Shrink the first tensor's shape: its last 4 bytes then belong to no tensor.
        const first = Object.values(h).find((e) => e.data_offsets?.[0] === 0)!;
        first.shape = [first.shape.reduce((a, b) => a * b, 1) - 1];
        first.data_offsets = [0, first.data_offsets[1]! - 4];
      }),
    expect: /model\.safetensors: 4 bytes between tensors .* belong to no tensor/,
  },
  { name: 'null safetensors header', break: (d) => rawHeader(st(d), () => 'null'), expect: /model\.safetensors: safetensors header must be a JSON object, got null/ },
  { name: 'tensor entry that is not an object', break: (d) => corruptHeader(st(d), (h) => ((h as Record<string, unknown>)['model.norm.weight'] = null)), expect: /model\.safetensors: tensor model\.norm\.weight: expected \{dtype, shape, data_offsets\}/ },
  {
    name: 'model.safetensors is a FIFO (would hang the loader)',
    break: (d) => {
      rmSync(st(d));
      execFileSync('mkfifo', [st(d)]);
    },
    expect: /model\.safetensors: is not a plain file/,
  },
  { name: 'shape disagreeing with config', break: (d) => editConfig(d, (c) => (c.intermediate_size = 50)), expect: /model\.safetensors: tensor model\.layers\.0\.mlp\.gate_proj\.weight has shape \[48, 32\] but config\.json implies \[50, 32\]/ },
  { name: 'unsupported dtype', break: (d) => corruptHeader(st(d), (h) => (Object.values(h)[0]!.dtype = 'I8')), expect: /unsupported dtype "I8"/ },
  { name: 'missing config key', break: (d) => editConfig(d, (c) => delete c.hidden_size), expect: /config\.json: missing key hidden_size/ },
  { name: 'wrongly typed config key', break: (d) => editConfig(d, (c) => (c.num_hidden_layers = '2')), expect: /config\.json: key num_hidden_layers must be a positive integer, got "2"/ },
  { name: 'num_hidden_layers 1e9 (fails at once, not out of memory)', break: (d) => editConfig(d, (c) => (c.num_hidden_layers = 1e9)), expect: /config\.json: num_hidden_layers is 1000000000 but the checkpoint has no tensors for layer 999999999/ },
  { name: 'negative rms_norm_eps', break: (d) => editConfig(d, (c) => (c.rms_norm_eps = -1e-5)), expect: /config\.json: key rms_norm_eps must be a positive number, got -0\.00001/ },
  { name: 'zero rope_theta', break: (d) => editConfig(d, (c) => (c.rope_theta = 0)), expect: /config\.json: key rope_theta must be a positive number, got 0/ },
  {
    name: 'NaN weights',
    break: (d) => {
      const buf = readFileSync(st(d));
      const n = Number(buf.readBigUInt64LE(0));
      const h = JSON.parse(buf.subarray(8, 8 + n).toString()) as Record<string, { data_offsets: number[] }>;
      const at = 8 + n + h['model.layers.1.mlp.up_proj.weight']!.data_offsets[0]!;
      buf.writeFloatLE(NaN, at);
      buf.writeFloatLE(Infinity, at + 8);
      writeFileSync(st(d), buf);
    },
    expect: /model\.safetensors: tensor model\.layers\.1\.mlp\.up_proj\.weight has 2 non-finite values \(NaN or infinity\) of 1536/,
  },
  { name: 'unknown model_type', break: (d) => editConfig(d, (c) => (c.model_type = 'mamba9')), expect: /config\.json: unknown model_type "mamba9" \(supported: llama, mistral, qwen2/ },
  { name: 'malformed config.json', break: (d) => writeFileSync(join(d, 'config.json'), '{"hidden_size": 3,'), expect: /config\.json: not a JSON object/ },
  { name: 'missing tokenizer.json', break: (d) => rmSync(join(d, 'tokenizer.json')), expect: /tokenizer\.json: missing/ },
  { name: 'malformed tokenizer.json', break: (d) => writeFileSync(join(d, 'tokenizer.json'), '{"model": '), expect: /tokenizer\.json: malformed JSON/ },
  {
    name: 'catastrophic pre-tokenizer regex (seconds per 30 characters)',
    break: (d) => {
      const f = join(d, 'tokenizer.json');
      const t = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      t.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false }, t.pre_tokenizer] };
      writeFileSync(f, JSON.stringify(t));
    },
    args: (d, o) => ['capture', '--model', d, '--prompt', `${'a'.repeat(30)}!`, '--hooks', 'logits', '--out', o],
    expect: /tokenizer\.json: pattern "\(a\+\)\+\$" repeats a group that itself repeats \(catastrophic backtracking: seconds per line\); refusing this tokenizer/,
  },
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
      const r = cli(args, { timeoutMs: 60_000 });
      assertOneLineError(r, c.expect);
      assert.deepEqual(readdirSync(work), [], 'nothing written');
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
}

test('index shards must be plain files inside the model folder: ../ paths, absolute paths and FIFOs are refused', () => {
  const work = mkdtempSync(join(tmpdir(), 'pl-shards-'));
  try {
    const model = join(work, 'models', 'tiny');
    mkdirSync(join(work, 'models'));
    writeTinyModel({ seed: 23 }, model);
    // The weights moved outside the folder, still loadable, as an attacker's index would point.
    mkdirSync(join(work, 'outside'));
    renameSync(join(model, 'model.safetensors'), join(work, 'outside', 'evil.safetensors'));
    const names = Object.keys(JSON.parse(readFileSync(join(work, 'outside', 'evil.safetensors')).subarray(8, 8 + Number(readFileSync(join(work, 'outside', 'evil.safetensors')).readBigUInt64LE(0))).toString()) as object).filter((k) => k !== '__metadata__');
    const index = (shard: string): void => writeFileSync(join(model, 'model.safetensors.index.json'), JSON.stringify({ weight_map: Object.fromEntries(names.map((n) => [n, shard])) }));
    const run = () => cli(['info', '--model', model], { timeoutMs: 60_000 });
    for (const shard of ['../../outside/evil.safetensors', '../../../../../../../../etc/passwd', join(work, 'outside', 'evil.safetensors')]) {
      index(shard);
      const r = run();
      assert.equal(r.code, 1, `${shard}: ${r.stdout}`);
      assert.match(r.stderr.trimEnd(), /^polyglot-lens: .*model\.safetensors\.index\.json: shard ".*" is outside the model folder; shards must be files inside it$/);
    }
    execFileSync('mkfifo', [join(model, 'model-00001-of-00001.safetensors')]);
    index('model-00001-of-00001.safetensors');
    const r = run();
    assert.equal(r.code, 1);
    assert.match(r.stderr.trimEnd(), /model-00001-of-00001\.safetensors: shard listed in model\.safetensors\.index\.json is not a plain file$/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('a layer count beyond the tensors fails at once for the GPT families too (n_layer 1e9)', () => {
  for (const family of ['gpt2', 'bloom', 'xglm'] as const) {
    const tiny = writeTinyGpt({ family });
    try {
      editConfig(tiny.dir, (c) => {
        for (const k of ['n_layer', 'num_layers', 'num_hidden_layers']) if (k in c) c[k] = 1e9;
      });
      const r = cli(['info', '--model', tiny.dir], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, family);
      assert.match(r.stderr.trimEnd(), /^polyglot-lens: .*config\.json: the config implies 1000000000 layers but the checkpoint holds only \d+ tensors$/, family);
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  }
});

test('files named on the command line that are FIFOs are refused, not read forever (tokenize, intervene, compare-instructions)', () => {
  const tiny = writeTinyModel({ seed: 25 });
  const work = mkdtempSync(join(tmpdir(), 'pl-fifo-'));
  try {
    const fifo = join(work, 'in.jsonl');
    execFileSync('mkfifo', [fifo]);
    const lape = join(work, 'lape.json');
    execFileSync('mkfifo', [lape]);
    const task = join(work, 'task.prompt');
    execFileSync('mkfifo', [task]);
    const cases: [string[], RegExp][] = [
      [['tokenize', '--model', tiny.dir, '--input', fifo], /in\.jsonl: is not a plain file but a FIFO \(named pipe\): reading it would wait forever$/],
      [['intervene', '--model', tiny.dir, '--prompt', 'hi', '--lape', lape, '--deactivate', 'fr'], /lape\.json: is not a plain file but a FIFO/],
      [['compare-instructions', task, '--dataset', fifo, '--model', tiny.dir, '--out', join(work, 'o')], /task\.prompt: is not a plain file but a FIFO/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args, { timeoutMs: 60_000 });
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr.trimEnd(), re);
    }
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('names from files are echoed with terminal control sequences escaped (ESC, OSC, CSI, C1, bidi)', () => {
  const tiny = writeTinyModel({ seed: 24 });
  try {
    const evil = 'x\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202ey\nz';
    corruptHeader(st(tiny.dir), (h) => {
      const first = Object.keys(h).find((k) => k !== '__metadata__')!;
      h[evil] = { ...h[first]!, dtype: 'I8' };
      delete h[first];
    });
    const r = cli(['info', '--model', tiny.dir]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.startsWith(`polyglot-lens: ${st(tiny.dir)}: tensor x\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202ey\\x0az has unsupported dtype "I8"`), r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    writeTinyModel({ seed: 24 }, tiny.dir);
    editConfig(tiny.dir, (c) => (c.architectures = ['\u001b[2JLlama\u0007\u009d']));
    // An architecture name that is not llama's is refused (a config that mixes architectures), and
    // the refusal echoes the name with its control sequences escaped.
    const text = cli(['info', '--model', tiny.dir]);
    assert.equal(text.code, 1, text.stdout);
    assert.match(text.stderr, /architectures lists \\x1b\[2JLlama\\x07\\x9d but model_type is llama/);
    assert.ok(![...text.stderr.trimEnd()].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)), text.stderr);
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
  }
});

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
