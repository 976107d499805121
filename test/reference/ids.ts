/**
 * Writes test/fixtures/reference/cases.json: the token ids (from the project's tokenizer) that
 * make_expected.py runs through the PyTorch reference.
 * Run: node --import tsx test/reference/ids.ts ../shared
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';

const shared = process.argv[2] ?? '../shared';
const cases = [
  { name: 'stories260K-once', model: 'stories260K', text: 'Once upon a time', hook_layer: 2, greedy_new_tokens: 40 },
  { name: 'zh-poem-moon', model: 'zh-poem', text: '床前明月光', hook_layer: 4, greedy_new_tokens: 20 },
];
const out = cases.map((c) => {
  const tok = ModelTokenizer.load(join(shared, 'models', c.model));
  return { ...c, ids: tok.encode(c.text), stop_ids: tok.eosId !== null ? [tok.eosId] : [] };
});
mkdirSync('test/fixtures/reference', { recursive: true });
writeFileSync('test/fixtures/reference/cases.json', JSON.stringify(out, null, 1) + '\n');
console.log(out.map((c) => `${c.name}: ${c.ids.length} ids`).join('\n'));
