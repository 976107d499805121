/**
 * pytorch_model.bin read safely: fixtures made by Debian's torch.save
 * (test/reference/make_arch_expected.py): dtypes and views read exactly, pickles that call
 * os.system or exec refused by name before anything runs, legacy and truncated files refused,
 * index shards that leave the model folder refused, model.safetensors preferred.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTorchBinHeader } from '../../src/engine/checkpoint/torchbin';
import { readTensorF32 } from '../../src/engine/checkpoint/safetensors';
import { LoadedModel } from '../../src/engine/model/model';
import { UserError } from '../../src/engine/errors';
import { writeTinyGemma } from '../helpers/tiny-gemma';

const BAD = join(__dirname, '..', 'fixtures', 'torchbin');
const ARCH = join(__dirname, '..', 'fixtures', 'arch');
const PWNED = '/tmp/polyglot-lens-pickle-pwned';

function oneLineError(fn: () => unknown, pattern: RegExp): UserError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected an error matching ${pattern}`);
}

test('F32/F16/BF16 storages, views at a storage offset, shared storages and Parameters read exactly; int buffers set aside', () => {
  const { tensors, others } = readTorchBinHeader(join(BAD, 'views-dtypes.bin'));
  const byName = new Map(tensors.map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()], ['slice', 'whole', 'half', 'bf16', 'param']);
  assert.deepEqual(Array.from(readTensorF32(byName.get('slice')!)), [2, 3, 4]);
  assert.deepEqual(byName.get('whole')!.shape, [2, 5]);
  assert.deepEqual(Array.from(readTensorF32(byName.get('whole')!)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(byName.get('half')!.dtype, 'F16');
  assert.deepEqual(Array.from(readTensorF32(byName.get('half')!)), [1.5, -2, 65504]);
  assert.equal(byName.get('bf16')!.dtype, 'BF16');
  assert.deepEqual(Array.from(readTensorF32(byName.get('bf16')!)), [1, -0.5, 3.140625, 0]);
  assert.deepEqual(Array.from(readTensorF32(byName.get('param')!)), [0.25, 4]);
  assert.deepEqual(others, [{ name: 'steps', storageType: 'LongStorage' }]);
});

test('a pickle that calls os.system is refused naming posix.system, and nothing runs', () => {
  rmSync(PWNED, { force: true });
  oneLineError(() => readTorchBinHeader(join(BAD, 'os-system.bin')), /os-system\.bin: forbidden global posix\.system/);
  assert.equal(existsSync(PWNED), false);
});

test('a pickle that calls exec is refused naming builtins.exec', () => {
  rmSync(PWNED, { force: true });
  oneLineError(() => readTorchBinHeader(join(BAD, 'builtins-exec.bin')), /forbidden global builtins\.exec/);
  assert.equal(existsSync(PWNED), false);
});

test('the legacy (pre-zip) torch.save format and non-contiguous tensors are refused with a reason', () => {
  oneLineError(() => readTorchBinHeader(join(BAD, 'legacy-format.bin')), /legacy-format\.bin: not a zip-format PyTorch checkpoint \(the legacy/);
  oneLineError(() => readTorchBinHeader(join(BAD, 'transposed.bin')), /tensor w is not contiguous/);
  oneLineError(() => readTorchBinHeader(join(BAD, 'wrong-storage-type.bin')), /storage 0 has type torch\.Tensor, which is not a storage type/);
});

test('truncated pytorch_model.bin files give one clear line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-bin-'));
  try {
    const whole = readFileSync(join(ARCH, 'gemma-mqa-tied-f32', 'pytorch_model.bin'));
    for (const [i, keep] of [0.5, 0.999, 0.05].entries()) {
      const f = join(dir, `cut${i}.bin`);
      writeFileSync(f, whole.subarray(0, Math.floor(whole.length * keep)));
      oneLineError(() => readTorchBinHeader(f), /truncated or corrupt zip archive/);
    }
    const tiny = join(dir, 'tiny.bin');
    writeFileSync(tiny, whole.subarray(0, 10));
    oneLineError(() => readTorchBinHeader(tiny), /truncated PyTorch checkpoint \(10 bytes\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A tiny gemma folder whose weights are the committed .bin (single file). */
function binFolder(): string {
  const { dir } = writeTinyGemma({ modelType: 'gemma', nKvHeads: 1, tied: true });
  rmSync(join(dir, 'model.safetensors'));
  copyFileSync(join(ARCH, 'gemma-mqa-tied-f32', 'pytorch_model.bin'), join(dir, 'pytorch_model.bin'));
  return dir;
}

test('a malicious pytorch_model.bin in a model folder fails the load with one line; model.safetensors beside it wins', () => {
  const dir = binFolder();
  try {
    copyFileSync(join(BAD, 'os-system.bin'), join(dir, 'pytorch_model.bin'));
    oneLineError(() => LoadedModel.load(dir), /pytorch_model\.bin: forbidden global posix\.system/);
    writeTinyGemma({ modelType: 'gemma', nKvHeads: 1, tied: true }, dir);
    const m = LoadedModel.load(dir);
    assert.equal(m.info.weightFormat, 'safetensors');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('index shards must be plain files inside the model folder', () => {
  const dir = binFolder();
  try {
    const index = join(dir, 'pytorch_model.bin.index.json');
    rmSync(join(dir, 'pytorch_model.bin'));
    for (const shard of ['../pytorch_model.bin', '/etc/passwd', '..', 'sub/../../x.bin']) {
      writeFileSync(index, JSON.stringify({ weight_map: { 'model.norm.weight': shard } }));
      oneLineError(() => LoadedModel.load(dir), /pytorch_model\.bin\.index\.json: shard .* is outside the model folder; shards must be files inside it/);
    }
    writeFileSync(index, JSON.stringify({ weight_map: { 'model.norm.weight': 'pytorch_model-00001-of-00002.bin' } }));
    oneLineError(() => LoadedModel.load(dir), /pytorch_model-00001-of-00002\.bin: shard listed in pytorch_model\.bin\.index\.json is missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
