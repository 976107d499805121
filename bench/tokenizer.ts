/**
 * The engine's tokenizer (src/engine/tokenizer: @huggingface/tokenizers' models + the exact
 * pipeline) side by side with Hugging Face's Rust library through its Node binding (npm
 * `tokenizers`, a devDependency), in one run: load time of the tokenizer.json, and encoding a
 * ~10 MB multilingual corpus (the parity test's UDHR paragraphs repeated) line by line, ids alone
 * and with each token's offsets (the library computes offsets on every encode; here they are also
 * read out), for the default model's byte-level BPE, XGLM's Unigram + Precompiled, BLOOM's
 * byte-level BPE and Llama 2's SentencePiece BPE (or the formats named after the size). Ids are
 * compared too.
 * Usage: node --import tsx bench/tokenizer.ts [MB] [FORMAT…]   (alone on the machine, or under flock with other benchmarks)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelTokenizer } from '../src/engine/tokenizer/tokenizer';
import { parityFormats } from '../test/helpers/tokenizer-parity/formats';
import { parityStrings } from '../test/helpers/tokenizer-parity/strings';

interface RustEncoding {
  getIds(): number[];
  getOffsets(): number[][];
}
interface RustTokenizer {
  encode(text: string, pair: null, options: { addSpecialTokens: boolean }): Promise<RustEncoding>;
  encodeBatch(texts: string[], options: { addSpecialTokens: boolean }): Promise<RustEncoding[]>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rust = require('tokenizers') as { Tokenizer: { fromString(json: string): RustTokenizer } };

const mb = Number(process.argv[2] ?? 10);
const DEFAULT_FORMATS = ['default model', 'XGLM Unigram + Precompiled (as released)', 'BLOOM byte-level BPE', 'Llama 2 SentencePiece BPE, byte fallback (legacy: false)'];
const wanted = process.argv.length > 3 ? process.argv.slice(3) : DEFAULT_FORMATS;
const lines: string[] = [];
let bytes = 0;
const base = parityStrings().filter((s) => s.length > 0);
while (bytes < mb * 1e6) {
  for (const s of base) {
    lines.push(s);
    bytes += Buffer.byteLength(s);
  }
}
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const s2 = (t: number): number => +(t / 1000).toFixed(2);

(async () => {
  const rows = [];
  const formats = parityFormats().filter((x) => wanted.includes(x.name));
  if (formats.length !== wanted.length) throw new Error(`unknown format among ${JSON.stringify(wanted)}`);
  for (const f of formats) {
    const load0 = loadavg()[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'pl-tokbench-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(f.json));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(f.config));
    let t0 = process.hrtime.bigint();
    const ours = ModelTokenizer.load(dir);
    const loadOurs = ms(t0);
    t0 = process.hrtime.bigint();
    const ref = rust.Tokenizer.fromString(JSON.stringify(f.json));
    const loadRust = ms(t0);
    t0 = process.hrtime.bigint();
    const a = lines.map((s) => ours.encode(s));
    const encOurs = ms(t0);
    t0 = process.hrtime.bigint();
    for (const s of lines) ours.encodeWithOffsets(s);
    const encOffsetsOurs = ms(t0);
    t0 = process.hrtime.bigint();
    const b: number[][] = [];
    for (const s of lines) b.push((await ref.encode(s, null, { addSpecialTokens: true })).getIds());
    const encRust = ms(t0);
    t0 = process.hrtime.bigint();
    for (const s of lines) {
      const e = await ref.encode(s, null, { addSpecialTokens: true });
      e.getIds();
      e.getOffsets();
    }
    const encOffsetsRust = ms(t0);
    t0 = process.hrtime.bigint();
    const c: number[][] = [];
    for (let i = 0; i < lines.length; i += 1000) c.push(...(await ref.encodeBatch(lines.slice(i, i + 1000), { addSpecialTokens: true })).map((e) => e.getIds()));
    const encRustBatch = ms(t0);
    const same = a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]) && JSON.stringify(x) === JSON.stringify(c[i]));
    rows.push({ format: f.name, mb: +(bytes / 1e6).toFixed(1), lines: lines.length, loadOursMs: Math.round(loadOurs), loadRustMs: Math.round(loadRust), encodeOursS: s2(encOurs), encodeWithOffsetsOursS: s2(encOffsetsOurs), encodeRustS: s2(encRust), encodeWithOffsetsRustS: s2(encOffsetsRust), encodeRustBatchS: s2(encRustBatch), identical: same, loadAverage: [+load0.toFixed(1), +loadavg()[0]!.toFixed(1)] });
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(rows, null, 1));
})();
