/**
 * Pruning's scoring + masking cost for the issue's ~110M-class Llama (d_model 768, 12 layers, d_mlp
 * 3072, vocab 32000, tied: 138M parameters, 113M of them in the 84 linear layers that are
 * pruned), given the Wanda statistics s[j]: the part that is ours (the calibration passes are onnxruntime runs and
 * are measured with the engine benchmarks). Weights N(0, 0.02²) and s[j] (a positive, heavy-tailed
 * spread like real activations) come from a seeded PRNG, so every run scores the same numbers.
 * Usage: node --import tsx bench/prune.ts [D L F]   (default 768 12 3072)
 */
import { maskLinear, nmRule, randomMask, unstructuredRule, type RowRule } from '../src/engine/pruning/select';
import { mulberry32, weightSeed } from '../src/engine/pruning/prng';
import { wandaFactor } from '../src/engine/pruning/prune';

const [D, L, F] = (process.argv.length > 4 ? process.argv.slice(2, 5).map(Number) : [768, 12, 3072]) as [number, number, number];
const V = 32000;
const rnd = mulberry32(42);
const normal = (n: number, scale: number): Float32Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rnd()));
    const t = 2 * Math.PI * rnd();
    a[i] = scale * r * Math.cos(t);
    if (i + 1 < n) a[i + 1] = scale * r * Math.sin(t);
  }
  return a;
};
/** s[j] = exp(N(0, 1)) · 1000: log-normal, so a few features dominate as in real LLM activations. */
const stats = (n: number): Float64Array => Float64Array.from(normal(n, 1), (x) => Math.exp(x) * 1000);

interface Lin {
  name: string;
  rows: number;
  cols: number;
  w: Float32Array;
  s: Float64Array;
}
const t0 = performance.now();
const lins: Lin[] = [];
for (let l = 0; l < L; l++) {
  const s1 = stats(D);
  const sz = stats(D);
  const s2 = stats(D);
  const sp = stats(F);
  for (const [kind, rows, cols, s] of [['q', D, D, s1], ['k', D, D, s1], ['v', D, D, s1], ['o', D, D, sz], ['gate', F, D, s2], ['up', F, D, s2], ['down', D, F, sp]] as const) {
    lins.push({ name: `model.layers.${l}.${kind}`, rows, cols, w: normal(rows * cols, 0.02), s });
  }
}
const weights = lins.reduce((n, x) => n + x.w.length, 0);
const params = weights + V * D + L * 2 * D + D; // + a tied embedding / LM head and the norms
console.error(`built ${lins.length} linears, ${weights} linear weights (${(params / 1e6).toFixed(1)}M parameters) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** Wall time and this process's CPU time (the latter is what counts on a shared, busy machine). */
function run(label: string, one: (x: Lin) => Uint8Array): { label: string; seconds: number; cpuSeconds: number; maskBytes: number } {
  global.gc?.();
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let maskBytes = 0;
  for (const x of lins) maskBytes += one(x).byteLength;
  const cpu = process.cpuUsage(cpu0);
  return { label, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, maskBytes };
}

const rule = (x: Lin, r?: RowRule): RowRule => r ?? unstructuredRule(x.cols, 0.5);
const results = [
  run('wanda 50% unstructured', (x) => maskLinear(x.w, x.rows, x.cols, wandaFactor(x.s), rule(x))),
  run('wanda 2:4', (x) => maskLinear(x.w, x.rows, x.cols, wandaFactor(x.s), nmRule({ n: 2, m: 4 }))),
  run('magnitude 50%', (x) => maskLinear(x.w, x.rows, x.cols, undefined, rule(x))),
  run('random 50%', (x) => randomMask(x.w.length, 0.5, weightSeed(0, x.name))),
];
const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    model: { dModel: D, nLayers: L, dMlp: F, vocab: V, parameters: params, linearWeights: weights },
    results: results.map((r) => ({ ...r, seconds: Number(r.seconds.toFixed(2)), cpuSeconds: Number(r.cpuSeconds.toFixed(2)) })),
    weightBytesF32: weights * 4,
    maskBytesPerVariant: results[0]!.maskBytes,
    rssMB: Math.round(mem.rss / 2 ** 20),
    node: process.version,
  }),
);
