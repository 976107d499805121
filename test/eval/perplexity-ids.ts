/**
 * Writes test/fixtures/eval/perplexity-cases.json: texts by language and their token ids from the
 * project's tokenizer, which perplexity_reference.py scores with the plain PyTorch forward.
 * Run: node --import tsx test/eval/perplexity-ids.ts ../shared
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';

const shared = process.argv[2] ?? '../shared';
const model = 'stories260K';
export const PERPLEXITY_TEXTS: { lang: string; text: string }[] = [
  { lang: 'en', text: 'Once upon a time, there was a little girl named Lily.' },
  { lang: 'en', text: 'She liked to play in the park with her dog.' },
  { lang: 'en', text: 'One day, the sun was hot and the sky was blue. They went home happy.' },
  { lang: 'fr', text: 'Il était une fois une petite fille.' },
  { lang: 'fr', text: 'Elle aimait jouer dans le jardin avec son chien.' },
];
const tok = ModelTokenizer.load(join(shared, 'models', model));
const cases = { model, texts: PERPLEXITY_TEXTS.map((t) => ({ ...t, ids: tok.encode(t.text) })) };
mkdirSync('test/fixtures/eval', { recursive: true });
writeFileSync('test/fixtures/eval/perplexity-cases.json', `${JSON.stringify(cases, null, 1)}\n`);
console.log(cases.texts.map((t) => `${t.lang}: ${t.ids.length} ids`).join('\n'));
