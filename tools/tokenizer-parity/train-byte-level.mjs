// Trains the byte-level BPE vocabulary + merges that the parity test dresses in GPT-2's, BLOOM's,
// Llama 3's and Qwen2's pre-tokenizers, with Hugging Face's own trainer (npm `tokenizers`, a
// devDependency), on the corpus file train_spm.py also reads. Only the first MERGES merges are
// kept; the vocabulary is the 256 byte characters followed by each kept merge's result, so every
// input is encodable without an unknown token, as in the real byte-level tokenizers.
// Usage: node tools/tokenizer-parity/train-byte-level.mjs CORPUS.txt OUT.json.gz
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const MERGES = 4000;
const [corpus, out] = process.argv.slice(2);
const hf = createRequire(import.meta.url)('tokenizers');
const tok = new hf.Tokenizer(hf.BPE.empty());
tok.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
tok.train([corpus]);
const tmp = mkdtempSync(join(tmpdir(), 'pl-bl-'));
tok.save(join(tmp, 't.json'));
const trained = JSON.parse(readFileSync(join(tmp, 't.json'), 'utf8'));
rmSync(tmp, { recursive: true, force: true });

// GPT-2's byte → character table (printable bytes stand for themselves, the rest from U+0100 on).
const bytes = [];
for (let b = 0; b < 256; b++) if ((b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)) bytes.push(b);
const chars = new Map(bytes.map((b) => [b, String.fromCodePoint(b)]));
let n = 0;
for (let b = 0; b < 256; b++) if (!chars.has(b)) chars.set(b, String.fromCodePoint(256 + n++));
const vocab = {};
for (let b = 0; b < 256; b++) vocab[chars.get(b)] = b;
const merges = trained.model.merges.slice(0, MERGES).map((m) => (Array.isArray(m) ? m : m.split(' ')));
for (const [a, b] of merges) if (!((a + b) in vocab)) vocab[a + b] = Object.keys(vocab).length;
writeFileSync(out, gzipSync(JSON.stringify({ vocab, merges: merges.map(([a, b]) => `${a} ${b}`) }), { level: 9 }));
console.log(`${out}: ${Object.keys(vocab).length} tokens, ${merges.length} merges`);
