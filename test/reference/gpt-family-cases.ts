/**
 * The tiny GPT-2 / BLOOM / XGLM checkpoints judged against the plain-PyTorch reference
 * (gpt_family_reference.py). Run as a script it writes each checkpoint under DIR and the cases
 * (token ids from the checkpoint's own tokenizer, stop ids) to test/fixtures/gpt-family/cases.json:
 *
 *     node --import tsx test/reference/gpt-family-cases.ts /tmp/gpt-family
 *     /usr/bin/python3 test/reference/gpt_family_reference.py /tmp/gpt-family
 *
 * The tests rebuild the same checkpoints from the same seeds, so only the small expected values
 * are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TinyGptSpec } from '../helpers/tiny-gpt';

export interface GptCase {
  name: string;
  spec: TinyGptSpec;
  text: string;
  greedyNewTokens: number;
}

export const GPT_CASES: GptCase[] = [
  // mGPT as GPT2LMHeadModel saves it: prefixed names, tied head, the old attn.bias buffers.
  { name: 'gpt2-prefixed-tied-f32', spec: { family: 'gpt2', buffers: true, seed: 101 }, text: 'the cat in the hat', greedyNewTokens: 6 },
  { name: 'gpt2-plain-untied-sharded', spec: { family: 'gpt2', prefix: false, tied: false, shards: 3, nLayers: 3, seed: 102 }, text: 'the cat, in!', greedyNewTokens: 6 },
  { name: 'gpt2-scale-by-layer', spec: { family: 'gpt2', scaleByLayer: true, nLayers: 3, seed: 104 }, text: 'the hat', greedyNewTokens: 3 },
  { name: 'gpt2-bf16-erf', spec: { family: 'gpt2', dtype: 'BF16', act: 'gelu', prefix: false, seed: 103 }, text: 'in the cat', greedyNewTokens: 4 },
  // bigscience's own layout: no prefix; 6 heads = 4 + 2 interleaved extra ALiBi slopes.
  { name: 'bloom-6heads-plain-f32', spec: { family: 'bloom', nHeads: 6, dModel: 48, prefix: false, seed: 201 }, text: 'the cat in the hat', greedyNewTokens: 6 },
  { name: 'bloom-prefixed-f16-untied-sharded', spec: { family: 'bloom', dtype: 'F16', tied: false, shards: 2, residualAfterNorm: true, seed: 202 }, text: 'the cat. in', greedyNewTokens: 4 },
  // d_head 9: odd head sizes are fine without rotary tables.
  { name: 'bloom-odd-head-dim', spec: { family: 'bloom', nHeads: 4, dModel: 36, prefix: false, nLayers: 2, seed: 203 }, text: 'in the cat', greedyNewTokens: 3 },
  { name: 'xglm-prefixed-tied-f32', spec: { family: 'xglm', seed: 301 }, text: 'the cat in the hat', greedyNewTokens: 6 },
  { name: 'xglm-plain-untied-bf16-sharded', spec: { family: 'xglm', prefix: false, tied: false, dtype: 'BF16', shards: 2, nHeads: 2, seed: 302 }, text: 'le chat', greedyNewTokens: 4 },
];

export function gptCase(name: string): GptCase {
  const c = GPT_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
}

/** One case per family, for the slower end-to-end tests. */
export const ONE_PER_FAMILY = ['gpt2-prefixed-tied-f32', 'bloom-6heads-plain-f32', 'xglm-prefixed-tied-f32'].map(gptCase);

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'gpt-family');

async function main(out: string): Promise<void> {
  const { writeTinyGpt } = await import('../helpers/tiny-gpt');
  const { LoadedModel } = await import('../../src/engine/model/model');
  const cases = [];
  for (const c of GPT_CASES) {
    const dir = join(out, c.name);
    writeTinyGpt(c.spec, dir);
    const m = LoadedModel.load(dir);
    cases.push({ name: c.name, family: c.spec.family, ids: m.tokenizer.encode(c.text), stop_ids: m.stopIds(), greedy_new_tokens: c.greedyNewTokens });
  }
  mkdirSync(FIXTURE_DIR, { recursive: true });
  writeFileSync(join(FIXTURE_DIR, 'cases.json'), `${JSON.stringify(cases, null, 1)}\n`);
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: gpt-family-cases.ts OUT_DIR');
  void main(out);
}
