/**
 * Bad input specific to architectures and checkpoint formats: each case is one line on stderr
 * naming the file and the problem, a non-zero exit, nothing written (neither the output nor
 * the model folder). Unknown extra tensors are the exception: a warning, and the run goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, cli } from '../helpers/cli';
import { writeTinyGemma, type TinyGemmaSpec } from '../helpers/tiny-gemma';
import { writeTinyModel } from '../helpers/tiny-model';
import { readSafetensorsHeader, readTensorF32, writeSafetensors, type SafetensorsDType, type TensorToWrite } from '../../src/engine/checkpoint/safetensors';

const BAD = join(__dirname, '..', 'fixtures', 'torchbin');
const GEMMA_BIN = join(__dirname, '..', 'fixtures', 'arch', 'gemma-mqa-tied-f32', 'pytorch_model.bin');

function editConfig(dir: string, edit: (c: Record<string, unknown>) => void): void {
  const f = join(dir, 'config.json');
  const c = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
  edit(c);
  writeFileSync(f, JSON.stringify(c));
}

/** Rewrites model.safetensors without `drop` and with `add` (name → length) extra F32 vectors. */
function editTensors(dir: string, drop: string[], add: Record<string, number> = {}): void {
  const f = join(dir, 'model.safetensors');
  const kept: TensorToWrite[] = readSafetensorsHeader(f)
    .filter((e) => !drop.includes(e.name))
    .map((e) => ({ name: e.name, dtype: e.dtype as SafetensorsDType, shape: e.shape, data: readTensorF32(e) }));
  for (const [name, n] of Object.entries(add)) kept.push({ name, dtype: 'F32', shape: [n], data: new Float32Array(n).fill(1) });
  writeSafetensors(f, kept);
}

function useBin(dir: string, bin: string): void {
  rmSync(join(dir, 'model.safetensors'));
  copyFileSync(bin, join(dir, 'pytorch_model.bin'));
}

interface Case {
  name: string;
  gemma?: Partial<TinyGemmaSpec>;
  llama?: boolean;
  break: (dir: string) => void;
  command?: 'info' | 'capture' | 'tokenize';
  expect: RegExp;
}

