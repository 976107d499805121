/**
 * The lens head graph (lens/graph.ts) against variants on the default model's unembedding, each its
 * own onnxruntime session, run in turn on the same random rows (docs/performance.md, "Latent-language
 * lens"): the whole head; the GEMM alone, with the unembedding as an input and as a prepacked
 * constant; the head without the final norm, input or constant; three ways to the entropy
 * (Mul + ReduceSum, Einsum, a batched MatMul); log-softmax + top-k. Prints each median in ms.
 * Usage: node --import tsx bench/lens-graph-micro.ts [ROWS=140]
 */
import * as os from 'node:os';
import { join } from 'node:path';
import { LoadedModel } from '../src/engine/model/model';
import { GraphBuilder } from '../src/engine/onnx/graph';
import { DType } from '../src/engine/onnx/proto';
import * as ort from '../src/engine/onnx/ort';
import { buildLensGraph, LENS_ROWS } from '../src/engine/lens/graph';
import { LENS_LANGUAGES } from '../src/engine/model/lensHead';
import { mulberry32 } from '../src/engine/random';

const model = LoadedModel.load(join(__dirname, '..', 'models', 'default'), { threads: 2 });
const { dModel: D, vocabSize: V } = model.cfg;
const C = 22;
const W = model.weight('lm_head.weight');
const nw = model.weight('model.norm.weight');
const rng = mulberry32(1);
async function main() {
  const variants: Record<string, { bytes: Uint8Array; weights: boolean }> = {};
  variants.full = { bytes: buildLensGraph(model.adapter, model.cfg, model.specs, { k: 10, targets: false, languages: C, linear: false }), weights: true };
  const mk = (name: string, f: (g: GraphBuilder, x: string, w: string) => void, constW: boolean) => {
    const g = new GraphBuilder();
    const x = g.input(LENS_ROWS, DType.FLOAT, ['M', D]);
    const w = constW ? g.floats(W, [V, D]) : g.input('lm_head.weight', DType.FLOAT, [V, D]);
    f(g, x, w);
    variants[name] = { bytes: g.encode('m'), weights: !constW };
  };
  const gemmOnly = (g: GraphBuilder, x: string, w: string) => { g.op('ReduceMax', [g.linear(x, w), g.ints([-1])], { keepdims: 0 }, 'r', 'out'); g.output('out', DType.FLOAT, ['M']); };
  mk('gemm', gemmOnly, false);
  mk('gemmConst', gemmOnly, true);
  const fullish = (g: GraphBuilder, x: string, w: string) => {
    const logp = g.op('LogSoftmax', [g.linear(x, w)], { axis: -1 });
    const [tv, ti] = g.opMulti('TopK', [logp, g.ints([10])], 2, { axis: -1, largest: 1, sorted: 1 });
    g.name(tv!, 'tv'); g.output('tv', DType.FLOAT, ['M', 10]);
    g.name(ti!, 'ti'); g.output('ti', DType.INT64, ['M', 10]);
    const p = g.op('Exp', [logp]);
    g.op('MatMul', [p, g.input(LENS_LANGUAGES, DType.FLOAT, [V, C])], undefined, 'mass', 'mass'); g.output('mass', DType.FLOAT, ['M', C]);
    g.op('Neg', [g.op('ReduceSum', [g.mul(p, logp), g.ints([-1])], { keepdims: 0 })], undefined, 'entropy', 'ent'); g.output('ent', DType.FLOAT, ['M']);
  };
  mk('noNorm', fullish, false);
  mk('noNormConst', fullish, true);
  const ent = (how: string) => (g: GraphBuilder, x: string, w: string) => {
    const logp = g.op('LogSoftmax', [g.linear(x, w)], { axis: -1 });
    const p = g.op('Exp', [logp]);
    let e: string;
    if (how === 'mul') e = g.op('ReduceSum', [g.mul(p, logp), g.ints([-1])], { keepdims: 0 });
    else if (how === 'einsum') e = g.op('Einsum', [p, logp], { equation: 'mv,mv->m' });
    else e = g.op('MatMul', [g.op('Unsqueeze', [p, g.ints([1])]), g.op('Unsqueeze', [logp, g.ints([2])])]);
    g.name(e, 'ent'); g.output('ent', DType.FLOAT, how === 'matmul' ? ['M', 1, 1] : ['M']);
  };
  mk('entMul', ent('mul'), false);
  mk('entEinsum', ent('einsum'), false);
  mk('entMatMul', ent('matmul'), false);
  mk('softmaxTopk', (g, x, w) => { const logp = g.op('LogSoftmax', [g.linear(x, w)], { axis: -1 }); const [tv] = g.opMulti('TopK', [logp, g.ints([10])], 2, { axis: -1, largest: 1, sorted: 1 }); g.name(tv!, 'tv'); g.output('tv', DType.FLOAT, ['M', 10]); }, false);
  const sessions: Record<string, ort.Session> = {};
  for (const [k, v] of Object.entries(variants)) sessions[k] = await ort.createSession(v.bytes, { threads: 2, provider: 'cpu' });
  const langs = new Float32Array(V * C).map(() => rng() / C);
  const M = Number(process.argv[2] ?? 140);
  const rows = new Float32Array(M * D).map(() => (rng() - 0.5) * 4);
  const times: Record<string, number[]> = {};
  for (let it = 0; it < 150; it++) {
    for (const [k, s] of Object.entries(sessions)) {
      const feeds: Record<string, ort.OrtTensor> = { [LENS_ROWS]: ort.f32(rows, [M, D]) };
      if (s.inputNames.includes('lm_head.weight')) feeds['lm_head.weight'] = ort.f32(W, [V, D]);
      if (s.inputNames.includes('model.norm.weight')) feeds['model.norm.weight'] = ort.f32(nw, [D]);
      if (s.inputNames.includes(LENS_LANGUAGES)) feeds[LENS_LANGUAGES] = ort.f32(langs, [V, C]);
      const t = performance.now();
      await s.run(feeds, [...s.outputNames]);
      (times[k] ??= []).push(performance.now() - t);
    }
  }
  const med = (xs: number[]) => { const s = xs.slice(10).sort((a, b) => a - b); return Number(s[s.length >> 1]!.toFixed(3)); };
  console.log(JSON.stringify({ M, load: os.loadavg()[0], ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, med(v)])) }));
  process.exit(0);
}
void main();
