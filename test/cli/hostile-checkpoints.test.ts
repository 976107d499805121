/**
 * Hostile model and statistics files of the second probe (issue 21, items 8, 10, 11 and 12),
 * through the real bin in temp folders: each is one line naming the file and what is wrong, at
 * once and without a large allocation — never "Maximum call stack size exceeded", a Node
 * RangeError, "unexpected end of file", minutes of regex backtracking, or an ambiguous archive
 * read silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, ftruncateSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inTempDir } from '../helpers/temp';
import { assertOneLineError, BIN, cli, ROOT, type CliResult } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';
import { activationCounts, op, stateDictPickle, storedZip, torchSaveFiles } from '../helpers/torch-zip';
import { readTorchBinHeader } from '../../src/engine/checkpoint/torchbin';
import { UserError } from '../../src/engine/errors';
import { catastrophicRisk, hasOverlappingRepeatedAlternation } from '../../src/engine/tokenizer/regexRisk';

const T = { timeoutMs: 60_000 };

const withWork = (fn: (work: string) => void): (() => void) => inTempDir('pl-hostile-', fn);

/** The real bin with a preload that reports the process's peak resident memory on exit (KiB). */
function cliWithPeak(args: string[], work: string): CliResult & { peakMiB: number } {
  const preload = join(work, 'peak.cjs');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, `peak-rss ${process.resourceUsage().maxRSS}\\n`));\n");
  const r = spawnSync(process.execPath, ['-r', preload, BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: T.timeoutMs, env: { ...process.env, POLYGLOT_LENS_CACHE: join(ROOT, '.cache', 'test') } });
  const m = /peak-rss (\d+)\n$/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.slice(0, m.index), peakMiB: Number(m[1]) / 1024 };
}

const english = (work: string): string => {
  const f = join(work, 'activation.en.train.x');
  writeFileSync(f, activationCounts([[0, 2, 4], [3, 0, 1]], 5));
  return f;
};

