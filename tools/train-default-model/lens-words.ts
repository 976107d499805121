/**
 * The toy world's 36 words (20 nouns, 8 adjectives, 8 verbs) in its eight languages as a parallel
 * word list for `polyglot-lens lens build` (issue #24): one JSON object per concept, each language's
 * form as it appears most often in the training clauses (nouns in the nominative / direct case with
 * the article Arabic writes on them, adjectives masculine, verbs in the third person singular).
 *
 * Usage: node --import tsx tools/train-default-model/lens-words.ts [OUT]   (default examples/lens/toyworld-words.jsonl)
 * test/tools/toyworld.test.ts checks the committed file equals this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ADJECTIVES, NOUNS, VERBS, type ToyLanguage } from './toyworld/lexicon';

export function toyWords(): Record<ToyLanguage, string>[] {
  const nouns = NOUNS.map(({ forms: f }) => ({ en: f.en, fr: f.fr.w, de: f.de.nom, ru: f.ru.nom, ja: f.ja, zh: f.zh, ar: f.ar.w, hi: f.hi.dir }));
  const adjectives = ADJECTIVES.map(({ forms: f }) => ({ en: f.en, fr: f.fr.m, de: f.de, ru: f.ru.m, ja: f.ja, zh: f.zh.w, ar: f.ar.m, hi: f.hi.m }));
  const verbs = VERBS.map(({ forms: f }) => ({ en: f.en.s3, fr: f.fr, de: f.de, ru: f.ru, ja: f.ja.pos, zh: f.zh.pos, ar: f.ar.m, hi: f.hi }));
  return [...nouns, ...adjectives, ...verbs];
}

export function toyWordsJsonl(): string {
  return toyWords().map((w) => JSON.stringify(w)).join('\n') + '\n';
}

if (require.main === module) {
  const out = process.argv[2] ?? 'examples/lens/toyworld-words.jsonl';
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, toyWordsJsonl());
  console.log(`${toyWords().length} words in ${out}`);
}
