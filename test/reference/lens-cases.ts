/**
 * The checkpoints the latent-language lens is judged on (test/lens/reference.test.ts): the default
 * model and one tiny checkpoint of every family (the architecture and GPT-family reference cases,
 * rebuilt from their seeds), each with a prompt and target strings. Run as a script it writes the
 * tiny checkpoints under DIR and the cases (token ids from each checkpoint's own tokenizer) to
 * test/fixtures/lens/cases.json; lens_reference.py then writes the expected values:
 *
 *     node --import tsx test/reference/lens-cases.ts /tmp/pl-lens
 *     /usr/bin/python3 test/reference/lens_reference.py /tmp/pl-lens
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { archCase, writeArchCase } from './arch-cases';
import { gptCase } from './gpt-family-cases';
import { writeTinyGpt } from '../helpers/tiny-gpt';

export interface LensCase {
  name: string;
  /** Where the checkpoint comes from: the default model, an architecture case or a GPT-family case. */
  source: { kind: 'default' } | { kind: 'arch'; name: string } | { kind: 'gpt'; name: string };
  text: string;
  targets: string[];
  k: number;
}

export const LENS_CASES: LensCase[] = [
  { name: 'default-fr-ja', source: { kind: 'default' }, text: 'French: Le chat voit le chien.</s>Japanese:', targets: ['猫', 'cat', 'The'], k: 5 },
  { name: 'llama3-rope-gqa', source: { kind: 'arch', name: 'llama3-rope-gqa' }, text: 'the cat sat', targets: ['th', 'cat'], k: 5 },
  { name: 'mistral-window4', source: { kind: 'arch', name: 'mistral-window4' }, text: 'a window of four', targets: ['wo', 'f'], k: 5 },
  { name: 'qwen2-bias-tied', source: { kind: 'arch', name: 'qwen2-bias-tied' }, text: 'bias and ties', targets: ['b', 'ties'], k: 5 },
  { name: 'gemma-mqa-tied-f32', source: { kind: 'arch', name: 'gemma-mqa-tied-f32' }, text: 'Hello world Hello', targets: ['Hello', 'world'], k: 5 },
  // Final soft-cap 10: the lens of every layer goes through it.
  { name: 'gemma2-window4-softcap-f32', source: { kind: 'arch', name: 'gemma2-window4-softcap-f32' }, text: 'Hello world, dear world', targets: ['Hello', 'world'], k: 5 },
  { name: 'gpt2-prefixed-tied-f32', source: { kind: 'gpt', name: 'gpt2-prefixed-tied-f32' }, text: 'the cat in the hat', targets: ['cat', 'hat'], k: 5 },
  { name: 'bloom-6heads-plain-f32', source: { kind: 'gpt', name: 'bloom-6heads-plain-f32' }, text: 'the cat in the hat', targets: ['the', 'in'], k: 5 },
  { name: 'xglm-prefixed-tied-f32', source: { kind: 'gpt', name: 'xglm-prefixed-tied-f32' }, text: 'the cat in the hat', targets: ['cat', 'the'], k: 5 },
];

export const LENS_FIXTURES = join(__dirname, '..', 'fixtures', 'lens');
export const DEFAULT_MODEL = join(__dirname, '..', '..', 'models', 'default');

/** The case's checkpoint folder: the default model, or a tiny one written into `dir`. */
export function lensCaseDir(c: LensCase, dir: string): string {
  if (c.source.kind === 'default') return DEFAULT_MODEL;
  if (c.source.kind === 'arch') return writeArchCase(archCase(c.source.name), dir);
  writeTinyGpt(gptCase(c.source.name).spec, dir);
  return dir;
}

async function main(out: string): Promise<void> {
  const { LoadedModel } = await import('../../src/engine/model/model');
  const cases = [];
  for (const c of LENS_CASES) {
    const dir = lensCaseDir(c, join(out, c.name));
    const m = LoadedModel.load(dir);
    cases.push({ name: c.name, dir, ids: m.encodeInput(c.text, c.name), targets: c.targets, k: c.k });
    await m.dispose();
  }
  mkdirSync(LENS_FIXTURES, { recursive: true });
  writeFileSync(join(out, 'cases.json'), `${JSON.stringify(cases, null, 1)}\n`);
  console.log(`${cases.length} lens cases in ${out}`);
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: lens-cases.ts OUT_DIR');
  void main(out);
}