test('item 8: a pre-tokenizer repeating an alternation whose branches overlap is refused naming the file and the pattern', withWork((work) => {
  const probe = '(a|a)*$| ?[\\p{L}\\p{M}]+|\\s+|.';
  assert.equal(catastrophicRisk(probe), 'repeats a group whose alternatives can match the same text');
  for (const p of ['(a|ab)*c', '(?:x|\\s)+y', '(\\p{L}|é)+$', '(a|)*b', '(?:[ab]|a){2,}$', '(A|a)+$']) assert.equal(hasOverlappingRepeatedAlternation(p), true, p);
  // Repeats of disjoint alternatives, optional groups and top-level alternations (every real tokenizer) pass.
  for (const p of ['(a|b)*$', '(?i:\'s|\'t|\'re)?x', "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", '(?:ab|cd)+', '[(a|a)*]+', '\\(a|a\\)*']) {
    assert.equal(hasOverlappingRepeatedAlternation(p), false, p);
  }
  const model = writeTinyModel({ seed: 31 }, join(work, 'model')).dir;
  const tok = JSON.parse(readFileSync(join(model, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  tok.pre_tokenizer = { type: 'Split', pattern: { Regex: probe }, behavior: 'Isolated', invert: false };
  writeFileSync(join(model, 'tokenizer.json'), JSON.stringify(tok));
  const input = join(work, 'in.jsonl');
  // 48 × "a" would take days: 32 took 45 s, doubling per character.
  writeFileSync(input, `${JSON.stringify({ text: `${'a'.repeat(48)}!` })}\n`);
  assertOneLineError(cli(['tokenize', '--model', model, '--input', input], T), /model\/tokenizer\.json: pattern "\(a\|a\)\*\$\| \?\[\\\\p\{L\}\\\\p\{M\}\]\+\|\\\\s\+\|\." repeats a group whose alternatives can match the same text/);
}));

test('item 11: 20,000 nested normalizers are one line naming tokenizer.json, not a stack overflow', withWork((work) => {
  const model = writeTinyModel({ seed: 32 }, join(work, 'model')).dir;
  const tok = JSON.parse(readFileSync(join(model, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  // Written as text: JSON.stringify itself recurses and would overflow on 20k levels.
  const normalizer = `${'{"type":"Sequence","normalizers":['.repeat(20_000)}{"type":"Lowercase"}${']}'.repeat(20_000)}`;
  tok.normalizer = '@NORMALIZER@';
  writeFileSync(join(model, 'tokenizer.json'), JSON.stringify(tok).replace('"@NORMALIZER@"', normalizer));
  assertOneLineError(cli(['info', '--model', model], T), /model\/tokenizer\.json: nests objects more than 64 levels deep/);
}));

test('item 10: an end record declaring a 1.5 GB central directory (sparse file) fails at once without allocating it', withWork((work) => {
  const z = storedZip(torchSaveFiles(stateDictPickle([]), {}));
  const size = 1_600_000_000;
  const build = (file: string, count: number): void => {
    const fd = openSync(file, 'w');
    ftruncateSync(fd, size); // sparse: 4 KB on disk
    writeSync(fd, z.bytes, 0, z.centralOffset, 0);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(count, 8);
    eocd.writeUInt16LE(count, 10);
    eocd.writeUInt32LE(1_500_000_000, 12);
    eocd.writeUInt32LE(size - 22 - 1_500_000_000, 16);
    writeSync(fd, eocd, 0, 22, size - 22);
    closeSync(fd);
  };
  const counts = join(work, 'activation.fr.train.big');
  build(counts, 3);
  const r = cliWithPeak(['import-lape', english(work), counts, '--out', join(work, 'o')], work);
  assertOneLineError(r, /activation\.fr\.train\.big: truncated or corrupt zip archive \(central directory entry 0 at byte \d+ has no entry signature\)$/);
  assert.ok(r.peakMiB < 400, `peak ${r.peakMiB.toFixed(0)} MiB (the declared directory is 1430 MiB)`);
  const model = writeTinyModel({ seed: 33 }, join(work, 'model')).dir;
  rmSync(join(model, 'model.safetensors'));
  build(join(model, 'pytorch_model.bin'), 0xfffe);
  const m = cliWithPeak(['info', '--model', model], work);
  assertOneLineError(m, /pytorch_model\.bin: truncated or corrupt zip archive/);
  assert.ok(m.peakMiB < 400, `peak ${m.peakMiB.toFixed(0)} MiB`);
}));

test('item 11: a 200k-deep pickle and APPENDS of 300k items are one line naming the file, not a stack overflow', withWork((work) => {
  const deep = join(work, 'activation.de.train.deep');
  // _rebuild_from_type_v2 whose arguments rebuild with _rebuild_from_type_v2 again, 200k deep.
  const rebuild = op.global('torch._tensor', '_rebuild_from_type_v2');
  const tensor = op.global('torch', 'Tensor');
  const nested = [rebuild, op.mark];
  for (let i = 0; i < 200_000; i++) nested.push(rebuild, tensor, op.mark);
  nested.push(op.emptyTuple);
  for (let i = 0; i < 200_000; i++) nested.push(op.tuple);
  nested.push(op.tuple, op.reduce);
  writeFileSync(deep, storedZip(torchSaveFiles(Buffer.concat([op.proto, op.emptyDict, op.str('over_zero'), ...nested, Buffer.from('s'), op.stop]), {})).bytes);
  assertOneLineError(cli(['import-lape', english(work), deep, '--out', join(work, 'o')], T), /activation\.de\.train\.deep: _rebuild_from_type_v2 nested inside itself/);
  const appends = join(work, 'activation.es.train.appends');
  const items = [op.proto, op.emptyDict, op.str('extra'), op.emptyList, op.mark];
  for (let i = 0; i < 300_000; i++) items.push(op.int(i));
  items.push(op.appends, Buffer.from('s'), op.stop);
  writeFileSync(appends, storedZip(torchSaveFiles(Buffer.concat(items), {})).bytes);
  assertOneLineError(cli(['import-lape', english(work), appends, '--out', join(work, 'o')], T), /activation\.es\.train\.appends: needs an integer tensor over_zero/);
}));

test('item 11: a storage whose declared size exceeds its data is one line naming the file, not "unexpected end of file"', withWork((work) => {
  const pickle = stateDictPickle([{ name: 'over_zero', storage: 'IntStorage', key: '0', numel: 6, shape: [2, 3] }], { n: 5 });
  const z = storedZip(torchSaveFiles(pickle, { '0': Buffer.alloc(24) }));
  const b = Buffer.from(z.bytes);
  // The last central entry (archive/data/0) declares 4 MB uncompressed while 24 bytes are stored.
  let p = z.centralOffset;
  for (let i = 0; i < 2; i++) p += 46 + b.readUInt16LE(p + 28);
  b.writeUInt32LE(4_000_000, p + 24);
  const short = join(work, 'activation.nl.train.short');
  writeFileSync(short, b);
  assertOneLineError(cli(['import-lape', english(work), short, '--out', join(work, 'o')], T), /activation\.nl\.train\.short: truncated or corrupt zip archive \(stored entry archive\/data\/0 declares 4000000 bytes but 24 compressed bytes\)$/);
}));

test('item 11: every single-byte corruption of a torch.save file gives a UserError or a result, never a RangeError', withWork((work) => {
  const good = activationCounts([[1, 2, 0], [3, 0, 1]], 5);
  const f = join(work, 'c.bin');
  let refused = 0;
  for (let at = 0; at < good.length; at++) {
    for (const v of [0x00, 0xff, 0x7f]) {
      const b = Buffer.from(good);
      b[at] = v;
      writeFileSync(f, b);
      try {
        readTorchBinHeader(f);
      } catch (e) {
        assert.ok(e instanceof UserError, `byte ${at} = ${v}: ${String(e)}`);
        assert.doesNotMatch(e.message, /\n|RangeError|out of range|undefined/);
        refused++;
      }
    }
  }
  assert.ok(refused > good.length, `${refused} corruptions refused`);
}));

test('item 12: a duplicate zip entry and over_zero of shape [0, 2^30] are refused instead of read silently', withWork((work) => {
  const pickle = stateDictPickle([{ name: 'over_zero', storage: 'IntStorage', key: '0', numel: 6, shape: [2, 3] }], { n: 5 });
  const other = Buffer.alloc(24);
  other.writeInt32LE(5, 0);
  const files = torchSaveFiles(pickle, { '0': Buffer.alloc(24) });
  files.push({ name: 'archive/data/0', data: other });
  const dup = join(work, 'activation.pt.train.dup');
  writeFileSync(dup, storedZip(files).bytes);
  assertOneLineError(cli(['import-lape', english(work), dup, '--out', join(work, 'o')], T), /activation\.pt\.train\.dup: zip entry archive\/data\/0 appears twice/);
  // The same in a model folder's pytorch_model.bin.
  const model = writeTinyModel({ seed: 34 }, join(work, 'model')).dir;
  rmSync(join(model, 'model.safetensors'));
  cpSync(dup, join(model, 'pytorch_model.bin'));
  assertOneLineError(cli(['info', '--model', model], T), /pytorch_model\.bin: zip entry archive\/data\/0 appears twice/);
  const empty = stateDictPickle([{ name: 'over_zero', storage: 'IntStorage', key: '0', numel: 0, shape: [0, 2 ** 30] }], { n: 5 });
  const shape = join(work, 'activation.sv.train.shape');
  writeFileSync(shape, storedZip(torchSaveFiles(empty, { '0': Buffer.alloc(0) })).bytes);
  assertOneLineError(cli(['import-lape', english(work), shape, '--out', join(work, 'o')], T), /activation\.sv\.train\.shape: over_zero has shape \[0, 1073741824\]; expected \[num_layers, intermediate_size\] with 1-4096 layers/);
  // As the safetensors the reference could also be converted to: [0, 2^50] passes the header check (0 bytes).
  const st = join(work, 'sv.safetensors');
  const header = Buffer.from(JSON.stringify({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] }, over_zero: { dtype: 'I32', shape: [0, 2 ** 50], data_offsets: [8, 8] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const n = Buffer.alloc(8);
  n.writeBigInt64LE(5n);
  writeFileSync(st, Buffer.concat([len, header, n]));
  assertOneLineError(cli(['import-lape', english(work), st, '--out', join(work, 'o')], T), /sv\.safetensors: over_zero has shape \[0, 1125899906842624\]/);
}));
