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

/**
 * Linear-lens fits (lens/linear.ts): the corpus (a path from the repository root and the languages
 * read), fitted by the engine and, on the same token sequences, by numpy's least squares in the
 * reference; the fitted lens is then compared on `lens` (one of LENS_CASES' prompts on the same
 * checkpoint) and through `probes` random rows mapped by every layer's A and b.
 */
export interface FitCase {
  name: string;
  lens: string;
  corpus: string;
  languages: string[];
  probes: number;
  /**
   * Tolerance of the linear lens's log-probabilities (default 1e-4): a fit over few positions per
   * dimension amplifies the ~1e-6 differences between the engine's and the reference's activations.
   */
  lensTol?: number;
}

export const FIT_CASES: FitCase[] = [
  { name: 'fit-default-toyworld', lens: 'default-fr-ja', corpus: 'examples/eval/toyworld/dev.jsonl', languages: ['en', 'fr', 'de', 'ru', 'ja', 'zh', 'ar', 'hi'], probes: 4 },
  // Two languages hold fewer than d_model + 1 distinct tokens: layer 0 (the embeddings) is rank-deficient.
  // 893 positions for 257 unknowns per layer: see lensTol.
  { name: 'fit-default-en-fr', lens: 'default-fr-ja', corpus: 'examples/eval/toyworld/dev.jsonl', languages: ['en', 'fr'], probes: 4, lensTol: 1e-3 },
  { name: 'fit-llama3-rope-gqa', lens: 'llama3-rope-gqa', corpus: 'examples/eval/toyworld/dev.jsonl', languages: ['en', 'fr', 'ru', 'ja', 'hi'], probes: 4 },
];

export const REPO_ROOT = join(__dirname, '..', '..');

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
  const { openCorpus } = await import('../../src/engine/corpus/open');
  const { languageSequences } = await import('../../src/engine/corpus/tokens');
  const fits = [];
  for (const f of FIT_CASES) {
    const c = LENS_CASES.find((x) => x.name === f.lens)!;
    const dir = lensCaseDir(c, join(out, c.name));
    const m = LoadedModel.load(dir);
    const corpus = openCorpus(join(REPO_ROOT, f.corpus));
    const sequences: number[][] = [];
    for (const lang of f.languages) for await (const s of languageSequences(corpus, lang, m.tokenizer, { maxLength: m.cfg.maxPositions })) sequences.push(s);
    const special = [...new Set(sequences.flat())].filter((id) => m.tokenizer.isSpecial(id));
    fits.push({ name: f.name, lens: f.lens, dir, sequences, special, probes: f.probes });
    await m.dispose();
  }
  mkdirSync(LENS_FIXTURES, { recursive: true });
  writeFileSync(join(out, 'cases.json'), `${JSON.stringify(cases, null, 1)}\n`);
  writeFileSync(join(out, 'fits.json'), `${JSON.stringify(fits)}\n`);
  console.log(`${cases.length} lens cases in ${out}`);
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: lens-cases.ts OUT_DIR');
  void main(out);
}
