// Writes the token ids `polyglot-lens neurons --corpus udhr:…` feeds the model (one sequence per
// UDHR paragraph, BOS included, cut at 512 tokens) for the reference scripts to read, so they test
// the selection and the forward pass, not the tokenizer. The output is NOT committed.
// Usage: node --import tsx test/lape/dump-udhr-ids.ts MODEL_DIR OUT.json [CODES]
import { writeFileSync } from 'node:fs';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { openCorpus } from '../../src/engine/corpus/open';
import { languageSequences } from '../../src/engine/corpus/tokens';
import { udhrLanguages } from '../../src/engine/corpus/udhr';

async function main(): Promise<void> {
  const [dir, out, codes] = process.argv.slice(2);
  if (!dir || !out) throw new Error('usage: dump-udhr-ids.ts MODEL_DIR OUT.json [CODES]');
  const languages = codes ? codes.split(',') : udhrLanguages();
  const tok = ModelTokenizer.load(dir);
  const corpus = openCorpus(`udhr:${languages.join(',')}`);
  const ids: Record<string, number[][]> = {};
  for (const lang of languages) {
    ids[lang] = [];
    for await (const s of languageSequences(corpus, lang, tok, { maxLength: 512 })) ids[lang]!.push(s);
  }
  writeFileSync(out, JSON.stringify({ languages, ids }));
}
void main();
