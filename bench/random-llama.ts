/**
 * Writes the benchmark's random Llama checkpoint (weights N(0, 0.02²) like torch_baseline.py's
 * random_llama, from a seeded PRNG) and random token ids, so the engine and the PyTorch baseline
 * run the very same weights and ids.
 * Usage: node --import tsx bench/random-llama.ts OUT_DIR D,L,F,V [BATCH SEQ]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors, type TensorToWrite } from '../src/engine/checkpoint/safetensors';
import { byteTokenizerJson, prng } from '../test/helpers/tiny-model';

const [out, dims, batchArg, seqArg] = process.argv.slice(2);
if (!out || !dims) throw new Error('usage: random-llama.ts OUT_DIR D,L,F,V [BATCH SEQ]');
const [D, L, F, V] = dims.split(',').map(Number) as [number, number, number, number];
const heads = Math.max(1, D / 64); // head size 64, as the baseline's random_llama
const rnd = prng(42);
// Box-Muller normal samples scaled by 0.02, the baseline's init scale.
const normal = (n: number): Float32Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rnd()));
    const t = 2 * Math.PI * rnd();
    a[i] = 0.02 * r * Math.cos(t);
    if (i + 1 < n) a[i + 1] = 0.02 * r * Math.sin(t);
  }
  return a;
};
const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
const t: TensorToWrite[] = [{ name: 'model.embed_tokens.weight', dtype: 'F32', shape: [V, D], data: normal(V * D) }];
for (let l = 0; l < L; l++) {
  const p = `model.layers.${l}.`;
  t.push({ name: `${p}input_layernorm.weight`, dtype: 'F32', shape: [D], data: ones(D) });
  t.push({ name: `${p}post_attention_layernorm.weight`, dtype: 'F32', shape: [D], data: ones(D) });
  for (const n of ['q', 'k', 'v', 'o']) t.push({ name: `${p}self_attn.${n}_proj.weight`, dtype: 'F32', shape: [D, D], data: normal(D * D) });
  t.push({ name: `${p}mlp.gate_proj.weight`, dtype: 'F32', shape: [F, D], data: normal(F * D) });
  t.push({ name: `${p}mlp.up_proj.weight`, dtype: 'F32', shape: [F, D], data: normal(F * D) });
  t.push({ name: `${p}mlp.down_proj.weight`, dtype: 'F32', shape: [D, F], data: normal(D * F) });
}
t.push({ name: 'model.norm.weight', dtype: 'F32', shape: [D], data: ones(D) });
mkdirSync(out, { recursive: true });
writeSafetensors(join(out, 'model.safetensors'), t);
writeFileSync(
  join(out, 'config.json'),
  JSON.stringify({ model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: D, intermediate_size: F, num_hidden_layers: L, num_attention_heads: heads, num_key_value_heads: heads, vocab_size: V, rms_norm_eps: 1e-5, rope_theta: 10000, max_position_embeddings: 2048, tie_word_embeddings: true, bos_token_id: 1, eos_token_id: 2 }),
);
writeFileSync(join(out, 'tokenizer.json'), JSON.stringify(byteTokenizerJson()));
writeFileSync(join(out, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<s>', eos_token: '</s>', add_bos_token: true }));
const B = Number(batchArg ?? 64);
const T = Number(seqArg ?? 128);
const lines: string[] = [];
for (let b = 0; b < B; b++) lines.push(JSON.stringify({ ids: Array.from({ length: T }, () => 3 + Math.floor(rnd() * (V - 3))) }));
writeFileSync(join(out, 'ids.jsonl'), `${lines.join('\n')}\n`);
console.log(`wrote ${out}: ${t.reduce((n, x) => n + x.data.length, 0)} parameters, ${B}×${T} ids`);
