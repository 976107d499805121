/**
 * Writes test/fixtures/lape/stories260K-ids.json: token ids (from the project's tokenizer) of the
 * first UDHR paragraphs in two languages, which make_fixture.py runs through the PyTorch baseline
 * (../shared/bench/torch_baseline.py's lape_counts, when that folder is present) to get expected LAPE counts.
 * Run once: node --import tsx test/lape/make-fixture-ids.ts ../shared && /usr/bin/python3 test/lape/make_fixture.py ../shared
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { udhrParagraphs } from '../../src/engine/corpus/udhr';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';

const shared = process.argv[2] ?? '../shared';
// 12 paragraphs × 2 languages, truncated to 64 tokens: mixed lengths (titles are short) in a fixture of a few KB.
const PARAGRAPHS = 12;
const MAX_LENGTH = 64;
const tok = ModelTokenizer.load(join(shared, 'models', 'stories260K'));
const languages = ['en', 'fr'];
const ids = Object.fromEntries(languages.map((l) => [l, udhrParagraphs(l).slice(0, PARAGRAPHS).map((p) => tok.encode(p.text).slice(0, MAX_LENGTH))]));
mkdirSync('test/fixtures/lape', { recursive: true });
writeFileSync('test/fixtures/lape/stories260K-ids.json', JSON.stringify({ model: 'stories260K', maxLength: MAX_LENGTH, languages, ids }) + '\n');
console.log(languages.map((l) => `${l}: ${ids[l]!.length} sequences`).join(', '));
