// Checks that the shipped tokenizer.json, loaded by the product's JS library
// (@huggingface/tokenizers), gives exactly the ids the Python trainer used, on every UDHR
// paragraph and on translation-formatted strings (which contain the literal "</s>").
// Usage: node tools/train-default-model/check-tokenizer.mjs MODEL_DIR IDS.json
//   IDS.json: [{text, ids}] written by dump_token_ids.py.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

const [dir, idsPath] = process.argv.slice(2);
const tok = new Tokenizer(
  JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8')),
  JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8')),
);
const cases = JSON.parse(readFileSync(idsPath, 'utf8'));
let bad = 0;
for (const { text, ids } of cases) {
  const got = tok.encode(text).ids;
  if (got.length !== ids.length || got.some((v, i) => v !== ids[i])) {
    if (bad++ < 5) console.error(`MISMATCH ${JSON.stringify(text.slice(0, 60))}\n js ${got.slice(0, 30)}\n py ${ids.slice(0, 30)}`);
  }
  const back = tok.decode(got, { skip_special_tokens: true });
  if (!text.includes('</s>') && back !== text) {
    if (bad++ < 5) console.error(`DECODE MISMATCH ${JSON.stringify(text.slice(0, 60))} -> ${JSON.stringify(back.slice(0, 60))}`);
  }
}
console.log(`${cases.length - bad}/${cases.length} strings: identical ids (and exact decode)`);
process.exit(bad ? 1 : 0);