const CASES: Case[] = [
  { name: 'architectures naming another family than model_type', break: (d) => editConfig(d, (c) => (c.architectures = ['LlamaForCausalLM'])), expect: /config\.json: architectures lists LlamaForCausalLM but model_type is gemma \(a config that mixes architectures/ },
  { name: 'a Gemma 2 key in a Llama config', llama: true, break: (d) => editConfig(d, (c) => (c.query_pre_attn_scalar = 256)), expect: /config\.json: key query_pre_attn_scalar belongs to gemma2, not llama/ },
  { name: 'rope_scaling yarn', gemma: { modelType: 'gemma2' }, break: (d) => editConfig(d, (c) => (c.rope_scaling = { rope_type: 'yarn', factor: 4 })), expect: /config\.json: rope_scaling\.type: yarn is not supported for gemma2 \(linear and llama3 are\)/ },
  { name: 'rope_scaling dynamic on llama', llama: true, break: (d) => editConfig(d, (c) => (c.rope_scaling = { type: 'dynamic', factor: 2 })), expect: /config\.json: rope_scaling\.type: dynamic is not supported for llama/ },
  { name: 'an activation Gemma does not have', break: (d) => editConfig(d, (c) => (c.hidden_activation = 'relu')), expect: /config\.json: hidden_activation: relu is not supported for gemma/ },
  { name: 'qwen2 with use_sliding_window', llama: true, break: (d) => editConfig(d, (c) => ((c.model_type = 'qwen2'), (c.architectures = ['Qwen2ForCausalLM']), (c.use_sliding_window = true))), expect: /config\.json: use_sliding_window: true is not supported for qwen2/ },
  { name: 'quantized weights', break: (d) => editConfig(d, (c) => (c.quantization_config = { quant_method: 'gptq', bits: 4 })), expect: /config\.json: quantization_config \(gptq\) is not supported/ },
  { name: 'gemma2 layer_types of the wrong length', gemma: { modelType: 'gemma2' }, break: (d) => editConfig(d, (c) => (c.layer_types = ['sliding_attention'])), expect: /config\.json: layer_types must list one type per layer \(2\)/ },
  {
    name: 'missing tensors (the first is named)',
    command: 'capture',
    break: (d) => editTensors(d, ['model.norm.weight', 'model.layers.1.mlp.up_proj.weight']),
    expect: /model\.safetensors: tensor model\.layers\.1\.mlp\.up_proj\.weight not found in the safetensors files \(the first missing tensor/,
  },
  {
    name: 'qwen2 without its q/k/v biases',
    llama: true,
    command: 'capture',
    break: (d) => editConfig(d, (c) => ((c.model_type = 'qwen2'), (c.architectures = ['Qwen2ForCausalLM']))),
    expect: /model\.safetensors: tensor model\.layers\.0\.self_attn\.q_proj\.bias not found in the safetensors files/,
  },
  { name: 'mlp_bias: true without the biases', llama: true, command: 'capture', break: (d) => editConfig(d, (c) => (c.mlp_bias = true)), expect: /tensor model\.layers\.0\.mlp\.gate_proj\.bias not found/ },
  { name: 'tokenizer larger than the embedding', gemma: { vocab: 200 }, break: () => {}, expect: /tokenizer\.json: tokenizer has 259 tokens but config\.json vocab_size is 200/ },
  // tokenize reads no weights, but its ids must still index the embedding (it printed ids ≥ 200 before).
  { name: 'tokenize with a tokenizer larger than the embedding', gemma: { vocab: 200 }, command: 'tokenize', break: () => {}, expect: /tokenizer\.json: tokenizer has 259 tokens but config\.json vocab_size is 200/ },
  { name: 'malicious pytorch_model.bin (os.system)', command: 'capture', break: (d) => useBin(d, join(BAD, 'os-system.bin')), expect: /pytorch_model\.bin: forbidden global posix\.system \(a state dict needs only tensors; refusing to load\)/ },
  {
    name: 'truncated pytorch_model.bin',
    command: 'capture',
    break: (d) => {
      useBin(d, GEMMA_BIN);
      truncateSync(join(d, 'pytorch_model.bin'), 60_000);
    },
    expect: /pytorch_model\.bin: truncated or corrupt zip archive \(no end of central directory record\)/,
  },
  {
    name: 'pytorch_model.bin is a FIFO (would hang the loader)',
    command: 'capture',
    break: (d) => {
      rmSync(join(d, 'model.safetensors'));
      execFileSync('mkfifo', [join(d, 'pytorch_model.bin')]);
    },
    expect: /pytorch_model\.bin: is not a plain file/,
  },
  { name: 'legacy-format pytorch_model.bin', break: (d) => useBin(d, join(BAD, 'legacy-format.bin')), expect: /pytorch_model\.bin: not a zip-format PyTorch checkpoint \(the legacy pre-1\.6 torch\.save format is not supported/ },
];

for (const c of CASES) {
  test(`bad input (architectures): ${c.name}`, () => {
    const dir = c.llama ? writeTinyModel({ seed: 31 }).dir : writeTinyGemma({ modelType: 'gemma', ...c.gemma }).dir;
    const work = mkdtempSync(join(tmpdir(), 'pl-archbad-'));
    try {
      c.break(dir);
      const before = readdirSync(dir).sort();
      const input = join(tmpdir(), `pl-archbad-${process.pid}.jsonl`);
      if (c.command === 'tokenize') writeFileSync(input, '{"text": "Hello 😀"}\n');
      const args =
        c.command === 'capture'
          ? ['capture', '--model', dir, '--ids', '1,5,9', '--hooks', 'logits', '--out', join(work, 'out.safetensors')]
          : c.command === 'tokenize'
            ? ['tokenize', '--model', dir, '--input', input]
            : ['info', '--model', dir];
      const r = cli(args, { timeoutMs: 60_000 });
      assertOneLineError(r, c.expect);
      assert.deepEqual(readdirSync(work), [], 'nothing written');
      assert.deepEqual(readdirSync(dir).sort(), before, 'model folder untouched');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
      rmSync(join(tmpdir(), `pl-archbad-${process.pid}.jsonl`), { force: true });
    }
  });
}

test('unknown extra tensors: one warning naming them, and the run goes on', () => {
  const { dir } = writeTinyGemma({ modelType: 'gemma2' });
  const work = mkdtempSync(join(tmpdir(), 'pl-archbad-'));
  try {
    editTensors(dir, [], { 'model.vision_tower.weight': 4, 'model.layers.0.self_attn.rotary_emb.inv_freq': 8 });
    const r = cli(['capture', '--model', dir, '--ids', '1,5,9', '--hooks', 'logits', '--out', join(work, 'out.safetensors')]);
    assert.equal(r.code, 0, r.stderr);
    // rotary_emb.inv_freq is a recomputed buffer HF itself drops; it is not worth a warning.
    assert.match(r.stderr, /^warning: .*model\.safetensors: 1 tensor not used by gemma2: model\.vision_tower\.weight \(ignored\)\n$/);
    assert.deepEqual(readdirSync(work), ['out.safetensors']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});
