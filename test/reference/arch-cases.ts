/**
 * The tiny checkpoints the architecture reference test runs (test/engine/arch-reference.test.ts),
 * one per layout that matters: GQA/MQA, tied/untied, sharded, F16/BF16, prefixed/unprefixed,
 * a sliding window shorter than the sequence, soft-capping, Llama 3 rope scaling, q/k/v biases.
 * Weights come from the engine's seeded PRNG, so the test rewrites the same checkpoint that
 * make_arch_expected.py saw.
 *
 * Regenerate the expected outputs (committed under test/fixtures/arch):
 *   node --import tsx test/reference/arch-cases.ts /tmp/pl-arch && /usr/bin/python3 test/reference/make_arch_expected.py /tmp/pl-arch
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyGemma, type TinyGemmaSpec } from '../helpers/tiny-gemma';
import { writeTinyModel, type TinySpec } from '../helpers/tiny-model';

export interface ArchCase {
  name: string;
  gemma?: TinyGemmaSpec;
  llama?: TinySpec;
  /** make_arch_expected.py also saves this checkpoint as pytorch_model.bin (committed). */
  bin?: { shards: number };
  /** Greedy tokens the reference generates after the ids (checks the KV cache path). */
  greedy?: number;
}

/** 12 token ids inside the byte tokenizer's 259 + 5 rows, BOS first. */
export const ARCH_IDS = [1, 76, 105, 120, 3, 250, 263, 42, 42, 117, 200, 9];

export const ARCH_CASES: ArchCase[] = [
  { name: 'gemma-mqa-tied-f32', gemma: { modelType: 'gemma', nKvHeads: 1, tied: true }, bin: { shards: 1 }, greedy: 6 },
  // Exact (erf) GELU where the config asks for hidden_activation "gelu".
  {
    name: 'gemma-gqa-untied-bf16-sharded-unprefixed',
    gemma: { modelType: 'gemma', nKvHeads: 2, tied: false, dtype: 'BF16', shards: 2, prefix: false, seed: 8, hiddenActivation: 'gelu' },
    bin: { shards: 1 },
  },
  {
    name: 'gemma2-window4-softcap-f32',
    gemma: { modelType: 'gemma2', nLayers: 3, nKvHeads: 2, slidingWindow: 4, queryPreAttnScalar: 24, attnSoftcap: 5, finalSoftcap: 10, seed: 9 },
    bin: { shards: 2 },
    greedy: 8,
  },
  { name: 'gemma2-f16-nocap-unprefixed', gemma: { modelType: 'gemma2', nKvHeads: 1, tied: false, dtype: 'F16', prefix: false, slidingWindow: 5, attnSoftcap: null, finalSoftcap: null, seed: 10 } },
  {
    name: 'llama3-rope-gqa',
    llama: { modelType: 'llama', nKvHeads: 2, ropeScaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 }, ropeTheta: 500000, seed: 11 },
  },
  { name: 'llama-attention-mlp-bias-f16', llama: { modelType: 'llama', nKvHeads: 2, bias: true, attentionBias: true, mlpBias: true, dtype: 'F16', seed: 14 } },
  { name: 'mistral-window4', llama: { modelType: 'mistral', nKvHeads: 2, slidingWindow: 4, tied: true, seed: 12 }, greedy: 6 },
  { name: 'qwen2-bias-tied', llama: { modelType: 'qwen2', nKvHeads: 2, bias: true, tied: true, dtype: 'BF16', seed: 13 } },
];

export function writeArchCase(c: ArchCase, dir: string): string {
  if (c.gemma) writeTinyGemma(c.gemma, dir);
  else writeTinyModel(c.llama!, dir);
  return dir;
}

/** The case's folder with the committed pytorch_model.bin file(s) in place of its safetensors. */
export function writeArchBinCase(c: ArchCase, dir: string, config: Record<string, unknown> = {}): string {
  writeArchCase(c, dir);
  for (const f of readdirSync(dir)) if (f.startsWith('model')) rmSync(join(dir, f));
  const fixtures = join(__dirname, '..', 'fixtures', 'arch', c.name);
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(dir, f));
  const cfgFile = join(dir, 'config.json');
  writeFileSync(cfgFile, JSON.stringify({ ...(JSON.parse(readFileSync(cfgFile, 'utf8')) as object), ...config }));
  return dir;
}

export const archCase = (name: string): ArchCase => ARCH_CASES.find((c) => c.name === name)!;

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: arch-cases.ts OUTDIR');
  mkdirSync(out, { recursive: true });
  for (const c of ARCH_CASES) writeArchCase(c, join(out, c.name));
  writeFileSync(join(out, 'cases.json'), JSON.stringify(ARCH_CASES.map((c) => ({ name: c.name, ids: ARCH_IDS, bin: c.bin ?? null, greedy: c.greedy ?? 0 })), null, 1));
  console.log(`${ARCH_CASES.length} cases in ${out}`);
}
