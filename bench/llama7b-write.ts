/**
 * Writes a random checkpoint with Llama-2-7B's shapes (d_model 4096, 32 layers, 32 heads, d_mlp
 * 11008, vocab 32000, untied head) in BF16: 6.74 B weights, 13.5 GB, one model.safetensors. The
 * values only need a realistic scale (N(0, 0.02²), norms 1), so one 64 MiB pool of BF16 normals
 * is written at shifting offsets, tensor after tensor, never holding more than the pool in memory.
 * Usage: node --import tsx bench/llama7b-write.ts OUT_DIR [layers]
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { byteTokenizerJson, prng } from '../test/helpers/tiny-model';

const [out, layersArg] = process.argv.slice(2);
if (!out) throw new Error('usage: llama7b-write.ts OUT_DIR [layers]');
const D = 4096, F = 11008, V = 32000, H = 32;
const L = Number(layersArg ?? 32);

const shapes: [string, number[]][] = [['model.embed_tokens.weight', [V, D]]];
for (let l = 0; l < L; l++) {
  const p = `model.layers.${l}.`;
  shapes.push([`${p}input_layernorm.weight`, [D]]);
  for (const n of ['q', 'k', 'v', 'o']) shapes.push([`${p}self_attn.${n}_proj.weight`, [D, D]]);
  shapes.push([`${p}post_attention_layernorm.weight`, [D]]);
  shapes.push([`${p}mlp.gate_proj.weight`, [F, D]]);
  shapes.push([`${p}mlp.up_proj.weight`, [F, D]]);
  shapes.push([`${p}mlp.down_proj.weight`, [D, F]]);
}
shapes.push(['model.norm.weight', [D]], ['lm_head.weight', [V, D]]);

const rnd = prng(42);
const POOL = 32 * 1024 * 1024; // BF16 values (64 MiB)
const pool = new Uint16Array(POOL);
const f = new Float32Array(1);
const bits = new Uint32Array(f.buffer);
for (let i = 0; i < POOL; i++) {
  f[0] = 0.02 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  pool[i] = bits[0]! >>> 16;
}
const ONE = 0x3f80; // BF16 1.0

const header: Record<string, unknown> = {};
let offset = 0;
for (const [name, shape] of shapes) {
  const bytes = shape.reduce((a, b) => a * b, 1) * 2;
  header[name] = { dtype: 'BF16', shape, data_offsets: [offset, offset + bytes] };
  offset += bytes;
}
let json = JSON.stringify(header);
json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
mkdirSync(out, { recursive: true });
const file = join(out, 'model.safetensors');
const tmp = `${file}.tmp-${process.pid}`;
const fd = openSync(tmp, 'w');
const len = Buffer.alloc(8);
len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
writeSync(fd, len);
writeSync(fd, json);
let shift = 0;
const t0 = performance.now();
for (const [name, shape] of shapes) {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 1) {
    writeSync(fd, new Uint8Array(new Uint16Array(n).fill(ONE).buffer));
    continue;
  }
  for (let done = 0; done < n; ) {
    const start = shift % POOL;
    const k = Math.min(n - done, POOL - start);
    writeSync(fd, new Uint8Array(pool.buffer, start * 2, k * 2));
    done += k;
    shift += k + 7919; // a prime step, so tensors do not repeat each other
  }
  void name;
}
closeSync(fd);
renameSync(tmp, file);
writeFileSync(
  join(out, 'config.json'),
  JSON.stringify({ model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: D, intermediate_size: F, num_hidden_layers: L, num_attention_heads: H, num_key_value_heads: H, vocab_size: V, rms_norm_eps: 1e-5, rope_theta: 10000, max_position_embeddings: 4096, tie_word_embeddings: false, bos_token_id: 1, eos_token_id: 2, torch_dtype: 'bfloat16' }),
);
writeFileSync(join(out, 'tokenizer.json'), JSON.stringify(byteTokenizerJson()));
writeFileSync(join(out, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<s>', eos_token: '</s>', add_bos_token: true }));
console.log(JSON.stringify({ out, parameters: offset / 2, bytes: offset, seconds: (performance.now() - t0) / 1000 }));
